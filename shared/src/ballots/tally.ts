import { borda, rankSums } from '../stats/borda.js';
import { mean } from '../stats/descriptive.js';
import { fleissKappa } from '../stats/fleiss.js';
import { agreementBand, consistencyBand } from '../stats/interpret.js';
import { kendallW } from '../stats/kendall.js';
import { majorityJudgement } from '../stats/majority.js';
import { outlyingExperts } from '../stats/outliers.js';
import { delphiComments } from './delphi.js';
import { ngtPicks, ngtScores, ngtSplit } from './ngt.js';
import { BALLOT_LIMITS } from './types.js';

/** Rank sums of NGT answers: an option left out of an answer counts as place picks + 1. */
function ngtRankSums(ids: readonly string[], orders: readonly string[][]): Record<string, number> {
  const unranked = ngtPicks(ids.length) + 1;
  return Object.fromEntries(ids.map((id) => [id, orders.reduce((sum, o) => sum + (o.includes(id) ? o.indexOf(id) + 1 : unranked), 0)]));
}
import type {
  Agreement,
  AnswerRecord,
  BallotAnswer,
  BallotDef,
  BallotResults,
  CountResults,
  DotsResults,
  MajorityResults,
  MatrixResults,
  RankingResults,
  RatingResults,
  Spread,
  TextResults,
  TieRule,
} from './types.js';

/** A record's own value (never one inherited from Object.prototype, whatever the key). */
function own<T>(rec: Readonly<Record<string, T>> | undefined, k: string): T | undefined {
  return rec !== undefined && Object.hasOwn(rec, k) ? rec[k] : undefined;
}

/** A statistic as stored in results: JSON has no NaN or ∞, so an undefined value is null. */
const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);
const EPS = 1e-9;
const same = (a: number | null, b: number | null) => (a === null || b === null ? a === b : Math.abs(a - b) <= EPS);

/**
 * Mean, median, quartiles, IQR, population σ and V of some grades, with V's
 * consistency band; all null when empty. The same definitions as `mean`,
 * `quartiles` (type 7), `populationStdDev` and `coefficientOfVariation` in stats,
 * computed from one sort so a live tally of thousands of answers stays cheap.
 */
export function spreadOf(values: readonly number[]): Spread {
  const n = values.length;
  if (n === 0) return { n: 0, mean: null, median: null, q1: null, q3: null, iqr: null, sd: null, V: null, consistency: null };
  const xs = Float64Array.from(values).sort();
  const q = (p: number) => {
    const h = (n - 1) * p;
    const lo = Math.floor(h);
    return xs[lo]! + (h - lo) * (xs[Math.min(lo + 1, n - 1)]! - xs[lo]!);
  };
  let sum = 0;
  for (const x of xs) sum += x;
  const m = sum / n;
  let ss = 0;
  for (const x of xs) ss += (x - m) * (x - m);
  const sd = Math.sqrt(ss / n);
  const V = m === 0 ? null : finite((sd * 100) / Math.abs(m));
  const q1 = q(0.25);
  const q3 = q(0.75);
  return { n, mean: m, median: q(0.5), q1, q3, iqr: q3 - q1, sd, V, consistency: V === null ? null : consistencyBand(V) };
}

/**
 * Kendall's W of `scores[expert][object]` with χ², p, its agreement band and each
 * expert's distance from the consensus (1-based expert numbers); null with fewer
 * than 2 experts or 2 objects.
 */
export function agreementOf(scores: readonly (readonly number[])[]): Agreement | null {
  if (scores.length < 2 || (scores[0]?.length ?? 0) < 2) return null;
  const w = kendallW(scores);
  const W = finite(w.W);
  const flagged = outlyingExperts(scores).filter((e) => e.flagged);
  return {
    experts: scores.length,
    W,
    chiSquare: finite(w.chiSquare),
    df: w.df,
    p: finite(w.p),
    band: W === null ? null : agreementBand(W),
    flagged: flagged.length,
    outliers: flagged.slice(0, BALLOT_LIMITS.outliers).map((e) => ({ expert: e.expert + 1, rho: finite(e.rho) })),
  };
}

