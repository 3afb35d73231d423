import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { WebSocket } from 'ws';
import type { Store } from '../store/store.js';

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

/**
 * One board in memory. Every update is appended to the store's log before it is
 * relayed, so anything another client has seen survives a killed server.
 */
export class SharedDoc {
  readonly doc = new Y.Doc({ gc: true });
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly conns = new Map<WebSocket, Connection>();
  private logged = 0;
  private lastId = 0;
  /** Bytes this board takes in the store: the snapshot plus every logged update since. */
  private stored = 0;

  constructor(
    readonly name: string,
    private readonly store: Store,
    private readonly relay: (doc: SharedDoc, update: Uint8Array, origin: unknown) => void,
  ) {
    this.awareness.setLocalState(null);
    const stored = store.loadDoc(name);
    Y.transact(this.doc, () => {
      if (stored.snapshot) Y.applyUpdate(this.doc, stored.snapshot);
      for (const u of stored.updates) Y.applyUpdate(this.doc, u);
    }, 'store');
    this.logged = stored.updates.length;
    this.lastId = stored.lastId;
    this.stored = (stored.snapshot?.byteLength ?? 0) + stored.updates.reduce((n, u) => n + u.byteLength, 0);
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      this.lastId = store.appendUpdate(name, update);
      this.logged++;
      this.stored += update.byteLength;
      this.relay(this, update, origin);
      if (this.logged >= COMPACT_AFTER) this.compact();
    });
  }

  compact(): void {
    if (this.logged === 0) return;
    const snapshot = Y.encodeStateAsUpdate(this.doc);
    this.store.compactDoc(this.name, snapshot, this.lastId);
    this.logged = 0;
    this.stored = snapshot.byteLength;
  }

  /**
   * Whether `extra` more bytes fit under `cap`. At the cap the log is folded first:
   * edits that replaced or deleted content often take far less room once compacted.
   */
  fits(extra: number, cap: number): boolean {
    if (this.stored + extra <= cap) return true;
    this.compact();
    return this.stored + extra <= cap;
  }

  /** Bytes of stored state (snapshot + logged updates). */
  get storedBytes(): number {
    return this.stored;
  }

  destroy(): void {
    this.compact();
    this.awareness.destroy();
    this.doc.destroy();
  }
}
