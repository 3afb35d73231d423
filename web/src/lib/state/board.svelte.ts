import { openBoard, requestId, type BoardConnection } from '@kenes/shared/client';
import {
  addCard,
  addNote,
  boardDocName,
  cardsMap,
  clustersMap,
  createCluster,
  deleteCard,
  deleteNote,
  editNote,
  EMPTY_CARD,
  LIMITS,
  moveNote,
  notesMap,
  readCards,
  readClusters,
  readNotes,
  removeFromCluster,
  renameCluster,
  setNoteColor,
  toggleReaction,
  updateCard,
  type CardFields,
  type CardView,
  type ClusterView,
  type NewNote,
  type NoteColor,
  type NoteView,
} from '@kenes/shared';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { messageSync } from 'y-websocket';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { origin } from '../api/server';

export type SyncState = 'saved' | 'syncing' | 'offline';

/** Why the server closed the board after one of our updates; reconnecting would only repeat it. */
export type Refusal = 'board_full' | 'too_large' | 'malformed';
const REFUSALS: readonly string[] = ['board_full', 'too_large', 'malformed'] satisfies Refusal[];

/** The most notes one board takes; the server refuses the update that would add the next one. */
export const MAX_NOTES: number = LIMITS.boardNotes;

export interface BoardOptions {
  sessionId: string;
  boardId: string;
  token?: string;
  /** Keep the document in IndexedDB, so notes written offline survive a closed tab. */
  persist?: boolean;
  /** Who is looking at the board, shown to the others on it (group members). */
  user?: BoardUser;
}

export interface BoardUser {
  id: string;
  name: string;
}

export type NoteAuthor = BoardUser;

/** How long to wait for IndexedDB before connecting anyway (a broken or slow store must not block the board). */
const LOCAL_LOAD_TIMEOUT_MS = 1500;

/**
 * A board's Yjs document as runes: notes, clusters and prototype cards, whether our edits
 * have reached the server, and an undo history of this tab's own changes.
 */
export class LiveBoard {
  readonly boardId: string;
  readonly doc = new Y.Doc();
  notes = $state.raw<NoteView[]>([]);
  clusters = $state.raw<ClusterView[]>([]);
  cards = $state.raw<CardView[]>([]);
  sync = $state<SyncState>('syncing');
  /** The server closed the board for good (no right to open it). */
  denied = $state(false);
  /** The server refused one of our updates; the board stays disconnected until retried. */
  refused = $state<Refusal | null>(null);
  /** Local notes from IndexedDB are on screen (or there is no local copy to wait for). */
  loaded = $state(false);
  canUndo = $state(false);
  canRedo = $state(false);
  /** Other people with the board open now (their awareness states). */
  present = $state.raw<BoardUser[]>([]);

  private conn: BoardConnection | null = null;
  private readonly persistence: IndexeddbPersistence | null = null;
  private readonly undoManager: Y.UndoManager;
  private readonly opts: BoardOptions;
  private frame = 0;
  private closed = false;
  private confirmTimer: ReturnType<typeof setTimeout> | undefined;
  /** Counts local changes; `confirmed` is the count the server has acknowledged. */
  private localSeq = 0;
  private confirmed = 0;
  /** For each sync step 1 we sent and the server has not answered yet: the local count it will confirm. */
  private pendingAcks: number[] = [];
  private noteCache = new Map<string, NoteView>();