interface Row {
  optionId: string;
  primary: number | null;
  secondary: number | null;
}

/**
 * Places rows best first by `primary` (higher is better, null last), then by
 * `secondary` under `secondary-then-shared`; rows equal on what the rule looks at
 * share a rank; otherwise the ballot's option order is kept.
 */
function place<T extends Row>(rows: T[], rule: TieRule, voters: number): { rows: (T & { rank: number })[]; tie: boolean } {
  const useSecondary = rule === 'secondary-then-shared';
  const cmp = (a: number | null, b: number | null) => (same(a, b) ? 0 : a === null ? 1 : b === null ? -1 : b - a);
  const key = (a: T, b: T) => cmp(a.primary, b.primary) || (useSecondary ? cmp(a.secondary, b.secondary) : 0);
  const sorted = rows.map((r, i) => ({ r, i })).sort((a, b) => key(a.r, b.r) || a.i - b.i);
  const out: (T & { rank: number })[] = [];
  sorted.forEach(({ r }, i) => {
    const prev = out[i - 1];
    out.push({ ...r, rank: prev && key(prev, r) === 0 ? prev.rank : i + 1 });
  });
  const tie = voters > 0 && out.filter((r) => r.rank === 1).length > 1;
  return { rows: out, tie };
}

/** Drop the internal sort keys from placed rows. */
function strip<T extends Row & { rank: number }>(rows: T[]): Omit<T, 'primary' | 'secondary'>[] {
  return rows.map(({ primary: _p, secondary: _s, ...rest }) => rest);
}

function answersOf<K extends BallotAnswer['kind']>(records: readonly AnswerRecord[], kind: K): Extract<BallotAnswer, { kind: K }>[] {
  return records.map((r) => r.answer).filter((a): a is Extract<BallotAnswer, { kind: K }> => a.kind === kind);
}

function histogram(values: readonly number[], min: number, max: number): number[] {
  const counts = new Array<number>(max - min + 1).fill(0);
  for (const v of values) if (v >= min && v <= max) counts[v - min]!++;
  return counts;
}

/**
 * Tally every answer of one round of a ballot. Pure; answers of another kind are
 * ignored. Records are read in the order of their `voter` keys, so the result does
 * not depend on the order they come in and expert numbers (1-based) follow that
 * order. Every option appears in the results, best first, with its rank under the
 * ballot's tie rule, and `tie` says whether first place is shared. Statistics that
 * are undefined (no answers, V with a zero mean, W when all experts agree on
 * nothing but ties) are null; W carries its agreement band and V its consistency
 * band.
 */
