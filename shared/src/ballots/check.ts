import { DELPHI_COMMENT_MAX } from './delphi.js';
import { ngtPicks } from './ngt.js';
import { BALLOT_LIMITS, type BallotAnswer, type BallotDef, type BallotScale } from './types.js';

/** Why an answer is refused; each is an error code with an `error.<code>` catalogue text. */
export type AnswerProblem =
  | 'wrong_kind'
  | 'unknown_option'
  | 'unknown_criterion'
  | 'duplicate_option'
  | 'incomplete_answer'
  | 'out_of_scale'
  | 'too_many_choices'
  | 'too_many_dots'
  | 'too_many_on_one'
  | 'bad_count'
  | 'empty_answer'
  | 'too_large';


const inScale = (g: unknown, s: BallotScale | undefined): boolean =>
  s !== undefined && Number.isInteger(g) && (g as number) >= s.min && (g as number) <= s.max;

/** Check a set of grades keyed by option: known options only, every grade on the scale, all of them if `complete`. */
function checkGrades(def: BallotDef, grades: Record<string, number>, complete: boolean): AnswerProblem | null {
  const known = new Set(def.options.map((o) => o.id));
  const entries = Object.entries(grades);
  for (const [id, g] of entries) {
    if (!known.has(id)) return 'unknown_option';
    if (!inScale(g, def.scale)) return 'out_of_scale';
  }
  if (entries.length === 0) return complete ? 'incomplete_answer' : 'empty_answer';
  if (complete && entries.length !== known.size) return 'incomplete_answer';
  return null;
}

/**
 * Whether `answer` is a valid answer to `def` (its status is not looked at: see
 * `answerProblem` in flow/ballots). Null when it is; otherwise the reason:
 * - `wrong_kind`: the answer is of another kind than the ballot;
 * - `single`: `unknown_option`;
 * - `multiple`: `unknown_option`, `duplicate_option`, `empty_answer` (none chosen —
 *   withdraw instead), `too_many_choices` (over `maxChoices`);
 * - `dots`: `unknown_option`, `bad_count` (not a whole number ≥ 0), `too_many_on_one`,
 *   `too_many_dots`, `empty_answer` (no dot at all);
 * - `ranking`: `unknown_option`, `duplicate_option`, `incomplete_answer` (every option once);
 * - `rating`: `unknown_option`, `out_of_scale` (not an integer on the scale),
 *   `empty_answer` (nothing rated); options may be skipped;
 * - `matrix`: `unknown_option`, `unknown_criterion`, `out_of_scale`, `incomplete_answer`
 *   (every object × criterion);
 * - `majority`: `unknown_option`, `out_of_scale`, `incomplete_answer` (every option);
 * - `text`: `empty_answer` (blank), `too_large` (over 2,000 characters).
 */
