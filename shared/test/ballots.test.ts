import { describe, expect, it } from 'vitest';
import {
  applyCommand,
  buildBallot,
  checkAnswer,
  checkBallotDef,
  createSessionState,
  normalizeAnswer,
  outlyingExperts,
  spreadOf,
  quartiles,
  mean,
  median,
  iqr,
  populationStdDev,
  coefficientOfVariation,
  consistencyBand,
  answerProblem,
  tallyBallot,
  type Actor,
  type AnswerRecord,
  type BallotAnswer,
  type BallotDef,
  type BallotSpec,
  type Command,
  type CommandContext,
  type CommandResult,
  type CountResults,
  type DotsResults,
  type MajorityResults,
  type MatrixResults,
  type RankingResults,
  type RatingResults,
  type SessionState,
  type TextResults,
} from '../src/index.js';
import { ballotAnswerRequestSchema, commandRequestSchema } from '../src/protocol/schemas.js';
import { deepFreeze, FACILITATOR, SCREEN, teacher } from './helpers.js';

const T0 = 1_700_000_000_000;
const opts = (...ids: string[]) => ids.map((id) => ({ id, label: `Option ${id}` }));

function def(spec: Partial<BallotSpec> & Pick<BallotSpec, 'kind'>, patch: Partial<BallotDef> = {}): BallotDef {
  const d = buildBallot({ title: 'Q', options: opts('a', 'b', 'c'), ...spec }, 'q1');
  const problem = checkBallotDef(d);
  if (problem) throw new Error(`bad test ballot: ${JSON.stringify(d)}`);
  return { ...d, status: 'open', ...patch };
}

/** Answers from voters v01, v02, … in the order given. */
const recs = (...answers: BallotAnswer[]): AnswerRecord[] => answers.map((answer, i) => ({ voter: `v${String(i + 1).padStart(2, '0')}`, answer }));
const close = (actual: number | null, expected: number, digits = 6) => expect(actual).toBeCloseTo(expected, digits);

describe('ballot definitions', () => {
  it('fills defaults and drops what the kind does not use', () => {
    const d = buildBallot({ kind: 'dots', title: '  Ideas  ', options: opts('a', 'b', 'c', 'd', 'e', 'f'), scale: { min: 1, max: 5 }, maxChoices: 2 }, 'b1');
    expect(d).toMatchObject({ id: 'b1', title: 'Ideas', dots: 2, maxPerOption: 2, privacy: 'anonymous', visibility: 'hidden', tieRule: 'shared', status: 'draft', round: 1, results: null, previous: null });
    expect(d.scale).toBeUndefined();
    expect(d.maxChoices).toBeUndefined();
    expect(buildBallot({ kind: 'rating', title: 'R', options: opts('a') }, 'b2').scale).toEqual({ min: 1, max: 5 });
    expect(buildBallot({ kind: 'multiple', title: 'M', options: opts('a', 'b', 'c') }, 'b3').maxChoices).toBe(3);
    expect(buildBallot({ kind: 'text', title: 'T', options: opts('a') }, 'b4').options).toEqual([]);
  });

  it('refuses ballots that cannot be run', () => {
    const bad = (spec: Partial<BallotSpec> & Pick<BallotSpec, 'kind'>) => checkBallotDef(buildBallot({ title: 'Q', options: opts('a', 'b'), ...spec }, 'x'));
    expect(bad({ kind: 'single' })).toBeNull();
    expect(bad({ kind: 'single', title: '   ' })).toBe('bad_ballot');
    expect(bad({ kind: 'single', options: [] })).toBe('bad_ballot');
    expect(bad({ kind: 'single', options: [{ id: 'a', label: 'A' }, { id: 'a', label: 'B' }] })).toBe('bad_ballot');
    expect(bad({ kind: 'single', options: [{ id: 'a b', label: 'A' }] })).toBe('bad_ballot');
    expect(bad({ kind: 'ranking', options: opts('a') })).toBe('bad_ballot');
    expect(bad({ kind: 'rating', scale: { min: 5, max: 1 } })).toBe('bad_ballot');
    expect(bad({ kind: 'rating', scale: { min: 1, max: 3, labels: ['low', 'high'] } })).toBe('bad_ballot');
    expect(bad({ kind: 'rating', scale: { min: 1, max: 3, labels: ['low', 'mid', 'high'] } })).toBeNull();
    expect(bad({ kind: 'rating', scale: { min: 0.5, max: 3 } })).toBe('bad_ballot');
    expect(bad({ kind: 'matrix' })).toBe('bad_ballot');
    expect(bad({ kind: 'matrix', criteria: [{ id: 'c1', label: 'C', weight: 0 }] })).toBe('bad_ballot');
    expect(bad({ kind: 'matrix', criteria: [{ id: 'c1', label: 'C', weight: 2 }] })).toBeNull();
    expect(bad({ kind: 'dots', dots: 2, maxPerOption: 3 })).toBe('bad_ballot');
    expect(bad({ kind: 'multiple', maxChoices: 3 })).toBe('bad_ballot');
  });
});

