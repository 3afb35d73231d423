import type * as Y from 'yjs';
import {
  boardDocName,
  groupBoardId,
  personalBoardId,
  planPublish,
  PLENARY_BOARD_ID,
  publishInto,
  revealInto,
  type BoardEffect,
  type ErrorCode,
} from '@kenes/shared';
import type { Room } from '../realtime/room.js';
import type { SharedDoc } from './doc.js';
import type { BoardLimits } from './endpoint.js';

/** What board effects need from the Yjs endpoint. */
export interface Boards {
  limits(): BoardLimits;
  /** The live document, loaded if need be; hand it back with `release` so it can unload. */
  acquire(name: string): SharedDoc;
  release(doc: SharedDoc): void;
  /** A document to read only (live, or a temporary copy from the store); null when never written. */
  peek(name: string): { doc: Y.Doc; release: () => void } | null;
  /** The transaction origin of the server's own changes: relayed to every client. */
  origin: unknown;
}

/**
 * Carry out the board work of a command. Runs before the command is committed, so
 * it must be safe to repeat: copies keep deterministic ids. Changes are made on the
 * live SharedDoc, whose update handler logs them in the store and relays them, exactly
 * as a client's update would be.
 */
export function runBoardEffects(boards: Boards, room: Room, effects: BoardEffect[]): ErrorCode | null {
  for (const effect of effects) {
    const problem = effect.kind === 'reveal' ? reveal(boards, room, effect.stageId) : publish(boards, room, effect.groupId, effect.noteIds);
    if (problem) return problem;
  }
  return null;
}

/**
 * Every teacher in a group gets the stage's notes from their personal board copied
 * onto their group's board. Teachers with no group keep theirs private. Group boards
 * already at their size cap are left alone, and notes past the note limit stay on
 * the personal board: nothing is lost, and a board never exceeds its limits.
 */
function reveal(boards: Boards, room: Room, stageId: string): null {
  const members = new Map<string, string[]>();
  const groups = new Set(room.state.groups.map((g) => g.id));
  for (const p of room.roster.values()) {
    if (!p.groupId || !groups.has(p.groupId)) continue;
    const list = members.get(p.groupId) ?? [];
    list.push(p.id);
    members.set(p.groupId, list);
  }
  const { maxNotes, maxBytes } = boards.limits();
  for (const [groupId, pids] of members) {
    const sources = pids
      .map((pid) => boards.peek(boardDocName(room.id, personalBoardId(pid))))
      .filter((s): s is NonNullable<typeof s> => s !== null);
    if (sources.length === 0) continue;
    let target: SharedDoc | null = null;
    try {
      target = boards.acquire(boardDocName(room.id, groupBoardId(groupId)));
      if (!target.fits(0, maxBytes)) {
        console.warn(`reveal: ${target.name} is at its size cap; nothing copied`);
        continue;
      }
      const into = target.doc;
      let skipped = 0;
      into.transact(() => {
        for (const src of sources) skipped += revealInto(into, src.doc, stageId, { maxNotes }).skipped;
      }, boards.origin);
      if (skipped > 0) console.warn(`reveal: ${target.name} is full; ${skipped} notes stay on personal boards`);
    } finally {
      for (const src of sources) src.release();
      if (target) boards.release(target);
    }
  }
  return null;
}

/**
 * A group's chosen notes and cards onto the plenary board; all or nothing: `bad_request`
 * when an id names nothing on the group board, `board_full` when the new notes would not
 * fit, `too_large` when the plenary board is at its size cap.
 */
function publish(boards: Boards, room: Room, groupId: string, ids: string[]): ErrorCode | null {
  const source = boards.peek(boardDocName(room.id, groupBoardId(groupId)));
  if (!source) return 'bad_request';
  const { maxNotes, maxBytes } = boards.limits();
  let target: SharedDoc | null = null;
  try {
    target = boards.acquire(boardDocName(room.id, PLENARY_BOARD_ID));
    const plan = planPublish(target.doc, source.doc, ids, groupId, { maxNotes });
    // An id that names nothing on the group board (deleted meanwhile, or not the group's).
    if (!plan.ok) return plan.error === 'not_found' ? 'bad_request' : plan.error;
    // Room for the copies: their text plus a generous allowance for each entry's fields.
    const estimate =
      plan.notes.reduce((n, note) => n + Buffer.byteLength(note.text) + 256, 0) +
      plan.cards.reduce((n, card) => n + Buffer.byteLength(JSON.stringify(card)) + 256, 0);
    if (!target.fits(estimate, maxBytes)) return 'too_large';
    const into = target.doc;
    into.transact(() => publishInto(into, source.doc, ids, groupId, { maxNotes }), boards.origin);
    return null;
  } finally {
    source.release();
    if (target) boards.release(target);
  }
}