export function checkAnswer(def: BallotDef, answer: BallotAnswer): AnswerProblem | null {
  if (answer.kind !== def.kind) return 'wrong_kind';
  const known = new Set(def.options.map((o) => o.id));
  switch (answer.kind) {
    case 'single':
      return known.has(answer.option) ? null : 'unknown_option';
    case 'multiple': {
      const seen = new Set<string>();
      for (const id of answer.options) {
        if (!known.has(id)) return 'unknown_option';
        if (seen.has(id)) return 'duplicate_option';
        seen.add(id);
      }
      if (seen.size === 0) return 'empty_answer';
      if (seen.size > (def.maxChoices ?? known.size)) return 'too_many_choices';
      return null;
    }
    case 'dots': {
      let total = 0;
      for (const [id, n] of Object.entries(answer.dots)) {
        if (!known.has(id)) return 'unknown_option';
        if (!Number.isInteger(n) || n < 0) return 'bad_count';
        if (n > (def.maxPerOption ?? def.dots ?? 0)) return 'too_many_on_one';
        total += n;
      }
      if (total > (def.dots ?? 0)) return 'too_many_dots';
      if (total === 0) return 'empty_answer';
      return null;
    }
    case 'ranking': {
      const seen = new Set<string>();
      for (const id of answer.order) {
        if (!known.has(id)) return 'unknown_option';
        if (seen.has(id)) return 'duplicate_option';
        seen.add(id);
      }
      return seen.size === (def.ngt ? ngtPicks(known.size) : known.size) ? null : 'incomplete_answer';
    }
    case 'rating': {
      const problem = checkGrades(def, answer.ratings, false);
      if (problem || !answer.comments) return problem;
      for (const [id, text] of Object.entries(answer.comments)) {
        if (!known.has(id)) return 'unknown_option';
        if (typeof text !== 'string' || text.trim().length > DELPHI_COMMENT_MAX) return 'too_large';
      }
      return null;
    }
    case 'majority':
      return checkGrades(def, answer.grades, true);
    case 'matrix': {
      const criteria = new Set((def.criteria ?? []).map((c) => c.id));
      const objects = Object.entries(answer.scores);
      for (const [id, row] of objects) {
        if (!known.has(id)) return 'unknown_option';
        const cells = Object.entries(row);
        for (const [cid, g] of cells) {
          if (!criteria.has(cid)) return 'unknown_criterion';
          if (!inScale(g, def.scale)) return 'out_of_scale';
        }
        if (cells.length !== criteria.size) return 'incomplete_answer';
      }
      if (def.competence && answer.competence === undefined) return 'incomplete_answer';
      if (answer.competence !== undefined && !(Number.isInteger(answer.competence) && answer.competence >= 1 && answer.competence <= 10))
        return 'out_of_scale';
      return objects.length === known.size ? null : 'incomplete_answer';
    }
    case 'text': {
      const text = answer.text.trim();
      if (text.length === 0) return 'empty_answer';
      return text.length > BALLOT_LIMITS.text ? 'too_large' : null;
    }
  }
}

/**
 * The answer as stored: text trimmed, zero dots dropped, keys in the ballot's
 * option order. Call only on an answer {@link checkAnswer} accepted.
 */
export function normalizeAnswer(def: BallotDef, answer: BallotAnswer): BallotAnswer {
  const ordered = <T>(rec: Record<string, T>, keep: (v: T) => boolean = () => true): Record<string, T> => {
    const map = new Map(Object.entries(rec));
    return Object.fromEntries(def.options.filter((o) => map.has(o.id) && keep(map.get(o.id)!)).map((o) => [o.id, map.get(o.id)!]));
  };
  switch (answer.kind) {
    case 'text':
      return { kind: 'text', text: answer.text.trim() };
    case 'dots':
      return { kind: 'dots', dots: ordered(answer.dots, (n) => n > 0) };
    case 'multiple': {
      const chosen = new Set(answer.options);
      return { kind: 'multiple', options: def.options.filter((o) => chosen.has(o.id)).map((o) => o.id) };
    }
    case 'rating': {
      const comments = answer.comments ? ordered(Object.fromEntries(Object.entries(answer.comments).map(([k, v]) => [k, v.trim()])), (v) => v.length > 0) : {};
      return Object.keys(comments).length > 0 ? { kind: 'rating', ratings: ordered(answer.ratings), comments } : { kind: 'rating', ratings: ordered(answer.ratings) };
    }
    case 'majority':
      return { kind: 'majority', grades: ordered(answer.grades) };
    case 'matrix': {
      const criteria = def.criteria ?? [];
      const rows = ordered(answer.scores);
      const scores = Object.fromEntries(
        Object.entries(rows).map(([id, row]) => {
          const cells = new Map(Object.entries(row));
          return [id, Object.fromEntries(criteria.map((c) => [c.id, cells.get(c.id)!]))];
        }),
      );
      return def.competence && answer.competence !== undefined
        ? { kind: 'matrix', scores, competence: answer.competence }
        : { kind: 'matrix', scores };
    }
    default:
      return answer;
  }
}
