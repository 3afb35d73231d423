import * as Y from 'yjs';

export const NOTE_COLORS = ['yellow', 'green', 'blue', 'pink', 'purple', 'orange'] as const;
export type NoteColor = (typeof NOTE_COLORS)[number];

/** A plain view of a note, for rendering and for the minutes. */
export interface NoteView {
  id: string;
  text: string;
  color: NoteColor;
  authorId: string;
  authorName: string;
  stageId: string;
  createdAt: number;
  /** Layout area key (see layouts.ts); '' when placed before layouts existed. */
  area: string;
  /** The cluster the note was dropped into, if any. */
  clusterId: string | null;
  /** Participant ids who gave the note a +1. */
  reactions: string[];
  /** Position on a free canvas, in board units (0..1000). */
  x: number;
  y: number;
  /** On the plenary board: the group the note was published from. */
  fromGroup: string | null;
  /** What the note is about, e.g. the prototype card a feedback note answers. */
  subject: string | null;
}

/** What a caller supplies to create a note; placement and the rest default. */
export type NewNote = Pick<NoteView, 'id' | 'text' | 'color' | 'authorId' | 'authorName' | 'stageId' | 'createdAt'> &
  Partial<Pick<NoteView, 'area' | 'x' | 'y' | 'clusterId' | 'fromGroup' | 'subject'>>;

/** Positions on a free canvas run 0..CANVAS_SIZE each way, whatever the screen's size. */
export const CANVAS_SIZE = 1000;

/** A canvas coordinate, rounded and kept on the canvas. */
export const clampToCanvas = (v: number): number => Math.max(0, Math.min(CANVAS_SIZE, Math.round(v)));

/** The board the plenary sees: groups publish to it, the projector shows it. */
export const PLENARY_BOARD_ID = 'plenary';

/** Board ids inside a session: one per teacher, one per group, and the plenary board. */
export const personalBoardId = (participantId: string) => `p-${participantId}`;
export const groupBoardId = (groupId: string) => `g-${groupId}`;
/** The Yjs document name of a board, as used in `/yjs/<docName>`. */
export const boardDocName = (sessionId: string, boardId: string) => `${sessionId}/${boardId}`;

export function parseBoardId(boardId: string): { kind: 'personal' | 'group' | 'plenary'; id: string } | null {
  if (boardId === PLENARY_BOARD_ID) return { kind: 'plenary', id: PLENARY_BOARD_ID };
  const m = /^([pg])-([A-Za-z0-9_-]{1,40})$/.exec(boardId);
  if (!m) return null;
  return { kind: m[1] === 'p' ? 'personal' : 'group', id: m[2]! };
}

export function notesMap(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap('notes');
}

export function addNote(doc: Y.Doc, note: NewNote): void {
  doc.transact(() => {
    const m = new Y.Map<unknown>();
    m.set('id', note.id);
    m.set('text', new Y.Text(note.text));
    m.set('color', note.color);
    m.set('authorId', note.authorId);
    m.set('authorName', note.authorName);
    m.set('stageId', note.stageId);
    m.set('createdAt', note.createdAt);
    m.set('area', note.area ?? '');
    m.set('clusterId', note.clusterId ?? null);
    m.set('x', note.x ?? 0);
    m.set('y', note.y ?? 0);
    if (note.fromGroup) m.set('fromGroup', note.fromGroup);
    if (note.subject) m.set('subject', note.subject);
    m.set('reactions', new Y.Map<boolean>());
    notesMap(doc).set(note.id, m);
  });
}

/** Move a note to another area or place, or into or out of a cluster. */
export function moveNote(
  doc: Y.Doc,
  id: string,
  to: { area?: string; x?: number; y?: number; clusterId?: string | null },
): void {
  const m = notesMap(doc).get(id);
  if (!m) return;
  doc.transact(() => {
    if (to.area !== undefined) m.set('area', to.area);
    if (to.x !== undefined) m.set('x', to.x);
    if (to.y !== undefined) m.set('y', to.y);
    if (to.clusterId !== undefined) m.set('clusterId', to.clusterId);
  });
}

/** Give or take back one participant's +1 on a note. */
export function toggleReaction(doc: Y.Doc, id: string, participantId: string): void {
  const m = notesMap(doc).get(id);
  if (!m) return;
  let reactions = m.get('reactions');
  doc.transact(() => {
    if (!(reactions instanceof Y.Map)) {
      reactions = new Y.Map<boolean>();
      m.set('reactions', reactions);
    }
    const r = reactions as Y.Map<boolean>;
    if (r.has(participantId)) r.delete(participantId);
    else r.set(participantId, true);
  });
}

/** Replace a note's text with the smallest edit, so concurrent edits elsewhere in it survive. */
export function editNote(doc: Y.Doc, id: string, text: string): void {
  const m = notesMap(doc).get(id);
  const ytext = m?.get('text');
  if (!(ytext instanceof Y.Text)) return;
  const old = ytext.toString();
  if (old === text) return;
  let start = 0;
  while (start < old.length && start < text.length && old[start] === text[start]) start++;
  let endOld = old.length;
  let endNew = text.length;
  while (endOld > start && endNew > start && old[endOld - 1] === text[endNew - 1]) {
    endOld--;
    endNew--;
  }
  doc.transact(() => {
    if (endOld > start) ytext.delete(start, endOld - start);
    if (endNew > start) ytext.insert(start, text.slice(start, endNew));
  });
}

export function setNoteColor(doc: Y.Doc, id: string, color: NoteColor): void {
  notesMap(doc).get(id)?.set('color', color);
}

export function deleteNote(doc: Y.Doc, id: string): void {
  notesMap(doc).delete(id);
}

export function readNotes(doc: Y.Doc): NoteView[] {
  const out: NoteView[] = [];
  notesMap(doc).forEach((m, id) => {
    const text = m.get('text');
    const color = m.get('color');
    out.push({
      id,
      text: text instanceof Y.Text ? text.toString() : String(text ?? ''),
      color: (NOTE_COLORS as readonly unknown[]).includes(color) ? (color as NoteColor) : 'yellow',
      authorId: String(m.get('authorId') ?? ''),
      authorName: String(m.get('authorName') ?? ''),
      stageId: String(m.get('stageId') ?? ''),
      createdAt: Number(m.get('createdAt') ?? 0),
      area: String(m.get('area') ?? ''),
      clusterId: (m.get('clusterId') as string | null | undefined) ?? null,
      reactions: readReactions(m.get('reactions')),
      x: Number(m.get('x') ?? 0),
      y: Number(m.get('y') ?? 0),
      fromGroup: (m.get('fromGroup') as string | undefined) ?? null,
      subject: (m.get('subject') as string | undefined) ?? null,
    });
  });
  return out.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

function readReactions(value: unknown): string[] {
  return value instanceof Y.Map ? [...value.keys()].sort() : [];
}
