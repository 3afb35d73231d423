import type { SessionState } from '../model/types.js';

/** The changed elements of one array field: its new length, each new or replaced element, and each element's changed fields, by index. */
export interface ArrayPatch {
  length: number;
  at: Record<number, unknown>;
  /** Top-level fields that changed in an element kept in place (a stage gaining a visit sends its visits alone). */
  fields?: Record<number, Record<string, unknown>>;
}

type ArrayKey = { [K in keyof SessionState]-?: SessionState[K] extends readonly unknown[] ? K : never }[keyof SessionState];

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

/** The elements of `after` that differ from `before`, or null when most were replaced (the whole array is then smaller). */
function arrayPatch(before: readonly unknown[], after: readonly unknown[], same: Same): ArrayPatch | null {
  const at: Record<number, unknown> = {};
  const fields: Record<number, Record<string, unknown>> = {};
  let replaced = 0;
  for (let i = 0; i < after.length; i++) {
    if (i < before.length && same(before[i], after[i])) continue;
    const changed = i < before.length ? changedFields(before[i], after[i], same) : null;
    if (changed) {
      fields[i] = changed;
      continue;
    }
    at[i] = after[i];
    replaced++;
  }
  if (replaced * 2 > after.length) return null;
  return Object.keys(fields).length ? { length: after.length, at, fields } : { length: after.length, at };
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** The top-level fields of `b` that differ from `a`, when both are objects with the same id and `b` dropped none of `a`'s fields. */
function changedFields(a: unknown, b: unknown, same: Same): Record<string, unknown> | null {
  if (!isRecord(a) || !isRecord(b) || a.id !== b.id) return null;
  if (Object.keys(a).some((k) => !(k in b))) return null;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(b)) {
    if (same(a[k], b[k])) continue;
    // JSON drops an undefined value, which would leave the old one in place: send the element whole.
    if (b[k] === undefined) return null;
    out[k] = b[k];
  }
  return out;
}

/** `state` with a diff applied; the input is not changed. */
export function applyDiff(state: SessionState, diff: StateDiff): SessionState {
  const next: Record<string, unknown> = { ...state, ...diff.set };
  for (const [key, part] of Object.entries(diff.items ?? {}) as [string, ArrayPatch][]) {
    const current = next[key];
    const arr = Array.isArray(current) ? current.slice(0, part.length) : [];
    for (const [index, value] of Object.entries(part.at)) arr[Number(index)] = value;
    for (const [index, changed] of Object.entries(part.fields ?? {})) {
      const i = Number(index);
      arr[i] = { ...(arr[i] as Record<string, unknown>), ...changed };
    }
    arr.length = part.length;
    next[key] = arr;
  }
  return next as unknown as SessionState;
}
