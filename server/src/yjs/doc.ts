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
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      this.lastId = store.appendUpdate(name, update);
      this.logged++;
      this.relay(this, update, origin);
      if (this.logged >= COMPACT_AFTER) this.compact();
    });
  }

  compact(): void {
    if (this.logged === 0) return;
    this.store.compactDoc(this.name, Y.encodeStateAsUpdate(this.doc), this.lastId);
    this.logged = 0;
  }

  destroy(): void {
    this.compact();
    this.awareness.destroy();
    this.doc.destroy();
  }
}
