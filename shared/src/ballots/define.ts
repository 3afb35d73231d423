import { defaultDots } from '../voting/dots.js';
import { checkDelphi } from './delphi.js';
import { BALLOT_LIMITS, type BallotDef, type BallotScale, type BallotSpec } from './types.js';

const ID = /^[A-Za-z0-9_-]{1,64}$/;
/** The scale a rating, matrix or majority ballot gets when none is given. */
export const DEFAULT_SCALE: BallotScale = { min: 1, max: 5 };

/** Kinds whose answers are grades on a scale. */
export const SCALED_KINDS: ReadonlySet<string> = new Set(['rating', 'matrix', 'majority']);

/**
 * A fresh draft from what the facilitator wrote: defaults filled in (privacy
 * `anonymous`, visibility `hidden`, tie rule `shared`, dots ≈ options ÷ 3, a 1–5
 * scale), texts trimmed, and fields that mean nothing for the kind dropped.
 * Check the result with {@link checkBallotDef}.
 */
export function buildBallot(spec: BallotSpec, id: string): BallotDef {
  const options = spec.kind === 'text' ? [] : spec.options.map((o) => ({ id: o.id, label: o.label.trim() }));
  const def: BallotDef = {
    id,
    kind: spec.kind,
    title: spec.title.trim(),
    options,
    privacy: spec.privacy ?? 'anonymous',
    visibility: spec.visibility ?? 'hidden',
    status: 'draft',
    round: 1,
    tieRule: spec.tieRule ?? 'shared',
    results: null,
    previous: null,
  };
  if (SCALED_KINDS.has(spec.kind)) {
    const scale = spec.scale ?? DEFAULT_SCALE;
    def.scale = { min: scale.min, max: scale.max, ...(scale.labels ? { labels: scale.labels.map((l) => l.trim()) } : {}) };
  }
  if (spec.kind === 'matrix') def.criteria = (spec.criteria ?? []).map((c) => ({ id: c.id, label: c.label.trim(), weight: c.weight }));
  if (spec.kind === 'dots') {
    def.dots = spec.dots ?? defaultDots(options.length);
    def.maxPerOption = spec.maxPerOption ?? def.dots;
  }
  if (spec.kind === 'multiple') def.maxChoices = spec.maxChoices ?? options.length;
  if (spec.kind === 'rating' && spec.delphi) def.delphi = { ...spec.delphi };
  if (spec.kind === 'ranking' && spec.ngt) def.ngt = true;
  if (spec.kind === 'matrix' && spec.competence) def.competence = true;
  return def;
}

/** What a ballot was made from, for `ballot.update` to change and rebuild. */
export function specOf(def: BallotDef): BallotSpec {
  const { id, kind, title, options, criteria, scale, dots, maxPerOption, maxChoices, privacy, visibility, tieRule, delphi, ngt, competence } = def;
  return { id, kind, title, options, criteria, scale, dots, maxPerOption, maxChoices, privacy, visibility, tieRule, delphi, ngt, competence };
}

const isInt = (x: unknown, lo: number, hi: number): x is number => Number.isInteger(x) && (x as number) >= lo && (x as number) <= hi;
const goodLabel = (s: string, max: number = BALLOT_LIMITS.label) => s.length >= 1 && s.length <= max;

/**
 * Whether a ballot can be run: `'bad_ballot'` when not, else null.
 * - a title of 1–500 characters;
 * - options with unique ids (letters, digits, `_`, `-`; ≤ 64) and labels of 1–500:
 *   none for `text`, at least 2 for `ranking`, 1–50 otherwise;
 * - a scale for `rating`/`matrix`/`majority`: integers, min < max, max − min ≤ 100,
 *   |bounds| ≤ 1000, and labels (if any) one per grade;
 * - criteria for `matrix`: 1–20, unique ids, weights > 0 (≤ 1000);
 * - `dots`: 1–20 dots, 1 ≤ maxPerOption ≤ dots; `multiple`: 1 ≤ maxChoices ≤ options.
 */
export function checkBallotDef(def: BallotDef): 'bad_ballot' | null {
  const bad = 'bad_ballot' as const;
  if (!goodLabel(def.title, BALLOT_LIMITS.title)) return bad;
  const n = def.options.length;
  if (def.kind === 'text' ? n !== 0 : n < (def.kind === 'ranking' ? 2 : 1) || n > BALLOT_LIMITS.options) return bad;
  const ids = new Set<string>();
  for (const o of def.options) {
    if (!ID.test(o.id) || ids.has(o.id) || !goodLabel(o.label)) return bad;
    ids.add(o.id);
  }
  if (SCALED_KINDS.has(def.kind)) {
    const s = def.scale;
    const B = BALLOT_LIMITS.scaleBound;
    if (!s || !isInt(s.min, -B, B) || !isInt(s.max, -B, B) || s.min >= s.max || s.max - s.min > BALLOT_LIMITS.scaleSpan) return bad;
    if (s.labels && (s.labels.length !== s.max - s.min + 1 || !s.labels.every((l) => goodLabel(l)))) return bad;
  }
  if (def.kind === 'matrix') {
    const cs = def.criteria ?? [];
    if (cs.length < 1 || cs.length > BALLOT_LIMITS.criteria) return bad;
    const cids = new Set<string>();
    for (const c of cs) {
      if (!ID.test(c.id) || cids.has(c.id) || !goodLabel(c.label)) return bad;
      if (typeof c.weight !== 'number' || !Number.isFinite(c.weight) || c.weight <= 0 || c.weight > 1000) return bad;
      cids.add(c.id);
    }
  }
  if (def.kind === 'dots') {
    if (!isInt(def.dots, 1, BALLOT_LIMITS.maxDots) || !isInt(def.maxPerOption, 1, def.dots)) return bad;
  }
  if (def.kind === 'multiple' && !isInt(def.maxChoices, 1, n)) return bad;
  if (def.delphi && checkDelphi(def.delphi)) return bad;
  return null;
}
