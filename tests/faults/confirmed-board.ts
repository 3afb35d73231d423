import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import type * as Y from 'yjs';
import type { BoardConnection } from '@kenes/shared/client';
import { board } from '../helpers/people.js';

const MESSAGE_SYNC = 0;

/**
 * A y-websocket board that knows which of its writes the server holds, the way the web
 * app's "saved" badge does: y-websocket never acknowledges an update, but the server
 * answers each sync step 1 in order, after it has stored every update sent before it.
 */
export class ConfirmedBoard {
  readonly conn: BoardConnection;
  private written = 0;
  /** How many of this board's writes the server has confirmed. */
  confirmed = 0;
  /** One entry per step 1 awaiting its step 2: the write count it will confirm. */
  private waiting: Array<{ upTo: number; done?: () => void }> = [];

  constructor(url: string, sessionId: string, boardId: string, token: string) {
    this.conn = board(url, sessionId, boardId, token);
    const provider = this.conn.provider;
    provider.on('status', ({ status }: { status: string }) => {
      // The provider's own step 1 on connecting confirms nothing new.
      if (status === 'connected') this.waiting = [{ upTo: this.confirmed }];
      else if (status === 'disconnected') this.waiting = [];
    });
    const handle = provider.messageHandlers[MESSAGE_SYNC]!;
    provider.messageHandlers[MESSAGE_SYNC] = (encoder, decoder, p, emitSynced, type) => {
      const pos = decoder.pos;
      const kind = decoding.readVarUint(decoder);
      decoder.pos = pos;
      handle(encoder, decoder, p, emitSynced, type);
      if (kind === syncProtocol.messageYjsSyncStep2) this.answered();
    };
  }

  get synced(): Promise<void> {
    return this.conn.synced;
  }

  /** Make a change; returns its number (1, 2, …), confirmed once `confirmed` reaches it. */
  write(change: (doc: Y.Doc) => void): number {
    change(this.conn.doc);
    return ++this.written;
  }

  /** Ask the server to confirm every write so far; resolves with the confirmed count. */
  confirm(): Promise<number> {
    const ws = this.conn.provider.ws;
    if (!this.conn.provider.wsconnected || !ws || ws.readyState !== ws.OPEN) return Promise.reject(new Error('board offline'));
    return new Promise((resolve) => {
      this.waiting.push({ upTo: this.written, done: () => resolve(this.confirmed) });
      const enc = encoding.createEncoder();
      encoding.writeVarUint(enc, MESSAGE_SYNC);
      syncProtocol.writeSyncStep1(enc, this.conn.doc);
      ws.send(encoding.toUint8Array(enc));
    });
  }

  close(): void {
    this.conn.close();
  }

  private answered(): void {
    const next = this.waiting.shift();
    if (!next) return;
    this.confirmed = Math.max(this.confirmed, next.upTo);
    next.done?.();
  }
}