describe('checkAnswer', () => {
  it('refuses an answer of another kind', () => {
    expect(checkAnswer(def({ kind: 'single' }), { kind: 'text', text: 'a' })).toBe('wrong_kind');
  });

  it('single choice', () => {
    const d = def({ kind: 'single' });
    expect(checkAnswer(d, { kind: 'single', option: 'b' })).toBeNull();
    expect(checkAnswer(d, { kind: 'single', option: 'z' })).toBe('unknown_option');
  });

  it('multiple choice with a limit', () => {
    const d = def({ kind: 'multiple', maxChoices: 2 });
    expect(checkAnswer(d, { kind: 'multiple', options: ['a', 'c'] })).toBeNull();
    expect(checkAnswer(d, { kind: 'multiple', options: ['a', 'b', 'c'] })).toBe('too_many_choices');
    expect(checkAnswer(d, { kind: 'multiple', options: ['a', 'a'] })).toBe('duplicate_option');
    expect(checkAnswer(d, { kind: 'multiple', options: ['z'] })).toBe('unknown_option');
    expect(checkAnswer(d, { kind: 'multiple', options: [] })).toBe('empty_answer');
  });

  it('dots: votes left and at most k on one option', () => {
    const d = def({ kind: 'dots', dots: 3, maxPerOption: 2 });
    expect(checkAnswer(d, { kind: 'dots', dots: { a: 2, b: 1 } })).toBeNull();
    expect(checkAnswer(d, { kind: 'dots', dots: { a: 2, b: 2 } })).toBe('too_many_dots');
    expect(checkAnswer(d, { kind: 'dots', dots: { a: 3 } })).toBe('too_many_on_one');
    expect(checkAnswer(d, { kind: 'dots', dots: { a: 1.5 } })).toBe('bad_count');
    expect(checkAnswer(d, { kind: 'dots', dots: { a: -1 } })).toBe('bad_count');
    expect(checkAnswer(d, { kind: 'dots', dots: { z: 1 } })).toBe('unknown_option');
    expect(checkAnswer(d, { kind: 'dots', dots: { a: 0 } })).toBe('empty_answer');
  });

  it('ranking: every option exactly once', () => {
    const d = def({ kind: 'ranking' });
    expect(checkAnswer(d, { kind: 'ranking', order: ['c', 'a', 'b'] })).toBeNull();
    expect(checkAnswer(d, { kind: 'ranking', order: ['c', 'a'] })).toBe('incomplete_answer');
    expect(checkAnswer(d, { kind: 'ranking', order: ['c', 'a', 'a'] })).toBe('duplicate_option');
    expect(checkAnswer(d, { kind: 'ranking', order: ['c', 'a', 'z'] })).toBe('unknown_option');
  });

  it('rating: grades on the scale, options may be skipped', () => {
    const d = def({ kind: 'rating', scale: { min: 1, max: 5 } });
    expect(checkAnswer(d, { kind: 'rating', ratings: { a: 5 } })).toBeNull();
    expect(checkAnswer(d, { kind: 'rating', ratings: { a: 6 } })).toBe('out_of_scale');
    expect(checkAnswer(d, { kind: 'rating', ratings: { a: 2.5 } })).toBe('out_of_scale');
    expect(checkAnswer(d, { kind: 'rating', ratings: { z: 2 } })).toBe('unknown_option');
    expect(checkAnswer(d, { kind: 'rating', ratings: {} })).toBe('empty_answer');
  });

  it('matrix: every object × criterion on the scale', () => {
    const d = def({ kind: 'matrix', options: opts('a', 'b'), criteria: [{ id: 'x', label: 'X', weight: 1 }, { id: 'y', label: 'Y', weight: 2 }], scale: { min: 1, max: 10 } });
    const full = { a: { x: 3, y: 4 }, b: { x: 10, y: 1 } };
    expect(checkAnswer(d, { kind: 'matrix', scores: full })).toBeNull();
    expect(checkAnswer(d, { kind: 'matrix', scores: { a: { x: 3, y: 4 } } })).toBe('incomplete_answer');
    expect(checkAnswer(d, { kind: 'matrix', scores: { ...full, b: { x: 10 } } })).toBe('incomplete_answer');
    expect(checkAnswer(d, { kind: 'matrix', scores: { ...full, b: { x: 10, z: 1 } } })).toBe('unknown_criterion');
    expect(checkAnswer(d, { kind: 'matrix', scores: { ...full, b: { x: 11, y: 1 } } })).toBe('out_of_scale');
    expect(checkAnswer(d, { kind: 'matrix', scores: { ...full, z: { x: 1, y: 1 } } })).toBe('unknown_option');
  });

  it('majority judgement: a grade for every option', () => {
    const d = def({ kind: 'majority', scale: { min: 0, max: 4, labels: ['Reject', 'Poor', 'Fair', 'Good', 'Excellent'] } });
    expect(checkAnswer(d, { kind: 'majority', grades: { a: 0, b: 4, c: 2 } })).toBeNull();
    expect(checkAnswer(d, { kind: 'majority', grades: { a: 0, b: 4 } })).toBe('incomplete_answer');
    expect(checkAnswer(d, { kind: 'majority', grades: { a: 0, b: 4, c: 5 } })).toBe('out_of_scale');
  });

  it('open text', () => {
    const d = def({ kind: 'text' });
    expect(checkAnswer(d, { kind: 'text', text: 'Больше практики' })).toBeNull();
    expect(checkAnswer(d, { kind: 'text', text: '   ' })).toBe('empty_answer');
    expect(checkAnswer(d, { kind: 'text', text: 'я'.repeat(2001) })).toBe('too_large');
  });

  it('normalises what is stored', () => {
    expect(normalizeAnswer(def({ kind: 'text' }), { kind: 'text', text: '  Ответ  ' })).toEqual({ kind: 'text', text: 'Ответ' });
    expect(normalizeAnswer(def({ kind: 'dots', dots: 3 }), { kind: 'dots', dots: { c: 1, a: 0, b: 2 } })).toEqual({ kind: 'dots', dots: { b: 2, c: 1 } });
    expect(normalizeAnswer(def({ kind: 'multiple' }), { kind: 'multiple', options: ['c', 'a'] })).toEqual({ kind: 'multiple', options: ['a', 'c'] });
  });
});

