import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { WebSocket } from 'ws';
import { Serial } from '../serial.js';
import type { Store, StoredDoc } from '../store/store.js';

/** Past this many logged updates a document is folded into one snapshot (y-leveldb's rule). */
export const COMPACT_AFTER = 500;

export interface Connection {
  ws: WebSocket;
  /** Awareness client ids this connection introduced, removed when it closes. */
  clients: Set<number>;
  /** Re-checked on every update, so a teacher moved to another group loses write access at once. */
  canWrite: () => boolean;
  /** Re-checked before anything is sent, so a teacher moved out of a group stops receiving its board. */
  canRead: () => boolean;
  /** Set once the server decided to close it: nothing more it sends is applied. */
  refused: boolean;
}

/** The origin of the stored state applied when a document loads: nothing to relay. */
const LOADED = Symbol('loaded');

/** The origin of updates another node already logged (cluster mode): relayed here, never logged or published again. */
export const REMOTE_ORIGIN = Symbol('remote');

export interface DocOptions {
  /** Other nodes write this board too (cluster mode): a fold first reads back what they logged. */
  shared: boolean;
}

/**
 * One board in memory. Every change takes its turn (`run`): an update is appended to
 * the store's log, then applied and relayed, so anything another client has seen
 * survives a killed server, and a store failure leaves the document untouched.
 * `fits`, `write` and `change` are for use inside a turn.
 */
export class SharedDoc {
  readonly doc = new Y.Doc({ gc: true });
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly conns = new Map<WebSocket, Connection>();
  private readonly serial = new Serial();
  private logged = 0;
  /**
   * Log ids whose updates this copy holds: read from the store or appended here. A fold
   * drops these and no others, so an update another node logged that this copy has not
   * applied stays in the log whatever its id.
   */
  private folded = new Set<number>();
  /** The fold stamp of the snapshot this copy was built on (see `StoredDoc.stamp`). */
  private stamp: number | null = null;
  /** Bytes this board takes in the store: the snapshot plus every logged update since. */
  private stored = 0;

  /** Read a board from the store. */
  static async load(
    name: string,
    store: Store,
    relay: (doc: SharedDoc, update: Uint8Array, origin: unknown) => void,
    options: DocOptions = { shared: false },
  ): Promise<SharedDoc> {
    return new SharedDoc(name, store, relay, await store.loadDoc(name), options);
  }

