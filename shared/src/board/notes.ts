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
}

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

export function addNote(doc: Y.Doc, note: Omit<NoteView, 'text'> & { text: string }): void {
  doc.transact(() => {
    const m = new Y.Map<unknown>();
    m.set('id', note.id);
    m.set('text', new Y.Text(note.text));
    m.set('color', note.color);
    m.set('authorId', note.authorId);
    m.set('authorName', note.authorName);
    m.set('stageId', note.stageId);
    m.set('createdAt', note.createdAt);
    notesMap(doc).set(note.id, m);
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
    });
  });
  return out.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}