describe('tallyBallot', () => {
  it('single choice: counts, shares, ranks and a tie for first', () => {
    const d = def({ kind: 'single' });
    const r = tallyBallot(d, recs({ kind: 'single', option: 'b' }, { kind: 'single', option: 'a' }, { kind: 'single', option: 'b' }, { kind: 'single', option: 'a' })) as CountResults;
    expect(r.voters).toBe(4);
    expect(r.options.map((o) => [o.optionId, o.count, o.share, o.rank])).toEqual([
      ['a', 2, 0.5, 1],
      ['b', 2, 0.5, 1],
      ['c', 0, 0, 3],
    ]);
    expect(r.tie).toBe(true);
    // No answers: no tie, every option at rank 1 with 0.
    const empty = tallyBallot(d, []) as CountResults;
    expect(empty.tie).toBe(false);
    expect(empty.voters).toBe(0);
  });

  it('multiple choice counts approvals as a share of voters', () => {
    const r = tallyBallot(def({ kind: 'multiple' }), recs({ kind: 'multiple', options: ['a', 'b'] }, { kind: 'multiple', options: ['a'] })) as CountResults;
    expect(r.options.map((o) => [o.optionId, o.count, o.share, o.rank])).toEqual([
      ['a', 2, 1, 1],
      ['b', 1, 0.5, 2],
      ['c', 0, 0, 3],
    ]);
    expect(r.tie).toBe(false);
  });

  it('dots: a tie stays shared, or is broken by the breadth of support', () => {
    const answers = recs({ kind: 'dots', dots: { a: 2 } }, { kind: 'dots', dots: { b: 1 } }, { kind: 'dots', dots: { b: 1, c: 1 } });
    const shared = tallyBallot(def({ kind: 'dots', dots: 2 }), answers) as DotsResults;
    expect(shared.dots).toBe(5);
    expect(shared.options.map((o) => [o.optionId, o.dots, o.voters, o.rank])).toEqual([
      ['a', 2, 1, 1],
      ['b', 2, 2, 1],
      ['c', 1, 1, 3],
    ]);
    expect(shared.tie).toBe(true);
    const broken = tallyBallot(def({ kind: 'dots', dots: 2, tieRule: 'secondary-then-shared' }), answers) as DotsResults;
    expect(broken.options.map((o) => [o.optionId, o.rank])).toEqual([
      ['b', 1],
      ['a', 2],
      ['c', 3],
    ]);
    expect(broken.tie).toBe(false);
    expect(broken.options[0]!.share).toBeCloseTo(0.4, 12);
  });

  it('ranking: Borda count and rank sums on a hand example', () => {
    // Four voters rank A, B, C. Borda (2, 1, 0 points): A = 2+2+1+0 = 5, B = 1+0+2+1 = 4, C = 0+1+0+2 = 3.
    // Rank sums: A = 1+1+2+3 = 7, B = 2+3+1+2 = 8, C = 3+2+3+1 = 9 (= 4·3 − Borda).
    const d = def({ kind: 'ranking', options: opts('A', 'B', 'C') });
    const r = tallyBallot(
      d,
      recs(
        { kind: 'ranking', order: ['A', 'B', 'C'] },
        { kind: 'ranking', order: ['A', 'C', 'B'] },
        { kind: 'ranking', order: ['B', 'A', 'C'] },
        { kind: 'ranking', order: ['C', 'B', 'A'] },
      ),
    ) as RankingResults;
    expect(r.options.map((o) => [o.optionId, o.borda, o.rankSum, o.meanRank, o.firsts, o.rank])).toEqual([
      ['A', 5, 7, 1.75, 2, 1],
      ['B', 4, 8, 2, 1, 2],
      ['C', 3, 9, 2.25, 1, 3],
    ]);
    expect(r.tie).toBe(false);
    // Kendall's W over the four voters: rank sums 7, 8, 9 around 8 → S = 2, W = 12·2 / (16·24) = 0.0625.
    expect(r.agreement!.W).toBeCloseTo(0.0625, 12);
    expect(r.agreement!.band).toBe('low');
    expect(r.agreement!.experts).toBe(4);
    // W is low, so at least the expert furthest from the others is flagged.
    expect(r.agreement!.flagged).toBeGreaterThanOrEqual(1);
    expect(r.agreement!.outliers.length).toBe(r.agreement!.flagged);
  });

  it('ranking: equal Borda points are shared, or split by first places', () => {
    const answers = recs({ kind: 'ranking', order: ['A', 'B', 'C'] }, { kind: 'ranking', order: ['B', 'C', 'A'] }, { kind: 'ranking', order: ['C', 'A', 'B'] });
    // A cycle: every option has 3 points and one first place.
    const r = tallyBallot(def({ kind: 'ranking', options: opts('A', 'B', 'C'), tieRule: 'secondary-then-shared' }), answers) as RankingResults;
    expect(r.options.map((o) => o.rank)).toEqual([1, 1, 1]);
    expect(r.tie).toBe(true);
    const two = recs({ kind: 'ranking', order: ['A', 'C', 'B'] }, { kind: 'ranking', order: ['B', 'A', 'C'] }, { kind: 'ranking', order: ['B', 'A', 'C'] }, { kind: 'ranking', order: ['A', 'C', 'B'] }, { kind: 'ranking', order: ['A', 'B', 'C'] }, { kind: 'ranking', order: ['C', 'B', 'A'] });
    // Borda: A = 2+1+1+2+2+0 = 8, B = 0+2+2+0+1+1 = 6, C = 1+0+0+1+0+2 = 4 — no tie.
    const s = tallyBallot(def({ kind: 'ranking', options: opts('A', 'B', 'C') }), two) as RankingResults;
    expect(s.options.map((o) => [o.optionId, o.borda])).toEqual([['A', 8], ['B', 6], ['C', 4]]);
  });

  it('rating: mean, median, quartiles, IQR and V with its consistency band per option', () => {
    const d = def({ kind: 'rating', scale: { min: 1, max: 5 } });
    const r = tallyBallot(
      d,
      recs(
        { kind: 'rating', ratings: { a: 4, b: 2 } },
        { kind: 'rating', ratings: { a: 5, b: 3 } },
        { kind: 'rating', ratings: { a: 5, b: 2 } },
        { kind: 'rating', ratings: { a: 4 } },
        { kind: 'rating', ratings: { a: 2, b: 5 } },
      ),
    ) as RatingResults;
    const a = r.options.find((o) => o.optionId === 'a')!;
    // a: 4, 5, 5, 4, 2 → mean 4, σ = √(6/5) = 1.0954, V = 27.39 % (below average).
    expect(a).toMatchObject({ rank: 1, n: 5, mean: 4, median: 4, q1: 4, q3: 5, iqr: 1, counts: [0, 1, 0, 2, 2], consistency: 'belowAverage' });
    close(a.sd, Math.sqrt(1.2));
    close(a.V, (Math.sqrt(1.2) / 4) * 100);
    const b = r.options.find((o) => o.optionId === 'b')!;
    expect(b).toMatchObject({ rank: 2, n: 4, mean: 3, median: 2.5 });
    const c = r.options.find((o) => o.optionId === 'c')!;
    expect(c).toMatchObject({ rank: 3, n: 0, mean: null, V: null, consistency: null, counts: [0, 0, 0, 0, 0] });
    // Nobody rated c, so no voter's answer is complete: W is not computed.
    expect(r.agreement).toBeNull();
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it("matrix: Kendall's W on the Siegel–Castellan example (3 experts × 8 objects, one criterion)", () => {
    const objects = ['o1', 'o2', 'o3', 'o4', 'o5', 'o6', 'o7', 'o8'];
    const d = def({ kind: 'matrix', options: opts(...objects), criteria: [{ id: 'k', label: 'Quality', weight: 1 }], scale: { min: 1, max: 8 } });
    const A = [5, 6, 7, 1, 2, 4, 3, 8];
    const B = [1, 7, 6, 2, 3, 5, 4, 8];
    const C = [4, 5, 1, 3, 2, 7, 6, 8];
    const answer = (row: number[]): BallotAnswer => ({ kind: 'matrix', scores: Object.fromEntries(objects.map((o, i) => [o, { k: row[i]! }])) });
    const r = tallyBallot(d, recs(answer(A), answer(B), answer(C))) as MatrixResults;
    expect(r.agreement!.W).toBeCloseTo(0.6561, 4);
    close(r.agreement!.W, 0.6560847);
    expect(r.agreement!.chiSquare).toBeCloseTo(13.778, 3);
    expect(r.agreement!.df).toBe(7);
    expect(r.agreement!.p).toBeCloseTo(0.0553, 4);
    expect(r.agreement!.band).toBe('medium');
    // The flagged experts are those of outlyingExperts, numbered from 1 in voter order (A, B, C).
    const flagged = outlyingExperts([A, B, C]).filter((e) => e.flagged);
    expect(r.agreement!.outliers).toEqual(flagged.map((e) => ({ expert: e.expert + 1, rho: e.rho })));
    expect(r.agreement!.flagged).toBe(flagged.length);
    // o8 scored 8 by all: the highest weighted score, first, with V = 0 (high consistency).
    expect(r.options[0]).toMatchObject({ optionId: 'o8', rank: 1, score: 8 });
    expect(r.options[0]!.spread).toMatchObject({ V: 0, consistency: 'high' });
    expect(r.criteria).toEqual([{ criterionId: 'k', weight: 1, mean: 4.5 }]);
  });

  it('matrix: weighted score per object and means per criterion', () => {
    const d = def({
      kind: 'matrix',
      options: opts('p', 'q'),
      criteria: [{ id: 'x', label: 'Relevance', weight: 3 }, { id: 'y', label: 'Feasibility', weight: 1 }],
      scale: { min: 1, max: 5 },
    });
    const r = tallyBallot(
      d,
      recs(
        { kind: 'matrix', scores: { p: { x: 5, y: 1 }, q: { x: 3, y: 5 } } },
        { kind: 'matrix', scores: { p: { x: 4, y: 2 }, q: { x: 2, y: 4 } } },
      ),
    ) as MatrixResults;
    // p: (3·5 + 1)/4 = 4 and (3·4 + 2)/4 = 3.5 → 3.75; q: (9 + 5)/4 = 3.5 and (6 + 4)/4 = 2.5 → 3.
    expect(r.options.map((o) => [o.optionId, o.score, o.rank])).toEqual([['p', 3.75, 1], ['q', 3, 2]]);
    expect(r.options[0]!.criteria.map((c) => [c.criterionId, c.mean])).toEqual([['x', 4.5], ['y', 1.5]]);
    expect(r.criteria).toEqual([{ criterionId: 'x', weight: 3, mean: 3.5 }, { criterionId: 'y', weight: 1, mean: 3 }]);
    // Both experts put p above q: complete agreement.
    expect(r.agreement!.W).toBe(1);
    expect(r.agreement!.band).toBe('high');
  });

  it('majority judgement: lower median, then the tie-break, then the mean if asked', () => {
    const scale = { min: 0, max: 4 };
    // a: 2,3,4 (grade 3; without one 3: 2,4 → 2); b: 3,3,3 (grade 3, then 3): b wins the tie-break.
    const answers = recs({ kind: 'majority', grades: { a: 2, b: 3, c: 0 } }, { kind: 'majority', grades: { a: 3, b: 3, c: 1 } }, { kind: 'majority', grades: { a: 4, b: 3, c: 1 } });
    const r = tallyBallot(def({ kind: 'majority', scale }), answers) as MajorityResults;
    expect(r.options.map((o) => [o.optionId, o.grade, o.rank])).toEqual([['b', 3, 1], ['a', 3, 2], ['c', 1, 3]]);
    expect(r.options[0]!.counts).toEqual([0, 0, 0, 3, 0]);
    expect(r.tie).toBe(false);
    expect(typeof r.kappa).toBe('number');
    // Identical grade lists stay tied under 'shared'; means cannot split them either.
    const same = recs({ kind: 'majority', grades: { a: 1, b: 1, c: 0 } }, { kind: 'majority', grades: { a: 3, b: 3, c: 0 } });
    const t = tallyBallot(def({ kind: 'majority', scale, tieRule: 'secondary-then-shared' }), same) as MajorityResults;
    expect(t.tie).toBe(true);
    expect(t.options.slice(0, 2).map((o) => o.rank)).toEqual([1, 1]);
  });

  it('open text lists the answers without names', () => {
    const r = tallyBallot(def({ kind: 'text' }), recs({ kind: 'text', text: 'Больше практики' }, { kind: 'text', text: 'Көбірек тәжірибе' })) as TextResults;
    expect(r.voters).toBe(2);
    expect(r.answers).toEqual(['Больше практики', 'Көбірек тәжірибе']);
    expect(Object.keys(r)).not.toContain('voter');
  });

  it('describes grades with the definitions of the stats module', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (const n of [1, 2, 5, 8, 101]) {
      const xs = Array.from({ length: n }, () => 1 + Math.floor(rnd() * 10));
      const s = spreadOf(xs);
      const q = quartiles(xs);
      close(s.mean, mean(xs), 12);
      close(s.median, median(xs), 12);
      close(s.q1, q.q1, 12);
      close(s.q3, q.q3, 12);
      close(s.iqr, iqr(xs), 12);
      close(s.sd, populationStdDev(xs), 12);
      close(s.V, coefficientOfVariation(xs), 9);
      expect(s.consistency).toBe(consistencyBand(coefficientOfVariation(xs)));
    }
    expect(spreadOf([0, 0]).V).toBeNull();
    expect(spreadOf([]).mean).toBeNull();
  });

  it('does not depend on the order answers come in', () => {
    const d = def({ kind: 'rating' });
    const answers = recs({ kind: 'rating', ratings: { a: 1, b: 2, c: 3 } }, { kind: 'rating', ratings: { a: 2, b: 2, c: 5 } }, { kind: 'rating', ratings: { a: 3, b: 1, c: 4 } });
    expect(tallyBallot(d, [...answers].reverse())).toEqual(tallyBallot(d, answers));
  });
});

describe('ballot commands', () => {
  const fresh = (): SessionState => createSessionState({ id: 's1', code: 'K7M2QX', title: 'Экспертиза', locale: 'ru', template: 'case-method', now: T0 });

  function run(state: SessionState, cmd: Command, actor: Actor = FACILITATOR, ctx: Partial<CommandContext> = {}): CommandResult {
    const frozen = deepFreeze(structuredClone(state));
    return applyCommand(frozen, cmd, actor, { now: T0, ...ctx });
  }
  function must(state: SessionState, cmd: Command, ctx: Partial<CommandContext> = {}): SessionState {
    const r = run(state, cmd, FACILITATOR, ctx);
    if (!r.ok) throw new Error(`${cmd.type}: ${r.error}`);
    return r.state;
  }
  const err = (r: CommandResult) => (r.ok ? null : r.error);
  const ballot = (s: SessionState, id = 'q1') => s.ballots.find((b) => b.id === id)!;

  const spec: BallotSpec = { id: 'q1', kind: 'single', title: 'Лучшее решение?', options: opts('a', 'b') };
  const answers: AnswerRecord[] = recs({ kind: 'single', option: 'a' }, { kind: 'single', option: 'a' }, { kind: 'single', option: 'b' });

  it('starts every session with no ballots, and old stored sessions too', () => {
    expect(fresh().ballots).toEqual([]);
  });

  it('lets only a facilitator run ballots', () => {
    for (const actor of [teacher('p1', null), SCREEN]) {
      expect(err(run(fresh(), { type: 'ballot.create', ballot: spec }, actor))).toBe('forbidden');
    }
  });

  it('walks a ballot through draft, open, closed, revealed, a reopen, a new round and deletion', () => {
    let s = must(fresh(), { type: 'ballot.create', ballot: spec });
    expect(ballot(s)).toMatchObject({ status: 'draft', round: 1, privacy: 'anonymous', visibility: 'hidden' });
    expect(err(run(s, { type: 'ballot.create', ballot: spec }))).toBe('ballot_exists');
    // An auto id when none is given.
    expect(must(s, { type: 'ballot.create', ballot: { ...spec, id: undefined } }).ballots[1]!.id).toBe('b1');

    s = must(s, { type: 'ballot.update', ballotId: 'q1', changes: { title: 'Какое решение лучше?', options: opts('a', 'b', 'c') } });
    expect(ballot(s).options).toHaveLength(3);
    expect(err(run(s, { type: 'ballot.update', ballotId: 'q1', changes: { options: [] } }))).toBe('bad_ballot');
    expect(err(run(s, { type: 'ballot.close', ballotId: 'q1' }))).toBe('ballot_not_open');
    expect(err(run(s, { type: 'ballot.reveal', ballotId: 'q1' }))).toBe('ballot_not_open');

    s = must(s, { type: 'ballot.open', ballotId: 'q1' });
    expect(ballot(s).status).toBe('open');
    expect(err(run(s, { type: 'ballot.update', ballotId: 'q1', changes: { privacy: 'named' } }))).toBe('ballot_not_draft');
    expect(err(run(s, { type: 'ballot.reopen', ballotId: 'q1' }))).toBe('ballot_not_closed');
    expect(err(run(s, { type: 'ballot.round', ballotId: 'q1' }))).toBe('ballot_not_closed');

    s = must(s, { type: 'ballot.close', ballotId: 'q1' }, { answers: () => answers });
    expect(ballot(s)).toMatchObject({ status: 'closed', results: null }); // hidden until the reveal
    s = must(s, { type: 'ballot.reopen', ballotId: 'q1' });
    expect(ballot(s).status).toBe('open');

    let asked: [string, number] | null = null;
    s = must(s, { type: 'ballot.reveal', ballotId: 'q1' }, { answers: (id, round) => ((asked = [id, round]), answers) });
    expect(asked).toEqual(['q1', 1]);
    const results = ballot(s).results as CountResults;
    expect(results.voters).toBe(3);
    expect(results.options[0]).toMatchObject({ optionId: 'a', count: 2, rank: 1 });

    s = must(s, { type: 'ballot.round', ballotId: 'q1' });
    expect(ballot(s)).toMatchObject({ status: 'open', round: 2, results: null });
    expect(ballot(s).previous).toEqual(results);

    s = must(s, { type: 'ballot.delete', ballotId: 'q1' });
    expect(s.ballots).toEqual([]);
    expect(err(run(s, { type: 'ballot.open', ballotId: 'q1' }))).toBe('unknown_ballot');
  });

  it('publishes a live ballot’s final tally when it closes', () => {
    let s = must(fresh(), { type: 'ballot.create', ballot: { ...spec, visibility: 'live' } });
    s = must(s, { type: 'ballot.open', ballotId: 'q1' });
    s = must(s, { type: 'ballot.close', ballotId: 'q1' }, { answers: () => answers });
    expect((ballot(s).results as CountResults).voters).toBe(3);
  });

  it('checks a teacher’s answer against the ballot and its status', () => {
    let s = must(fresh(), { type: 'ballot.create', ballot: spec });
    expect(answerProblem(s, 'q1', { kind: 'single', option: 'a' })).toBe('ballot_not_open');
    expect(answerProblem(s, 'zz', { kind: 'single', option: 'a' })).toBe('unknown_ballot');
    s = must(s, { type: 'ballot.open', ballotId: 'q1' });
    expect(answerProblem(s, 'q1', { kind: 'single', option: 'a' })).toBeNull();
    expect(answerProblem(s, 'q1', { kind: 'single', option: 'z' })).toBe('unknown_option');
  });

  it('has schemas for every command and the answer event', () => {
    expect(commandRequestSchema.safeParse({ rid: 'r'.repeat(10), cmd: { type: 'ballot.create', ballot: spec } }).success).toBe(true);
    expect(commandRequestSchema.safeParse({ rid: 'r'.repeat(10), cmd: { type: 'ballot.round', ballotId: 'q1' } }).success).toBe(true);
    expect(commandRequestSchema.safeParse({ rid: 'r'.repeat(10), cmd: { type: 'ballot.create', ballot: { ...spec, kind: 'poll' } } }).success).toBe(false);
    const answer = (a: unknown) => ballotAnswerRequestSchema.safeParse({ rid: 'r'.repeat(10), ballotId: 'q1', answer: a }).success;
    expect(answer({ kind: 'matrix', scores: { a: { x: 1 } } })).toBe(true);
    expect(answer(null)).toBe(true);
    expect(answer({ kind: 'dots', dots: { a: 1.5 } })).toBe(false);
    expect(answer({ kind: 'nope' })).toBe(false);
  });
});

describe('expert competence as a weight (matrix)', () => {
  const spec = { kind: 'matrix' as const, options: opts('a', 'b'), criteria: [{ id: 'c', label: 'C', weight: 1 }], scale: { min: 1, max: 5 }, competence: true };

  it('asks every expert for a competence from 1 to 10', () => {
    const d = def(spec);
    const scores = { a: { c: 5 }, b: { c: 1 } };
    expect(checkAnswer(d, { kind: 'matrix', scores })).toBe('incomplete_answer');
    expect(checkAnswer(d, { kind: 'matrix', scores, competence: 11 })).toBe('out_of_scale');
    expect(checkAnswer(d, { kind: 'matrix', scores, competence: 7 })).toBeNull();
  });

  it("weighs each expert's scores by their competence", () => {
    // A (competence 9) prefers a, B (competence 1) prefers b: alike they would tie at 3;
    // weighted, a = (9·5 + 1·1) / 10 = 4.6 and b = (9·1 + 1·5) / 10 = 1.4.
    const answers = recs(
      { kind: 'matrix', scores: { a: { c: 5 }, b: { c: 1 } }, competence: 9 },
      { kind: 'matrix', scores: { a: { c: 1 }, b: { c: 5 } }, competence: 1 },
    );
    const weighted = tallyBallot(def(spec), answers);
    if (weighted.kind !== 'matrix') throw new Error('matrix expected');
    expect(weighted.options.map((o) => [o.optionId, o.rank])).toEqual([['a', 1], ['b', 2]]);
    close(weighted.options[0]!.score, 4.6);
    close(weighted.options[1]!.score, 1.4);
    expect(weighted.competence).toEqual({ weighted: true, mean: 5 });
    const alike = tallyBallot(def({ ...spec, competence: false }), answers);
    if (alike.kind !== 'matrix') throw new Error('matrix expected');
    expect(alike.options.map((o) => o.score)).toEqual([3, 3]);
    expect(alike.competence).toBeUndefined();
  });
});
