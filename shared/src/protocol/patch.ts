import type { SessionState } from '../model/types.js';

/** The changed elements of one array field: its new length, and each new or replaced element by index. */
export interface ArrayPatch {
  length: number;
  at: Record<number, unknown>;
}

type ArrayKey = { [K in keyof SessionState]: SessionState[K] extends readonly unknown[] ? K : never }[keyof SessionState];

/** What changed between two control states: whole top-level values in `set`, changed elements of arrays in `items`. */
export interface StateDiff {
  set: Partial<SessionState>;
  /**
   * Array fields of which only some elements changed (a stage change touches two stages of eight):
   * sending those alone keeps a patch to 5,000 screens small.
   */
  items?: Partial<Record<ArrayKey, ArrayPatch>>;
}

/** Whether two values are the same: by reference, or by value when `deep` (states read back from storage share no objects). */
export type Same = (a: unknown, b: unknown) => boolean;

export const sameRef: Same = (a, b) => a === b;
export const sameValue: Same = (a, b) => a === b || JSON.stringify(a) === JSON.stringify(b);

/** The smallest description of `after` given `before`, under `same`; `version` is left to the caller. */
export function diffState(before: SessionState, after: SessionState, same: Same = sameRef): StateDiff {
  const set: Record<string, unknown> = {};
  const items: Record<string, ArrayPatch> = {};
  for (const key of Object.keys(after) as (keyof SessionState)[]) {
    if (key === 'version') continue;
    const a = before[key];
    const b = after[key];
    if (same(a, b)) continue;
    const part = Array.isArray(a) && Array.isArray(b) ? arrayPatch(a, b, same) : null;
    if (part) items[key] = part;
    else set[key] = b;
  }
  return Object.keys(items).length ? { set: set as Partial<SessionState>, items } : { set: set as Partial<SessionState> };
}

/** The elements of `after` that differ from `before`, or null when most did (the whole array is then smaller). */
function arrayPatch(before: readonly unknown[], after: readonly unknown[], same: Same): ArrayPatch | null {
  const at: Record<number, unknown> = {};
  let changed = 0;
  for (let i = 0; i < after.length; i++) {
    if (i < before.length && same(before[i], after[i])) continue;
    at[i] = after[i];
    changed++;
  }
  return changed * 2 <= after.length ? { length: after.length, at } : null;
}

/** `state` with a diff applied; the input is not changed. */
export function applyDiff(state: SessionState, diff: StateDiff): SessionState {
  const next: Record<string, unknown> = { ...state, ...diff.set };
  for (const [key, part] of Object.entries(diff.items ?? {}) as [string, ArrayPatch][]) {
    const current = next[key];
    const arr = Array.isArray(current) ? current.slice(0, part.length) : [];
    for (const [index, value] of Object.entries(part.at)) arr[Number(index)] = value;
    arr.length = part.length;
    next[key] = arr;
  }
  return next as unknown as SessionState;
}