  constructor(opts: BoardOptions) {
    this.opts = opts;
    this.boardId = opts.boardId;
    this.undoManager = new Y.UndoManager([notesMap(this.doc), clustersMap(this.doc), cardsMap(this.doc)], {
      // Only this tab's own changes are undone: never a groupmate's, never what came from the server or IndexedDB.
      trackedOrigins: new Set([this]),
      captureTimeout: 600,
    });
    const onStack = () => {
      this.canUndo = this.undoManager.canUndo();
      this.canRedo = this.undoManager.canRedo();
    };
    this.undoManager.on('stack-item-added', onStack);
    this.undoManager.on('stack-item-popped', onStack);
    this.undoManager.on('stack-cleared', onStack);

    this.doc.on('update', (_u: Uint8Array, txOrigin: unknown) => {
      this.scheduleRead();
      if (this.conn && txOrigin === this.conn.provider) return;
      this.localSeq++;
      this.confirmLocal();
    });

    if (opts.persist && typeof indexedDB !== 'undefined') {
      this.persistence = new IndexeddbPersistence(`kenes:${boardDocName(opts.sessionId, opts.boardId)}`, this.doc);
      const timeout = new Promise<void>((resolve) => setTimeout(resolve, LOCAL_LOAD_TIMEOUT_MS));
      void Promise.race([this.persistence.whenSynced.then(() => undefined), timeout]).then(() => this.connect());
    } else this.connect();

    window.addEventListener('offline', this.onNetwork);
    window.addEventListener('online', this.onNetwork);
  }

  /** Open the server connection, after the local copy (if any) is in the document. */
  private connect(): void {
    if (this.closed) return;
    this.loaded = true;
    this.read();
    const conn = openBoard({
      url: origin(),
      sessionId: this.opts.sessionId,
      boardId: this.opts.boardId,
      token: this.opts.token,
      doc: this.doc,
    });
    this.conn = conn;
    const { provider } = conn;
    if (this.opts.user) {
      provider.awareness.setLocalStateField('user', { id: this.opts.user.id, name: this.opts.user.name });
      provider.awareness.on('change', () => this.readPresence());
    }
    // A browser that knows it has no network: stay offline, keep writing locally.
    if (!navigator.onLine) provider.disconnect();

    provider.on('status', ({ status }) => {
      if (status === 'connected') {
        // The provider sends sync step 1 right after this; its answer confirms nothing new of ours
        // (edits made offline go up in reply to the server's own step 1, after it).
        this.pendingAcks = [this.confirmed];
        this.sync = 'syncing';
      } else if (status === 'disconnected') {
        this.pendingAcks = [];
        this.sync = 'offline';
      } else if (this.sync === 'saved') this.sync = 'syncing';
    });
    // Count the server's sync step 2 answers: each one answers one step 1 of ours, in order.
    const handle = provider.messageHandlers[messageSync]!;
    provider.messageHandlers[messageSync] = (encoder, decoder, p, emitSynced, type) => {
      const pos = decoder.pos;
      const kind = decoding.readVarUint(decoder);
      decoder.pos = pos;
      handle(encoder, decoder, p, emitSynced, type);
      if (kind === syncProtocol.messageYjsSyncStep2) this.onAck();
    };
    provider.on('connection-close', (event: CloseEvent | null) => {
      if (event && REFUSALS.includes(event.reason)) this.refuse(event.reason as Refusal);
    });
    provider.on('closed', ({ reason }: { code: number; reason: string }) => {
      if (REFUSALS.includes(reason)) this.refuse(reason as Refusal);
      else this.denied = true;
      this.sync = 'offline';
    });
  }

  /** The server would refuse the same update again on every reconnect: stop here and say so. */
  private refuse(reason: Refusal): void {
    this.refused = reason;
    this.conn?.provider.disconnect();
    this.sync = 'offline';
  }

  /** Try the connection again after a refusal (e.g. once notes were deleted). */
  retry(): void {
    this.refused = null;
    if (navigator.onLine) this.conn?.provider.connect();
  }

  private readonly onNetwork = () => {
    const provider = this.conn?.provider;
    if (!provider) return;
    if (!navigator.onLine) {
      // The socket may look open for a while after Wi-Fi drops; the browser knows sooner.
      provider.disconnect();
      this.sync = 'offline';
    } else if (!this.refused && !this.denied) {
      this.sync = 'syncing';
      provider.connect();
    }
  };