export function tallyBallot(def: BallotDef, records: readonly AnswerRecord[]): BallotResults {
  const sorted = [...records].filter((r) => r.answer.kind === def.kind).sort((a, b) => (a.voter < b.voter ? -1 : a.voter > b.voter ? 1 : 0));
  const base = { round: def.round, voters: sorted.length, tieRule: def.tieRule };
  const ids = def.options.map((o) => o.id);
  const rule = def.tieRule;

  switch (def.kind) {
    case 'single':
    case 'multiple': {
      const counts = new Map(ids.map((id) => [id, 0]));
      for (const a of sorted.map((r) => r.answer)) {
        const chosen = a.kind === 'single' ? [a.option] : a.kind === 'multiple' ? a.options : [];
        for (const id of chosen) if (counts.has(id)) counts.set(id, counts.get(id)! + 1);
      }
      const placed = place(
        ids.map((optionId) => ({ optionId, primary: counts.get(optionId)!, secondary: null })),
        rule,
        base.voters,
      );
      const options = strip(placed.rows).map((r) => ({
        optionId: r.optionId,
        rank: r.rank,
        count: counts.get(r.optionId)!,
        share: base.voters === 0 ? 0 : counts.get(r.optionId)! / base.voters,
      }));
      return { kind: def.kind, ...base, tie: placed.tie, options } satisfies CountResults;
    }
    case 'dots': {
      const dots = new Map(ids.map((id) => [id, 0]));
      const people = new Map(ids.map((id) => [id, 0]));
      let total = 0;
      for (const a of answersOf(sorted, 'dots')) {
        for (const [id, n] of Object.entries(a.dots)) {
          if (!dots.has(id) || !(n > 0)) continue;
          dots.set(id, dots.get(id)! + n);
          people.set(id, people.get(id)! + 1);
          total += n;
        }
      }
      const placed = place(
        ids.map((optionId) => ({ optionId, primary: dots.get(optionId)!, secondary: people.get(optionId)! })),
        rule,
        total,
      );
      const options = strip(placed.rows).map((r) => ({
        optionId: r.optionId,
        rank: r.rank,
        dots: dots.get(r.optionId)!,
        share: total === 0 ? 0 : dots.get(r.optionId)! / total,
        voters: people.get(r.optionId)!,
      }));
      return { kind: 'dots', ...base, dots: total, tie: placed.tie, options } satisfies DotsResults;
    }
    case 'ranking': {
      const orders = answersOf(sorted, 'ranking').map((a) => a.order);
      // borda/rankSums key their result by the first ballot's order; with none, every option has 0.
      // NGT: top-five points (5…1) and rank sums with unranked options placed after the picks.
      const points = def.ngt ? ngtScores(ids, orders) : orders.length ? borda(orders) : {};
      const sums = def.ngt ? ngtRankSums(ids, orders) : orders.length ? rankSums(orders) : {};
      const get = (rec: Record<string, number>, id: string) => own(rec, id) ?? 0;
      const firsts = new Map(ids.map((id) => [id, 0]));
      for (const o of orders) if (o[0] !== undefined && firsts.has(o[0])) firsts.set(o[0], firsts.get(o[0])! + 1);
      const placed = place(
        ids.map((optionId) => ({ optionId, primary: get(points, optionId), secondary: firsts.get(optionId)! })),
        rule,
        orders.length,
      );
      const options = strip(placed.rows).map((r) => ({
        optionId: r.optionId,
        rank: r.rank,
        borda: get(points, r.optionId),
        rankSum: get(sums, r.optionId),
        meanRank: orders.length ? get(sums, r.optionId) / orders.length : null,
        firsts: firsts.get(r.optionId)!,
      }));
      const index = new Map(ids.map((id, i) => [id, i]));
      const position = orders.map((o) => {
        const row = new Array<number>(ids.length);
        o.forEach((id, place) => (row[index.get(id)!] = place + 1));
        return row;
      });
      if (def.ngt) {
        const split = ngtSplit(options.map((o) => ({ optionId: o.optionId, points: o.borda })));
        return { kind: 'ranking', ...base, tie: placed.tie, options, agreement: null, split } satisfies RankingResults;
      }
      return { kind: 'ranking', ...base, tie: placed.tie, options, agreement: agreementOf(position) } satisfies RankingResults;
    }
    case 'rating': {
      const scale = def.scale!;
      const ratings = answersOf(sorted, 'rating').map((a) => a.ratings);
      const stats = ids.map((id) => {
        const values = ratings.map((m) => own(m, id)).filter((v): v is number => v !== undefined);
        return { id, spread: spreadOf(values), counts: histogram(values, scale.min, scale.max) };
      });
      const placed = place(
        stats.map((s) => ({ optionId: s.id, primary: s.spread.mean, secondary: s.spread.median })),
        rule,
        base.voters,
      );
      const byId = new Map(stats.map((s) => [s.id, s]));
      const options = strip(placed.rows).map((r) => ({ optionId: r.optionId, rank: r.rank, ...byId.get(r.optionId)!.spread, counts: byId.get(r.optionId)!.counts }));
      const complete = ratings.filter((m) => ids.every((id) => own(m, id) !== undefined)).map((m) => ids.map((id) => own(m, id)!));
      const results: RatingResults = { kind: 'rating', ...base, tie: placed.tie, options, agreement: agreementOf(complete) };
      if (def.delphi) results.comments = delphiComments(def, sorted);
      return results;
    }
    case 'matrix': {
      const criteria = def.criteria ?? [];
      const totalWeight = criteria.reduce((s, c) => s + c.weight, 0);
      const matrixAnswers = answersOf(sorted, 'matrix');
      const answers = matrixAnswers.map((a) => a.scores);
      // An expert's self-rated competence weighs their scores; without it every expert counts alike.
      const competence = matrixAnswers.map((a) => (def.competence ? (a.competence ?? 1) : 1));
      const competenceSum = competence.reduce((s, k) => s + k, 0);
      const cell = (rows: Record<string, Record<string, number>>, id: string, c: string) => own(own(rows, id), c);
      // weighted[expert][object]
      const weighted = answers.map((rows) =>
        ids.map((id) => {
          let s = 0;
          for (const c of criteria) s += c.weight * (cell(rows, id, c.id) ?? 0);
          return s / totalWeight;
        }),
      );
      const objects = ids.map((id, j) => {
        const scores = weighted.map((w) => w[j]!);
        const perCriterion = criteria.map((c) => ({
          criterionId: c.id,
          ...spreadOf(answers.map((rows) => cell(rows, id, c.id)).filter((v): v is number => v !== undefined)),
        }));
        const spread = spreadOf(scores);
        const score = def.competence && competenceSum > 0 ? scores.reduce((s, v, e) => s + competence[e]! * v, 0) / competenceSum : spread.mean;
        return { id, spread, score, criteria: perCriterion };
      });
      const placed = place(
        objects.map((o) => ({ optionId: o.id, primary: o.score, secondary: o.spread.median })),
        rule,
        base.voters,
      );
      const byId = new Map(objects.map((o) => [o.id, o]));
      const options = strip(placed.rows).map((r) => {
        const o = byId.get(r.optionId)!;
        return { optionId: r.optionId, rank: r.rank, score: o.score, spread: o.spread, criteria: o.criteria };
      });
      const criteriaMeans = criteria.map((c) => {
        let sum = 0;
        let n = 0;
        for (const rows of answers) {
          for (const id of ids) {
            const v = cell(rows, id, c.id);
            if (v !== undefined) (sum += v), n++;
          }
        }
        return { criterionId: c.id, weight: c.weight, mean: n ? sum / n : null };
      });
      return {
        kind: 'matrix',
        ...base,
        tie: placed.tie,
        options,
        criteria: criteriaMeans,
        agreement: agreementOf(weighted),
        ...(def.competence ? { competence: { weighted: true as const, mean: matrixAnswers.length ? competenceSum / matrixAnswers.length : null } } : {}),
      } satisfies MatrixResults;
    }
    case 'majority': {
      const scale = def.scale!;
      const answers = answersOf(sorted, 'majority').map((a) => a.grades);
      const grades = ids.map((id) => answers.map((m) => own(m, id)).filter((v): v is number => v !== undefined));
      const voters = answers.length;
      const complete = grades.every((g) => g.length === voters);
      const mj = voters > 0 && complete ? majorityJudgement(Object.fromEntries(ids.map((id, i) => [id, grades[i]!])), scale) : null;
      const mjRow = new Map(mj?.ranking.map((e) => [e.option, e]) ?? []);
      const means = grades.map((g) => (g.length ? mean(g) : null));
      const placed = place(
        ids.map((optionId, i) => ({ optionId, primary: mj ? -mjRow.get(optionId)!.rank : null, secondary: means[i]! })),
        rule,
        voters,
      );
      const index = new Map(ids.map((id, i) => [id, i]));
      const options = strip(placed.rows).map((r) => {
        const i = index.get(r.optionId)!;
        return {
          optionId: r.optionId,
          rank: r.rank,
          grade: mjRow.get(r.optionId)?.majorityGrade ?? null,
          mean: means[i]!,
          counts: histogram(grades[i]!, scale.min, scale.max),
        };
      });
      const kappa = voters >= 2 && complete ? finite(fleissKappa(options.map((o) => o.counts))) : null;
      return { kind: 'majority', ...base, tie: placed.tie, options, kappa } satisfies MajorityResults;
    }
    case 'text':
      return { kind: 'text', ...base, tie: false, answers: answersOf(sorted, 'text').map((a) => a.text) } satisfies TextResults;
  }
}
