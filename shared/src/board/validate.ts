import * as Y from 'yjs';
import { LIMITS } from '../model/limits.js';

/**
 * Why the server refused a board update. It closes that connection with
 * `BOARD_REFUSED_CODE` and this word as the close reason, and the document is untouched:
 * - `malformed`: the update does not decode;
 * - `too_large`: a piece of text longer than a note, or the board past its size cap;
 * - `board_full`: the update would put more than `LIMITS.boardNotes` notes on the board.
 */
export type UpdateProblem = 'malformed' | 'too_large' | 'board_full';

export const UPDATE_PROBLEMS: readonly UpdateProblem[] = ['malformed', 'too_large', 'board_full'];

/** The WebSocket close code (policy violation) that carries an `UpdateProblem` as its reason. */
export const BOARD_REFUSED_CODE = 1008;

/**
 * The refusal a board socket's close event reports, if it was one: clients reconnect and
 * resend, so a screen reads this to tell the user why their change does not stick.
 */
export function boardRefusal(event: { code: number; reason?: string } | null | undefined): UpdateProblem | null {
  if (!event || event.code !== BOARD_REFUSED_CODE) return null;
  return (UPDATE_PROBLEMS as readonly string[]).includes(event.reason ?? '') ? (event.reason as UpdateProblem) : null;
}

export interface BoardUpdateLimits {
  /** At most this many notes on the board (default `LIMITS.boardNotes`). */
  maxNotes?: number;
}

/**
 * Check a board update before it touches a document: it must decode, no piece of
 * text it inserts may exceed a note's length, and — given the document it is meant
 * for — it may not bring the board past its note limit.
 */
export function checkBoardUpdate(update: Uint8Array, doc?: Y.Doc, limits: BoardUpdateLimits = {}): UpdateProblem | null {
  if (update.byteLength > LIMITS.yjsMessageBytes) return 'too_large';
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  try {
    decoded = Y.decodeUpdate(update);
  } catch {
    return 'malformed';
  }
  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) continue;
    const content = struct.content;
    if (content instanceof Y.ContentString && content.str.length > LIMITS.note) return 'too_large';
    if (content instanceof Y.ContentAny && content.arr.some((v) => typeof v === 'string' && v.length > LIMITS.note))
      return 'too_large';
  }
  if (doc) {
    const max = limits.maxNotes ?? LIMITS.boardNotes;
    const notes = doc.getMap('notes');
    const added = newNoteKeys(doc, decoded.structs, decoded.ds).size;
    if (added > 0 && notes.size + added > max) {
      // Only when at the limit: give credit for notes the same update deletes.
      if (notes.size + added - removedNoteCount(notes, decoded.ds) > max) return 'board_full';
    }
  }
  return null;
}

type Struct = ReturnType<typeof Y.decodeUpdate>['structs'][number];
type DeleteSet = ReturnType<typeof Y.decodeUpdate>['ds'];
/** Where a map entry lives: a root type by name, or an integrated type. */
type Parent = { root: string } | { type: Y.AbstractType<unknown> } | null;

/**
 * The keys an update would add to the root `notes` map that the document does not hold
 * now. A fresh key is an Item whose parent is the root 'notes' (encoded by name) with a
 * `parentSub`; an overwrite carries only its origin (the entry it replaces), so its
 * parent and key are looked up through that origin — in the update or in the document —
 * and it counts when it would bring back a deleted key. Items the document already
 * has, and items the update itself deletes, add nothing.
 */
export function newNoteKeys(doc: Y.Doc, structs: Struct[], ds: DeleteSet): Set<string> {
  const notes = doc.getMap('notes');
  const store = doc.store;
  const known = (id: Y.ID) => id.clock < Y.getState(store, id.client);
  const inUpdate = new Map<string, Y.Item>();
  for (const s of structs) if (s instanceof Y.Item) inUpdate.set(`${s.id.client}:${s.id.clock}`, s);

  const resolve = (item: Y.Item, depth: number): { parent: Parent; key: string | null } => {
    if (typeof item.parent === 'string') return { parent: { root: item.parent }, key: item.parentSub };
    if (item.parent !== null && !(item.parent instanceof Y.ID)) return { parent: { type: item.parent as Y.AbstractType<unknown> }, key: item.parentSub };
    if (item.parent instanceof Y.ID) return { parent: null, key: null }; // inside a nested type: never a note key
    const ref = item.origin ?? item.rightOrigin;
    if (!ref || depth > 64) return { parent: null, key: null };
    const local = inUpdate.get(`${ref.client}:${ref.clock}`);
    if (local) return resolve(local, depth + 1);
    if (!known(ref)) return { parent: null, key: null };
    const target = Y.getItem(store, ref);
    if (!(target instanceof Y.Item)) return { parent: null, key: null };
    return { parent: { type: target.parent as Y.AbstractType<unknown> }, key: target.parentSub };
  };

  const keys = new Set<string>();
  for (const s of structs) {
    if (!(s instanceof Y.Item) || known(s.id) || Y.isDeleted(ds, s.id)) continue;
    if (s.parent instanceof Y.ID) continue;
    const { parent, key } = resolve(s, 0);
    if (key === null || !parent) continue;
    const isNotes = 'root' in parent ? parent.root === 'notes' : parent.type === notes;
    if (isNotes && !notes.has(key)) keys.add(key);
  }
  return keys;
}

/** How many notes the document holds now whose entry the delete set removes. */
function removedNoteCount(notes: Y.Map<unknown>, ds: DeleteSet): number {
  let n = 0;
  for (const item of notes._map.values()) if (!item.deleted && Y.isDeleted(ds, item.id)) n++;
  return n;
}