  /**
   * Run changes as this tab's own: they go into its undo history. Typing (`merge`) joins
   * the keystrokes just before it into one step; every other change is a step of its own.
   */
  local(fn: () => void, merge = false): void {
    if (!merge) this.undoManager.stopCapturing();
    this.doc.transact(fn, this);
    if (!merge) this.undoManager.stopCapturing();
  }

  add(note: Omit<NewNote, 'id' | 'createdAt'>): string {
    const id = requestId();
    const text = note.text.trim();
    if (!text) return id;
    this.local(() => addNote(this.doc, { ...note, text, id, createdAt: Date.now() }));
    return id;
  }

  /** The live text of a note, for an editor bound to it. */
  ytext(id: string): Y.Text | null {
    const t = notesMap(this.doc).get(id)?.get('text');
    return t instanceof Y.Text ? t : null;
  }

  edit(id: string, text: string): void {
    this.local(() => editNote(this.doc, id, text), true);
  }

  color(id: string, color: NoteColor): void {
    this.local(() => setNoteColor(this.doc, id, color));
  }

  remove(id: string): void {
    this.local(() => {
      const note = notesMap(this.doc).get(id);
      if (note?.get('clusterId')) removeFromCluster(this.doc, id);
      deleteNote(this.doc, id);
    });
  }

  react(id: string, participantId: string): void {
    this.local(() => toggleReaction(this.doc, id, participantId));
  }

  /** Move a note to an area (out of any cluster), or to a place on the canvas. */
  move(id: string, to: { area?: string; x?: number; y?: number }): void {
    this.local(() => {
      if (notesMap(this.doc).get(id)?.get('clusterId')) removeFromCluster(this.doc, id);
      moveNote(this.doc, id, to);
    });
  }

  /** Drop a note onto another: join the other's cluster, or make a new one of the two. */
  group(id: string, ontoId: string, stageId: string): string | null {
    if (id === ontoId) return null;
    const onto = notesMap(this.doc).get(ontoId);
    if (!onto) return null;
    const area = String(onto.get('area') ?? '');
    const x = Number(onto.get('x') ?? 0);
    const y = Number(onto.get('y') ?? 0);
    const existing = onto.get('clusterId') as string | null | undefined;
    if (existing) {
      this.join(id, existing);
      return existing;
    }
    const clusterId = requestId();
    this.local(() => {
      if (notesMap(this.doc).get(id)?.get('clusterId')) removeFromCluster(this.doc, id);
      createCluster(this.doc, { id: clusterId, name: '', area, stageId, createdAt: Date.now() }, [ontoId, id]);
      moveNote(this.doc, id, { x, y });
    });
    return clusterId;
  }

  /** Put a note into an existing cluster. */
  join(id: string, clusterId: string): void {
    const cluster = clustersMap(this.doc).get(clusterId);
    if (!cluster) return;
    const member = [...notesMap(this.doc).values()].find((m) => m.get('clusterId') === clusterId);
    this.local(() => {
      const current = notesMap(this.doc).get(id)?.get('clusterId');
      if (current === clusterId) return;
      if (current) removeFromCluster(this.doc, id);
      moveNote(this.doc, id, {
        clusterId,
        area: String(cluster.get('area') ?? ''),
        x: Number(member?.get('x') ?? 0),
        y: Number(member?.get('y') ?? 0),
      });
    });
  }

  ungroup(id: string): void {
    this.local(() => removeFromCluster(this.doc, id));
  }

  renameCluster(id: string, name: string): void {
    this.local(() => renameCluster(this.doc, id, name), true);
  }

  /** Move a whole cluster: to another area, or (on a canvas) to another place. */
  moveCluster(id: string, to: { area?: string; x?: number; y?: number }): void {
    this.local(() => {
      if (to.area !== undefined) clustersMap(this.doc).get(id)?.set('area', to.area);
      for (const [noteId, m] of notesMap(this.doc).entries()) {
        if (m.get('clusterId') === id) moveNote(this.doc, noteId, to);
      }
    });
  }

