import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  boardAccess,
  BOARD_REFUSED_CODE,
  checkBoardUpdate,
  LIMITS,
  readNotes,
  type BoardEffect,
  type ErrorCode,
  type NoteView,
  type UpdateProblem,
} from '@kenes/shared';
import type { SessionHub } from '../realtime/hub.js';
import type { Room } from '../realtime/room.js';
import type { Store } from '../store/store.js';
import { applyStored, SharedDoc, type Connection } from './doc.js';
import { runBoardEffects } from './effects.js';
import { closeGoingAway } from '../ops/sockets.js';

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_QUERY_AWARENESS = 3;
/** Keep an idle document this long after its last client leaves, for quick reconnects. */
const UNLOAD_AFTER_MS = 30_000;

/**
 * Close codes. A refused update closes with 1008 and its reason (`malformed`,
 * `too_large`, `board_full`); the client reconnects and may resend, so screens read the
 * reason. Lost access closes with 4403, which y-websocket treats as final (no reconnect).
 */
const CLOSE_FORBIDDEN = 4403;
/** The store could not take an update: the client reconnects and resends what the server lacks. */
const CLOSE_UNAVAILABLE = 1011;

export interface BoardLimits {
  /** Notes per board. */
  maxNotes: number;
  /** Stored bytes per board (snapshot + logged updates). */
  maxBytes: number;
}

/** Other nodes with the same boards loaded (server/src/cluster); none on one node. */
export interface DocPeers {
  /** A board was loaded here: from now on its updates must reach this node too. */
  opened(doc: SharedDoc): void;
  unloaded(doc: SharedDoc): void;
  /** A document update, after it was logged and relayed here. */
  updated(doc: SharedDoc, update: Uint8Array, origin: unknown): void;
  /** An awareness update (who is on the board, cursors), after it was relayed here. */
  awareness(doc: SharedDoc, update: Uint8Array, origin: unknown): void;
}

/** The y-websocket origin of the server's own changes (reveal, publish). */
export const SERVER_ORIGIN = Symbol('server');

