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
  acquire(name: string): Promise<SharedDoc>;
  release(doc: SharedDoc): void;
  /** A document to read only (live, or a temporary copy from the store); null when never written. */
  peek(name: string): Promise<{ doc: Y.Doc; release: () => void } | null>;
  /** The transaction origin of the server's own changes: relayed to every client. */
  origin: unknown;
}

/**
 * Carry out the board work of a command. Runs before the command is committed, so
 * it must be safe to repeat: copies keep deterministic ids. Changes are made in the
 * live SharedDoc's turn and written like a client's update: logged in the store, then
 * applied and relayed.
 */
export async function runBoardEffects(boards: Boards, room: Room, effects: BoardEffect[]): Promise<ErrorCode | null> {
  for (const effect of effects) {
    const problem = effect.kind === 'reveal' ? await reveal(boards, room, effect.stageId) : await publish(boards, room, effect.groupId, effect.noteIds);
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
async function reveal(boards: Boards, room: Room, stageId: string): Promise<null> {
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
    const sources: { doc: Y.Doc; release: () => void }[] = [];
    let target: SharedDoc | null = null;
    try {
      for (const pid of pids) {
        const source = await boards.peek(boardDocName(room.id, personalBoardId(pid)));
        if (source) sources.push(source);
      }
      if (sources.length === 0) continue;
      const into = (target = await boards.acquire(boardDocName(room.id, groupBoardId(groupId))));
      await into.run(async () => {
        if (!(await into.fits(0, maxBytes))) {
          console.warn(`reveal: ${into.name} is at its size cap; nothing copied`);
          return;
        }
        const skipped = await into.change((draft) => {
          let n = 0;
          draft.transact(() => {
            for (const src of sources) n += revealInto(draft, src.doc, stageId, { maxNotes }).skipped;
          });
          return n;
        }, boards.origin);
        if (skipped > 0) console.warn(`reveal: ${into.name} is full; ${skipped} notes stay on personal boards`);
      });
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
async function publish(boards: Boards, room: Room, groupId: string, ids: string[]): Promise<ErrorCode | null> {
  const source = await boards.peek(boardDocName(room.id, groupBoardId(groupId)));
  if (!source) return 'bad_request';
  const { maxNotes, maxBytes } = boards.limits();
  let target: SharedDoc | null = null;
  try {
    const into = (target = await boards.acquire(boardDocName(room.id, PLENARY_BOARD_ID)));
    return await into.run(async (): Promise<ErrorCode | null> => {
      const plan = planPublish(into.doc, source.doc, ids, groupId, { maxNotes });
      // An id that names nothing on the group board (deleted meanwhile, or not the group's).
      if (!plan.ok) return plan.error === 'not_found' ? 'bad_request' : plan.error;
      // Room for the copies: their text plus a generous allowance for each entry's fields.
      const estimate =
        plan.notes.reduce((n, note) => n + Buffer.byteLength(note.text) + 256, 0) +
        plan.cards.reduce((n, card) => n + Buffer.byteLength(JSON.stringify(card)) + 256, 0);
      if (!(await into.fits(estimate, maxBytes))) return 'too_large';
      await into.change((draft) => draft.transact(() => publishInto(draft, source.doc, ids, groupId, { maxNotes })), boards.origin);
      return null;
    });
  } finally {
    source.release();
    if (target) boards.release(target);
  }
}