  addCard(card: Omit<CardView, keyof CardFields | 'id' | 'createdAt'> & Partial<CardFields>): string {
    const id = requestId();
    this.local(() => addCard(this.doc, { ...EMPTY_CARD, ...card, id, createdAt: Date.now() }));
    return id;
  }

  updateCard(id: string, fields: Partial<CardFields>): void {
    this.local(() => updateCard(this.doc, id, fields), true);
  }

  removeCard(id: string): void {
    this.local(() => deleteCard(this.doc, id));
  }

  undo(): void {
    this.undoManager.undo();
  }

  redo(): void {
    this.undoManager.redo();
  }

  close(): void {
    this.closed = true;
    cancelAnimationFrame(this.frame);
    clearTimeout(this.confirmTimer);
    window.removeEventListener('offline', this.onNetwork);
    window.removeEventListener('online', this.onNetwork);
    this.undoManager.destroy();
    void this.persistence?.destroy();
    if (this.conn) this.conn.close();
    else this.doc.destroy();
  }

  /** Many remote updates in one frame (a 1,000-note board opening) cost one read. */
  private scheduleRead(): void {
    if (this.frame || !this.loaded) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.read();
    });
  }

  private read(): void {
    // Unchanged notes keep their object, so only the changed ones re-render.
    const next = new Map<string, NoteView>();
    this.notes = readNotes(this.doc).map((n) => {
      const old = this.noteCache.get(n.id);
      const same = old && sameNote(old, n);
      next.set(n.id, same ? old : n);
      return same ? old : n;
    });
    this.noteCache = next;
    this.clusters = readClusters(this.doc);
    this.cards = readCards(this.doc);
  }

  private readPresence(): void {
    const provider = this.conn?.provider;
    if (!provider) return;
    const seen = new Map<string, BoardUser>();
    for (const [clientId, state] of provider.awareness.getStates()) {
      if (clientId === this.doc.clientID) continue;
      const user = (state as { user?: BoardUser }).user;
      if (user && typeof user.id === 'string' && typeof user.name === 'string') seen.set(user.id, user);
    }
    this.present = [...seen.values()];
  }

  private onAck(): void {
    const upTo = this.pendingAcks.shift();
    if (upTo !== undefined) this.confirmed = Math.max(this.confirmed, upTo);
    if (this.confirmed >= this.localSeq) {
      if (this.pendingAcks.length === 0) this.sync = 'saved';
    } else this.confirmLocal();
  }

  /**
   * y-websocket never acknowledges an update. Asking for sync step 1 after our edits does:
   * the server answers in order, so its step 2 arrives only after it has taken our update.
   */
  private confirmLocal(): void {
    const provider = this.conn?.provider;
    if (!provider || !provider.wsconnected || !navigator.onLine) {
      this.sync = provider?.wsconnecting ? 'syncing' : 'offline';
      return;
    }
    if (this.confirmed >= this.localSeq && this.pendingAcks.length === 0) {
      this.sync = 'saved';
      return;
    }
    this.sync = 'syncing';
    clearTimeout(this.confirmTimer);
    this.confirmTimer = setTimeout(() => {
      const ws = provider.ws;
      if (!provider.wsconnected || !ws || ws.readyState !== ws.OPEN) return;
      this.pendingAcks.push(this.localSeq);
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, messageSync);
      syncProtocol.writeSyncStep1(encoder, this.doc);
      ws.send(encoding.toUint8Array(encoder));
    }, 250);
  }
}

function sameNote(a: NoteView, b: NoteView): boolean {
  return (
    a.text === b.text &&
    a.color === b.color &&
    a.area === b.area &&
    a.clusterId === b.clusterId &&
    a.x === b.x &&
    a.y === b.y &&
    a.authorName === b.authorName &&
    a.stageId === b.stageId &&
    a.subject === b.subject &&
    a.fromGroup === b.fromGroup &&
    a.reactions.length === b.reactions.length &&
    a.reactions.every((r, i) => r === b.reactions[i])
  );
}
