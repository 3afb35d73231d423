import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { WebSocketServer, type WebSocket } from 'ws';
import { boardAccess, checkBoardUpdate, LIMITS, readNotes, type NoteView } from '@kenes/shared';
import type { SessionHub } from '../realtime/hub.js';
import type { Store } from '../store/store.js';
import { SharedDoc, type Connection } from './doc.js';

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_QUERY_AWARENESS = 3;
/** Keep an idle document this long after its last client leaves, for quick reconnects. */
const UNLOAD_AFTER_MS = 30_000;

/** WebSocket close codes sent to a misbehaving client. */
const CLOSE_UNSUPPORTED = 1003;
const CLOSE_POLICY = 1008;

/** The y-websocket protocol at `/yjs/<sessionId>/<boardId>?token=…`, with access decided per board. */
export class YjsEndpoint {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.yjsMessageBytes });
  private readonly docs = new Map<string, SharedDoc>();
  private readonly unloadTimers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly store: Store,
    private readonly hub: SessionHub,
  ) {}

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const name = decodeURIComponent(url.pathname.slice('/yjs/'.length));
    const canWrite = this.authorize(name, url.searchParams.get('token') ?? undefined);
    if (!canWrite) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, name, canWrite));
  }

  /** The notes of a board, for the minutes, whether or not anyone has it open. */
  notes(name: string): NoteView[] {
    const live = this.docs.get(name);
    if (live) return readNotes(live.doc);
    const stored = this.store.loadDoc(name);
    const doc = new Y.Doc();
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
    for (const u of stored.updates) Y.applyUpdate(doc, u);
    const notes = readNotes(doc);
    doc.destroy();
    return notes;
  }

  close(): void {
    for (const ws of this.wss.clients) ws.terminate();
    for (const t of this.unloadTimers.values()) clearTimeout(t);
    for (const doc of this.docs.values()) doc.destroy();
    this.docs.clear();
    this.wss.close();
  }

  /** Returns a live write check, or null when the board may not be opened at all. */
  private authorize(name: string, token: string | undefined): (() => boolean) | null {
    const [sessionId, boardId, ...rest] = name.split('/');
    if (!sessionId || !boardId || rest.length > 0) return null;
    const room = this.hub.byId(sessionId);
    if (!room) return null;
    const who = this.hub.identify(room, token);
    if (!who) return null;
    const access = () => boardAccess(room.state, this.hub.actor(room, who), boardId);
    if (access() === 'none') return null;
    return () => access() === 'write';
  }

  private doc(name: string): SharedDoc {
    const timer = this.unloadTimers.get(name);
    if (timer) {
      clearTimeout(timer);
      this.unloadTimers.delete(name);
    }
    let doc = this.docs.get(name);
    if (!doc) {
      doc = new SharedDoc(name, this.store, (d, update, origin) => this.relay(d, update, origin));
      doc.awareness.on('update', ({ added, updated, removed }: Record<string, number[]>, origin: unknown) => {
        const changed = [...added!, ...updated!, ...removed!];
        const conn = doc!.conns.get(origin as WebSocket);
        if (conn) {
          for (const id of added!) conn.clients.add(id);
          for (const id of removed!) conn.clients.delete(id);
        }
        const enc = encoding.createEncoder();
        encoding.writeVarUint(enc, MESSAGE_AWARENESS);
        encoding.writeVarUint8Array(enc, awarenessProtocol.encodeAwarenessUpdate(doc!.awareness, changed));
        this.broadcast(doc!, encoding.toUint8Array(enc), null);
      });
      this.docs.set(name, doc);
    }
    return doc;
  }

  private onConnection(ws: WebSocket, name: string, canWrite: () => boolean): void {
    const doc = this.doc(name);
    const conn: Connection = { ws, clients: new Set(), canWrite };
    doc.conns.set(ws, conn);
    ws.binaryType = 'arraybuffer';
    ws.on('message', (data: ArrayBuffer) => this.onMessage(doc, conn, new Uint8Array(data)));
    ws.on('close', () => this.onClose(doc, conn));
    ws.on('error', () => ws.terminate());

    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, MESSAGE_SYNC);
    syncProtocol.writeSyncStep1(enc, doc.doc);
    send(ws, encoding.toUint8Array(enc));
    const states = [...doc.awareness.getStates().keys()];
    if (states.length > 0) {
      const aw = encoding.createEncoder();
      encoding.writeVarUint(aw, MESSAGE_AWARENESS);
      encoding.writeVarUint8Array(aw, awarenessProtocol.encodeAwarenessUpdate(doc.awareness, states));
      send(ws, encoding.toUint8Array(aw));
    }
  }

  private onMessage(doc: SharedDoc, conn: Connection, message: Uint8Array): void {
    try {
      const decoder = decoding.createDecoder(message);
      const type = decoding.readVarUint(decoder);
      if (type === MESSAGE_SYNC) this.onSync(doc, conn, decoder);
      else if (type === MESSAGE_AWARENESS) {
        const update = decoding.readVarUint8Array(decoder);
        if (conn.canWrite()) awarenessProtocol.applyAwarenessUpdate(doc.awareness, update, conn.ws);
      } else if (type === MESSAGE_QUERY_AWARENESS) {
        const enc = encoding.createEncoder();
        encoding.writeVarUint(enc, MESSAGE_AWARENESS);
        encoding.writeVarUint8Array(
          enc,
          awarenessProtocol.encodeAwarenessUpdate(doc.awareness, [...doc.awareness.getStates().keys()]),
        );
        send(conn.ws, encoding.toUint8Array(enc));
      } else conn.ws.close(CLOSE_UNSUPPORTED, 'unknown message');
    } catch {
      conn.ws.close(CLOSE_UNSUPPORTED, 'malformed message');
    }
  }

  private onSync(doc: SharedDoc, conn: Connection, decoder: decoding.Decoder): void {
    const kind = decoding.readVarUint(decoder);
    if (kind === syncProtocol.messageYjsSyncStep1) {
      const enc = encoding.createEncoder();
      encoding.writeVarUint(enc, MESSAGE_SYNC);
      syncProtocol.writeSyncStep2(enc, doc.doc, decoding.readVarUint8Array(decoder));
      send(conn.ws, encoding.toUint8Array(enc));
      return;
    }
    if (kind !== syncProtocol.messageYjsSyncStep2 && kind !== syncProtocol.messageYjsUpdate) {
      conn.ws.close(CLOSE_UNSUPPORTED, 'unknown sync message');
      return;
    }
    const update = decoding.readVarUint8Array(decoder);
    // A read-only client's changes are dropped, as if never sent.
    if (!conn.canWrite()) return;
    if (checkBoardUpdate(update)) {
      conn.ws.close(CLOSE_POLICY, 'update refused');
      return;
    }
    Y.applyUpdate(doc.doc, update, conn.ws);
  }

  private relay(doc: SharedDoc, update: Uint8Array, origin: unknown): void {
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, MESSAGE_SYNC);
    syncProtocol.writeUpdate(enc, update);
    this.broadcast(doc, encoding.toUint8Array(enc), origin);
  }

  private broadcast(doc: SharedDoc, message: Uint8Array, except: unknown): void {
    for (const ws of doc.conns.keys()) if (ws !== except) send(ws, message);
  }

  private onClose(doc: SharedDoc, conn: Connection): void {
    doc.conns.delete(conn.ws);
    awarenessProtocol.removeAwarenessStates(doc.awareness, [...conn.clients], null);
    if (doc.conns.size > 0) return;
    this.unloadTimers.set(
      doc.name,
      setTimeout(() => {
        this.unloadTimers.delete(doc.name);
        if (doc.conns.size > 0) return;
        doc.destroy();
        this.docs.delete(doc.name);
      }, UNLOAD_AFTER_MS),
    );
  }
}

function send(ws: WebSocket, message: Uint8Array): void {
  if (ws.readyState === ws.OPEN) ws.send(message, (err) => err && ws.terminate());
}