/** The y-websocket protocol at `/yjs/<sessionId>/<boardId>?token=…`, with access decided per board. */
export class YjsEndpoint {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.yjsMessageBytes });
  private readonly docs = new Map<string, SharedDoc>();
  /** Boards being read from the store: two sockets opening one board load it once. */
  private readonly opening = new Map<string, Promise<SharedDoc>>();
  /** Boards being folded and let go: the next opening waits, so it reads what they wrote. */
  private readonly closing = new Map<string, Promise<void>>();
  private readonly unloadTimers = new Map<string, NodeJS.Timeout>();
  private closed = false;
  /** Set in cluster mode, before any board is loaded. */
  peers: DocPeers | null = null;

  constructor(
    private readonly store: Store,
    private readonly hub: SessionHub,
    readonly limits: BoardLimits = { maxNotes: LIMITS.boardNotes, maxBytes: LIMITS.boardBytes },
  ) {}

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    let name: string;
    let token: string | undefined;
    try {
      const url = new URL(req.url ?? '/', 'http://x');
      name = decodeURIComponent(url.pathname.slice('/yjs/'.length));
      token = url.searchParams.get('token') ?? undefined;
    } catch {
      // a malformed path or query: refused like any other
      socket.end(FORBIDDEN);
      return;
    }
    this.authorize(name, token).then(
      (rights) => {
        if (rights) this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, name, rights));
        else socket.end(FORBIDDEN);
      },
      (err: unknown) => {
        console.error(err);
        socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
      },
    );
  }

  /**
   * Board work a command asks for, run by the hub before it commits: the reveal copies
   * private notes onto group boards, publishing copies group notes onto the plenary.
   * Copies go through the same path as a client's update (logged, then relayed) and are
   * idempotent; an error code refuses the command.
   */
  runEffects(room: Room, effects: BoardEffect[]): Promise<ErrorCode | null> {
    return runBoardEffects(this.boards, room, effects);
  }

  /** Live documents, for tests and metrics. */
  get loaded(): number {
    return this.docs.size;
  }

  /** Open board connections, for metrics. */
  get connections(): number {
    return this.wss.clients.size;
  }

  /** Told of every closed board connection (logs, metrics): the board's name and the close code and reason. */
  onClosed: (name: string, code: number, reason: string) => void = () => {};

  /** What the effects need of the endpoint: documents in and out, under the same limits. */
  private readonly boards = {
    limits: () => this.limits,
    acquire: (name: string) => this.doc(name),
    release: (doc: SharedDoc) => this.releaseIfIdle(doc),
    peek: (name: string) => this.peek(name),
    origin: SERVER_ORIGIN,
  };

  /** The notes of a board, for the minutes, whether or not anyone has it open. */
  async notes(name: string): Promise<NoteView[]> {
    const view = await this.peek(name);
    if (!view) return [];
    try {
      return readNotes(view.doc);
    } finally {
      view.release();
    }
  }

  /**
   * A board's document to read: the live one when it is open, else a temporary copy
   * from the store that `release` destroys (nothing stays loaded). `null` when the
   * board was never written.
   */
  async peek(name: string): Promise<{ doc: Y.Doc; release: () => void } | null> {
    const live = this.docs.get(name) ?? (await this.opening.get(name));
    if (live) return { doc: live.doc, release: () => {} };
    const stored = await this.store.loadDoc(name);
    if (!stored.snapshot && stored.updates.length === 0) return null;
    const doc = new Y.Doc();
    applyStored(doc, stored, null);
    return { doc, release: () => doc.destroy() };
  }

  /**
   * Close every connection with 1001 (going away: y-websocket reconnects, to this server
   * once it is back) and fold every loaded document into its snapshot; resolves once all is written.
   */
  async close(): Promise<void> {
    this.closed = true;
    for (const doc of this.docs.values()) for (const conn of doc.conns.values()) conn.refused = true;
    for (const ws of this.wss.clients) closeGoingAway(ws, 2000);
    for (const t of this.unloadTimers.values()) clearTimeout(t);
    this.unloadTimers.clear();
    const docs = new Set(this.docs.values());
    this.docs.clear();
    for (const r of await Promise.allSettled(this.opening.values())) if (r.status === 'fulfilled') docs.add(r.value);
    this.docs.clear();
    for (const doc of docs) this.peers?.unloaded(doc);
    await Promise.all([...docs].map((doc) => doc.destroy()));
    await Promise.all(this.closing.values());
    this.wss.close();
  }

  /** Returns live read and write checks, or null when the board may not be opened at all. */
  private async authorize(name: string, token: string | undefined): Promise<Pick<Connection, 'canRead' | 'canWrite'> | null> {
    const [sessionId, boardId, ...rest] = name.split('/');
    if (!sessionId || !boardId || rest.length > 0) return null;
    const room = await this.hub.byId(sessionId);
    if (!room) return null;
    const who = await this.hub.identify(room, token);
    if (!who) return null;
    const access = () => boardAccess(room.state, this.hub.actor(room, who), boardId);
    if (access() === 'none') return null;
    return { canRead: () => access() !== 'none', canWrite: () => access() === 'write' };
  }

  /** The live document, loaded once however many ask at the same time. */
  private doc(name: string): Promise<SharedDoc> {
    const timer = this.unloadTimers.get(name);
    if (timer) {
      clearTimeout(timer);
      this.unloadTimers.delete(name);
    }
    const live = this.docs.get(name);
    if (live) return Promise.resolve(live);
    let pending = this.opening.get(name);
    if (!pending) {
      pending = this.open(name).finally(() => this.opening.delete(name));
      this.opening.set(name, pending);
    }
    return pending;
  }

  private async open(name: string): Promise<SharedDoc> {
    await this.closing.get(name);
    const doc = await SharedDoc.load(name, this.store, (d, update, origin) => this.relay(d, update, origin), { shared: this.peers !== null });
    doc.awareness.on('update', ({ added, updated, removed }: Record<string, number[]>, origin: unknown) => {
      const changed = [...added!, ...updated!, ...removed!];
      const conn = doc.conns.get(origin as WebSocket);
      if (conn) {
        for (const id of added!) conn.clients.add(id);
        for (const id of removed!) conn.clients.delete(id);
      }
      const update = awarenessProtocol.encodeAwarenessUpdate(doc.awareness, changed);
      const enc = encoding.createEncoder();
      encoding.writeVarUint(enc, MESSAGE_AWARENESS);
      encoding.writeVarUint8Array(enc, update);
      this.broadcast(doc, encoding.toUint8Array(enc), null);
      this.peers?.awareness(doc, update, origin);
    });
    this.docs.set(name, doc);
    this.peers?.opened(doc);
    return doc;
  }

  /**
   * Messages are taken in arrival order once the board is loaded: each runs in the
   * board's turn, so an update is checked against, logged for and applied to the
   * document as every earlier one left it.
   */
  private onConnection(ws: WebSocket, name: string, rights: Pick<Connection, 'canRead' | 'canWrite'>): void {
    const conn: Connection = { ws, clients: new Set(), ...rights, refused: false };
    const ready = this.doc(name);
    ws.binaryType = 'arraybuffer';
    ready.then(
      (doc) => this.greet(doc, conn),
      (err: unknown) => {
        console.error(err);
        this.unavailable(conn);
      },
    );
    ws.on('message', (data: ArrayBuffer) => {
      const message = new Uint8Array(data);
      ready.then((doc) => doc.run(() => this.onMessage(doc, conn, message)), ignore);
    });
    ws.on('close', (code, reason) => {
      ready.then((doc) => this.onClose(doc, conn), ignore);
      this.onClosed(name, code, reason.toString());
    });
    // After a protocol error ws has already begun closing with its code (1009 for a message
    // past the cap), which the client should see; only a socket still open is dropped.
    ws.on('error', () => ws.readyState === ws.OPEN && ws.terminate());
  }

  /** A new connection: the server's state vector and who else is on the board. */
  private greet(doc: SharedDoc, conn: Connection): void {
    const ws = conn.ws;
    doc.conns.set(ws, conn);
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

  private async onMessage(doc: SharedDoc, conn: Connection, message: Uint8Array): Promise<void> {
    if (conn.refused) return;
    let decoder: decoding.Decoder;
    let type: number;
    try {
      decoder = decoding.createDecoder(message);
      type = decoding.readVarUint(decoder);
    } catch {
      return this.refuse(conn, 'malformed');
    }
    if (type === MESSAGE_SYNC) {
      let update: Uint8Array | null;
      try {
        update = this.onSync(doc, conn, decoder);
      } catch {
        return this.refuse(conn, 'malformed');
      }
      if (update) await this.take(doc, conn, update);
      return;
    }
    try {
      if (type === MESSAGE_AWARENESS) {
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
      } else this.refuse(conn, 'malformed');
    } catch {
      this.refuse(conn, 'malformed');
    }
  }

  /** Close a connection whose update was refused; the document never saw it. */
  private refuse(conn: Connection, problem: UpdateProblem): void {
    conn.refused = true;
    conn.ws.close(BOARD_REFUSED_CODE, problem);
  }

  /** Close a connection that may no longer read its board (a teacher moved to another group). */
  private revoke(conn: Connection): void {
    if (conn.refused) return;
    conn.refused = true;
    conn.ws.close(CLOSE_FORBIDDEN, 'forbidden');
  }

  /** A client's update, in the board's turn: checked, logged in the store, then applied and relayed. */
  private async take(doc: SharedDoc, conn: Connection, update: Uint8Array): Promise<void> {
    const problem = checkBoardUpdate(update, doc.doc, { maxNotes: this.limits.maxNotes });
    if (problem) return this.refuse(conn, problem);
    try {
      if (!(await doc.fits(update.byteLength, this.limits.maxBytes))) return this.refuse(conn, 'too_large');
      await doc.write(update, conn.ws);
    } catch (err) {
      console.error(err);
      this.unavailable(conn);
    }
  }

  /** A sync message: answered at once, or the update it carries (to check, log and apply), or null. */
  private onSync(doc: SharedDoc, conn: Connection, decoder: decoding.Decoder): Uint8Array | null {
    // A socket that lost its right to read the board gets nothing more, and sends nothing more.
    if (!conn.canRead()) {
      this.revoke(conn);
      return null;
    }
    const kind = decoding.readVarUint(decoder);
    if (kind === syncProtocol.messageYjsSyncStep1) {
      const enc = encoding.createEncoder();
      encoding.writeVarUint(enc, MESSAGE_SYNC);
      syncProtocol.writeSyncStep2(enc, doc.doc, decoding.readVarUint8Array(decoder));
      send(conn.ws, encoding.toUint8Array(enc));
      return null;
    }
    if (kind !== syncProtocol.messageYjsSyncStep2 && kind !== syncProtocol.messageYjsUpdate) {
      this.refuse(conn, 'malformed');
      return null;
    }
    const update = decoding.readVarUint8Array(decoder);
    // A read-only client's changes are dropped, as if never sent.
    return conn.canWrite() ? update : null;
  }

  /** The store failed: close the connection (nothing it sent since is applied); y-websocket reconnects and resends. */
  private unavailable(conn: Connection): void {
    if (conn.refused) return;
    conn.refused = true;
    conn.ws.close(CLOSE_UNAVAILABLE, 'unavailable');
  }

  private relay(doc: SharedDoc, update: Uint8Array, origin: unknown): void {
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, MESSAGE_SYNC);
    syncProtocol.writeUpdate(enc, update);
    this.broadcast(doc, encoding.toUint8Array(enc), origin);
    this.peers?.updated(doc, update, origin);
  }

  private broadcast(doc: SharedDoc, message: Uint8Array, except: unknown): void {
    for (const conn of doc.conns.values()) {
      if (conn.ws === except || conn.refused) continue;
      if (conn.canRead()) send(conn.ws, message);
      else this.revoke(conn);
    }
  }

  private onClose(doc: SharedDoc, conn: Connection): void {
    doc.conns.delete(conn.ws);
    awarenessProtocol.removeAwarenessStates(doc.awareness, [...conn.clients], null);
    this.releaseIfIdle(doc);
  }

  /** A document nobody has open unloads after a grace period, whether a client or the server opened it. */
  private releaseIfIdle(doc: SharedDoc): void {
    if (this.closed || doc.conns.size > 0 || this.unloadTimers.has(doc.name) || this.docs.get(doc.name) !== doc) return;
    this.unloadTimers.set(
      doc.name,
      setTimeout(() => {
        this.unloadTimers.delete(doc.name);
        if (doc.conns.size > 0) return;
        this.peers?.unloaded(doc);
        this.docs.delete(doc.name);
        const done = doc.destroy().finally(() => {
          if (this.closing.get(doc.name) === done) this.closing.delete(doc.name);
        });
        this.closing.set(doc.name, done);
      }, UNLOAD_AFTER_MS),
    );
  }
}

const FORBIDDEN = 'HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n';

function ignore(): void {}

function send(ws: WebSocket, message: Uint8Array): void {
  if (ws.readyState === ws.OPEN) ws.send(message, (err) => err && ws.terminate());
}
