import { openBoard, requestId, type BoardConnection } from '@kenes/shared/client';
import { addNote, deleteNote, editNote, readNotes, setNoteColor, type NoteColor, type NoteView } from '@kenes/shared';
import * as encoding from 'lib0/encoding';
import { messageSync } from 'y-websocket';
import * as syncProtocol from 'y-protocols/sync';
import { origin } from '../api/server';

export type SyncState = 'saved' | 'syncing' | 'offline';

export interface BoardOptions {
  sessionId: string;
  boardId: string;
  token?: string;
}

export interface NoteAuthor {
  id: string;
  name: string;
}

/** A board's Yjs document as runes: the notes, and whether our edits have reached the server. */
export class LiveBoard {
  readonly boardId: string;
  notes = $state.raw<NoteView[]>([]);
  sync = $state<SyncState>('syncing');
  /** The server closed the board for good (no right to open it). */
  denied = $state(false);

  private readonly conn: BoardConnection;
  private frame = 0;
  private confirmTimer: ReturnType<typeof setTimeout> | undefined;
  /** Edits made while offline go up on reconnect, after the server's own sync step 2. */
  private editedOffline = false;

  constructor(opts: BoardOptions) {
    this.boardId = opts.boardId;
    this.conn = openBoard({ url: origin(), ...opts });
    const { doc, provider } = this.conn;
    doc.on('update', (_update: Uint8Array, txOrigin: unknown) => {
      this.scheduleRead();
      if (txOrigin !== provider) this.confirmLocal();
    });
    provider.on('status', ({ status }) => {
      if (status === 'disconnected') this.sync = 'offline';
      else if (status === 'connecting' && this.sync !== 'offline') this.sync = 'syncing';
    });
    provider.on('sync', (synced: boolean) => {
      if (synced && this.editedOffline) {
        this.editedOffline = false;
        this.confirmLocal();
        return;
      }
      this.sync = synced ? 'saved' : provider.wsconnected ? 'syncing' : 'offline';
    });
    provider.on('closed', () => {
      this.denied = true;
      this.sync = 'offline';
    });
    this.notes = readNotes(doc);
    window.addEventListener('offline', this.onNetwork);
    window.addEventListener('online', this.onNetwork);
    if (!navigator.onLine) this.sync = 'offline';
  }

  private readonly onNetwork = () => {
    const { provider } = this.conn;
    if (!navigator.onLine) this.sync = 'offline';
    else if (provider.wsconnected) this.confirmLocal();
    else this.sync = 'syncing';
  };

  add(text: string, stageId: string, author: NoteAuthor, color: NoteColor = 'yellow'): void {
    const body = text.trim();
    if (!body) return;
    addNote(this.conn.doc, {
      id: requestId(),
      text: body,
      color,
      authorId: author.id,
      authorName: author.name,
      stageId,
      createdAt: Date.now(),
    });
  }

  edit(id: string, text: string): void {
    editNote(this.conn.doc, id, text);
  }

  color(id: string, color: NoteColor): void {
    setNoteColor(this.conn.doc, id, color);
  }

  remove(id: string): void {
    deleteNote(this.conn.doc, id);
  }

  close(): void {
    cancelAnimationFrame(this.frame);
    clearTimeout(this.confirmTimer);
    window.removeEventListener('offline', this.onNetwork);
    window.removeEventListener('online', this.onNetwork);
    this.conn.close();
  }

  /** Many remote updates in one frame (a 1,000-note board opening) cost one read. */
  private scheduleRead(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.notes = readNotes(this.conn.doc);
    });
  }

  /**
   * y-websocket never acknowledges an update. Asking for sync step 1 after our edits does:
   * the server answers in order, so its step 2 arrives only after it has taken our update.
   */
  private confirmLocal(): void {
    const { provider, doc } = this.conn;
    if (!provider.wsconnected || !navigator.onLine) {
      this.editedOffline = true;
      this.sync = 'offline';
      return;
    }
    this.sync = 'syncing';
    clearTimeout(this.confirmTimer);
    this.confirmTimer = setTimeout(() => {
      const ws = provider.ws;
      if (!provider.wsconnected || !ws || ws.readyState !== ws.OPEN) return;
      provider.synced = false;
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, messageSync);
      syncProtocol.writeSyncStep1(encoder, doc);
      ws.send(encoding.toUint8Array(encoder));
    }, 250);
  }
}