  private constructor(
    readonly name: string,
    private readonly store: Store,
    relay: (doc: SharedDoc, update: Uint8Array, origin: unknown) => void,
    stored: StoredDoc,
    private readonly options: DocOptions,
  ) {
    this.awareness.setLocalState(null);
    applyStored(this.doc, stored, LOADED);
    this.count(stored);
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== LOADED) relay(this, update, origin);
    });
  }

  /** Run a task in this board's turn: changes apply one at a time, in the order they arrived. */
  run<T>(task: () => T | Promise<T>): Promise<T> {
    return this.serial.run(task);
  }

  /** In a turn: log `update` in the store, then apply it (which relays it to every other connection). */
  async write(update: Uint8Array, origin: unknown): Promise<void> {
    this.folded.add(await this.store.appendUpdate(this.name, update));
    this.logged++;
    this.stored += update.byteLength;
    Y.applyUpdate(this.doc, update, origin);
    if (this.logged >= COMPACT_AFTER) {
      // The update is safe in the log; a failed fold is retried at the next one.
      await this.compactNow().catch((err: unknown) => console.error(err));
    }
  }

  /** In a turn: an update another node logged and published; relayed to this node's clients only. */
  async remote(update: Uint8Array): Promise<void> {
    Y.applyUpdate(this.doc, update, REMOTE_ORIGIN);
    // It sits in the log: the next fold of this node or the other takes it.
    this.logged++;
    this.stored += update.byteLength;
    // Past the threshold this node folds too, or a log the other nodes stopped writing would wait for the board to unload.
    if (this.logged >= COMPACT_AFTER) await this.compactNow().catch((err: unknown) => console.error(err));
  }

  /**
   * In a turn: apply whatever the store holds that this copy lacks (updates another node
   * logged while its message was lost). Yjs skips what it has; the news is relayed to
   * this node's clients, never logged again.
   */
  async catchUp(): Promise<void> {
    const stored = await this.store.loadDoc(this.name);
    applyStored(this.doc, stored, REMOTE_ORIGIN);
    this.count(stored);
  }

  /** What the store holds of this board, as last read. */
  private count(stored: StoredDoc): void {
    this.logged = stored.updates.length;
    this.folded = new Set(stored.ids);
    this.stamp = stored.stamp;
    this.stored = (stored.snapshot?.byteLength ?? 0) + stored.updates.reduce((n, u) => n + u.byteLength, 0);
  }

  /**
   * In a turn: a change of the server's own (reveal, publish). `edit` works on a draft
   * copy; what it changed is then written like a client's update. Returns what `edit` returns.
   */
  async change<T>(edit: (draft: Y.Doc) => T, origin: unknown): Promise<T> {
    const draft = new Y.Doc({ gc: true });
    try {
      Y.applyUpdate(draft, Y.encodeStateAsUpdate(this.doc));
      const parts: Uint8Array[] = [];
      draft.on('update', (u: Uint8Array) => parts.push(u));
      const result = edit(draft);
      if (parts.length > 0) await this.write(parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts), origin);
      return result;
    } finally {
      draft.destroy();
    }
  }

  /**
   * In a turn: whether `extra` more bytes fit under `cap`. At the cap the log is folded
   * first: edits that replaced or deleted content often take far less room once compacted.
   */
  async fits(extra: number, cap: number): Promise<boolean> {
    if (this.stored + extra <= cap) return true;
    await this.compactNow();
    return this.stored + extra <= cap;
  }

  /** Fold the log into one snapshot, in turn. */
  compact(): Promise<void> {
    return this.run(() => this.compactNow());
  }

  /**
   * Fold what this copy holds into a new snapshot. With other nodes writing the board,
   * it first reads back what they logged, so the fold takes in as much as it can; it
   * drops only the updates it read or appended. A fold that lost to another node's
   * (the snapshot it was built on is gone) writes nothing: this copy reads the newer
   * snapshot and tries once more.
   */
  private async compactNow(): Promise<void> {
    if (this.logged === 0) return;
    if (this.options.shared) await this.catchUp();
    for (let attempt = 0; attempt < 2 && this.logged > 0; attempt++) {
      const snapshot = Y.encodeStateAsUpdate(this.doc);
      const stamp = await this.store.compactDoc(this.name, snapshot, { ids: [...this.folded], stamp: this.stamp });
      if (stamp !== null) {
        this.stamp = stamp;
        this.folded.clear();
        this.logged = 0;
        this.stored = snapshot.byteLength;
        return;
      }
      await this.catchUp();
    }
  }

  /** Bytes of stored state (snapshot + logged updates). */
  get storedBytes(): number {
    return this.stored;
  }

  /** Fold and let go, after every change queued before. Nothing is lost when the fold fails: the log stays. */
  destroy(): Promise<void> {
    return this.run(async () => {
      try {
        await this.compactNow();
      } catch (err) {
        console.error(err);
      } finally {
        this.awareness.destroy();
        this.doc.destroy();
      }
    });
  }
}

/**
 * A board's stored state into a document. An update the document cannot take is
 * skipped rather than making the whole board unreadable.
 */
export function applyStored(doc: Y.Doc, stored: StoredDoc, origin: unknown): void {
  Y.transact(doc, () => {
    for (const u of stored.snapshot ? [stored.snapshot, ...stored.updates] : stored.updates) {
      try {
        Y.applyUpdate(doc, u, origin);
      } catch (err) {
        console.error(`board ${doc.guid}: a stored update could not be applied`, err);
      }
    }
  }, origin);
}
