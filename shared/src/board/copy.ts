import * as Y from 'yjs';
import { LIMITS } from '../model/limits.js';
import { cardsMap, readCards, type CardView } from './cards.js';
import { addNote, editNote, notesMap, readNotes, type NoteView } from './notes.js';

/**
 * Server-side copies between boards: the reveal (private notes onto the group board)
 * and publishing (group notes and prototype cards onto the plenary board). Both are
 * pure over Y.Doc and idempotent — copies have deterministic ids, so running one again
 * (a retried command, a crash between copy and commit) adds nothing twice.
 */

export interface CopyResult {
  /** Notes (and cards) added to the target. */
  added: number;
  /** Copies already there whose text or colour were brought up to date. */
  updated: number;
  /** Notes left out because the target board was full; they stay where they were. */
  skipped: number;
}

export interface CopyOptions {
  /** The target's note limit (default `LIMITS.boardNotes`). */
  maxNotes?: number;
}

/** The plenary id of a note or card published by a group. */
export const publishedId = (groupId: string, id: string) => `${groupId}:${id}`;

/**
 * Copy every note of `stageId` from a teacher's personal board onto their group's
 * board, keeping the note's id, text, colour, author, area, place and creation time.
 * A note already on the group board (copied before) is left as it is.
 */
export function revealInto(groupDoc: Y.Doc, personalDoc: Y.Doc, stageId: string, opts: CopyOptions = {}): CopyResult {
  const max = opts.maxNotes ?? LIMITS.boardNotes;
  const target = notesMap(groupDoc);
  const result: CopyResult = { added: 0, updated: 0, skipped: 0 };
  const notes = readNotes(personalDoc).filter((n) => n.stageId === stageId && !target.has(n.id));
  if (notes.length === 0) return result;
  groupDoc.transact(() => {
    for (const n of notes) {
      if (target.size >= max) {
        result.skipped++;
        continue;
      }
      addNote(groupDoc, { ...copyFields(n), id: n.id, clusterId: null });
      result.added++;
    }
  });
  return result;
}

export type PublishPlan =
  | { ok: true; notes: NoteView[]; cards: CardView[]; newNotes: number }
  | { ok: false; error: 'not_found' | 'board_full' };

/**
 * What publishing `ids` from a group board would do, without doing it: every id must
 * name a note or a prototype card on the group board (`not_found` otherwise — notes on a
 * personal board are never reachable from here), and the new notes must fit on the
 * plenary board (`board_full`).
 */
export function planPublish(plenaryDoc: Y.Doc, groupDoc: Y.Doc, ids: string[], groupId: string, opts: CopyOptions = {}): PublishPlan {
  const wanted = new Set(ids);
  const notes = readNotes(groupDoc).filter((n) => wanted.has(n.id));
  const cards = readCards(groupDoc).filter((c) => wanted.has(c.id));
  const found = new Set([...notes.map((n) => n.id), ...cards.map((c) => c.id)]);
  if ([...wanted].some((id) => !found.has(id))) return { ok: false, error: 'not_found' };
  const target = notesMap(plenaryDoc);
  const newNotes = notes.filter((n) => !target.has(publishedId(groupId, n.id))).length;
  if (target.size + newNotes > (opts.maxNotes ?? LIMITS.boardNotes)) return { ok: false, error: 'board_full' };
  return { ok: true, notes, cards, newNotes };
}

/**
 * Copy chosen notes and prototype cards of a group board onto the plenary board as
 * `<groupId>:<id>`, marked `fromGroup`. Publishing again brings an existing copy's text,
 * colour and card fields up to date (so a group can publish its revised solution) and
 * adds nothing twice. Ids that name nothing on the group board are ignored here; call
 * `planPublish` first to refuse them.
 */
export function publishInto(plenaryDoc: Y.Doc, groupDoc: Y.Doc, noteIds: string[], groupId: string, opts: CopyOptions = {}): CopyResult {
  const max = opts.maxNotes ?? LIMITS.boardNotes;
  const wanted = new Set(noteIds);
  const notes = readNotes(groupDoc).filter((n) => wanted.has(n.id));
  const cards = readCards(groupDoc).filter((c) => wanted.has(c.id));
  const result: CopyResult = { added: 0, updated: 0, skipped: 0 };
  const targetNotes = notesMap(plenaryDoc);
  const targetCards = cardsMap(plenaryDoc);
  plenaryDoc.transact(() => {
    for (const n of notes) {
      const id = publishedId(groupId, n.id);
      const existing = targetNotes.get(id);
      if (existing) {
        if (refreshNote(plenaryDoc, existing, id, n)) result.updated++;
        continue;
      }
      if (targetNotes.size >= max) {
        result.skipped++;
        continue;
      }
      addNote(plenaryDoc, { ...copyFields(n), id, clusterId: null, fromGroup: groupId });
      result.added++;
    }
    for (const c of cards) {
      const id = publishedId(groupId, c.id);
      const fields = cardFields(c, groupId);
      const existing = targetCards.get(id);
      if (existing) {
        if (refreshMap(existing, fields)) result.updated++;
        continue;
      }
      const m = new Y.Map<unknown>();
      for (const [k, v] of Object.entries({ ...fields, id })) m.set(k, v);
      targetCards.set(id, m);
      result.added++;
    }
  });
  return result;
}

function copyFields(n: NoteView) {
  return {
    text: n.text,
    color: n.color,
    authorId: n.authorId,
    authorName: n.authorName,
    stageId: n.stageId,
    createdAt: n.createdAt,
    area: n.area,
    x: n.x,
    y: n.y,
    subject: n.subject ?? undefined,
  };
}

/** A card as stored on the plenary board; `forms` is a plain array, as `addCard` stores it. */
function cardFields(c: CardView, groupId: string): Record<string, unknown> {
  return {
    stageId: c.stageId,
    authorId: c.authorId,
    authorName: c.authorName,
    createdAt: c.createdAt,
    fromNote: c.fromNote ? publishedId(groupId, c.fromNote) : null,
    fromGroup: groupId,
    title: c.title,
    manager: c.manager,
    goal: c.goal,
    audience: c.audience,
    forms: [...c.forms],
    formsOther: c.formsOther,
    indicators: c.indicators,
  };
}

/** Bring a published note's text and colour up to date; true when something changed. */
function refreshNote(doc: Y.Doc, m: Y.Map<unknown>, id: string, n: NoteView): boolean {
  let changed = false;
  const text = m.get('text');
  if (text instanceof Y.Text && text.toString() !== n.text) {
    editNote(doc, id, n.text);
    changed = true;
  }
  if (m.get('color') !== n.color) {
    m.set('color', n.color);
    changed = true;
  }
  return changed;
}

function refreshMap(m: Y.Map<unknown>, fields: Record<string, unknown>): boolean {
  let changed = false;
  for (const [k, v] of Object.entries(fields)) {
    if (JSON.stringify(m.get(k) ?? null) === JSON.stringify(v ?? null)) continue;
    m.set(k, v);
    changed = true;
  }
  return changed;
}
