import { describe, expect, it } from 'vitest';
import {
  applyCommand,
  buildBallot,
  checkAnswer,
  checkBallotDef,
  createSessionState,
  delphiConsensusReached,
  delphiFeedback,
  delphiRoundProblem,
  delphiStatus,
  ngtScores,
  ngtSplit,
  ngtSpeaker,
  normalizeAnswer,
  tallyBallot,
  type AnswerRecord,
  type BallotAnswer,
  type BallotDef,
  type BallotSpec,
  type Command,
  type RankingResults,
  type RatingResults,
  type SessionState,
} from '../src/index.js';
import { ballotAnswerRequestSchema, commandRequestSchema } from '../src/protocol/schemas.js';
import { FACILITATOR } from './helpers.js';

const T0 = 1_700_000_000_000;
const opts = (...ids: string[]) => ids.map((id) => ({ id, label: `Option ${id}` }));
const recs = (...answers: BallotAnswer[]): AnswerRecord[] => answers.map((answer, i) => ({ voter: `v${String(i + 1).padStart(2, '0')}`, answer }));
const rate = (ratings: Record<string, number>, comments?: Record<string, string>): BallotAnswer => ({ kind: 'rating', ratings, ...(comments ? { comments } : {}) });

function delphi(spec: Partial<BallotSpec> = {}): BallotDef {
  const d = buildBallot({ kind: 'rating', title: 'Delphi', options: opts('a', 'b'), delphi: { rule: 'iqr', maxRounds: 3 }, ...spec }, 'd1');
  expect(checkBallotDef(d)).toBeNull();
  return { ...d, status: 'open' };
}

describe('Delphi', () => {
  it('keeps its settings on rating ballots only and checks them', () => {
    expect(delphi().delphi).toEqual({ rule: 'iqr', maxRounds: 3 });
    expect(buildBallot({ kind: 'single', title: 'S', options: opts('a'), delphi: { rule: 'iqr', maxRounds: 3 } }, 'x').delphi).toBeUndefined();
    const bad = buildBallot({ kind: 'rating', title: 'R', options: opts('a'), delphi: { rule: 'iqr', maxRounds: 0 } }, 'x');
    expect(checkBallotDef(bad)).toBe('bad_ballot');
    const badShare = buildBallot({ kind: 'rating', title: 'R', options: opts('a'), delphi: { rule: 'topTwo', threshold: 1.5, maxRounds: 3 } }, 'x');
    expect(checkBallotDef(badShare)).toBe('bad_ballot');
  });

  it('decides consensus per question by IQR ≤ 1 and by ≥ 75 % in the top two points', () => {
    const d = delphi();
    // a: 4,4,4,5 → Q1 4, Q3 4.25 (IQR 0.25) → consensus; b: 1,2,4,5 → IQR wide.
    const r = tallyBallot(d, recs(rate({ a: 4, b: 1 }), rate({ a: 4, b: 2 }), rate({ a: 4, b: 4 }), rate({ a: 5, b: 5 }))) as RatingResults;
    const st = delphiStatus(d, r, null);
    expect(st.map((q) => [q.optionId, q.consensus, q.stable])).toEqual([
      ['a', true, null],
      ['b', false, null],
    ]);
    expect(delphiConsensusReached(d, r)).toBe(false);
    const top = delphi({ delphi: { rule: 'topTwo', maxRounds: 3 } });
    const r2 = tallyBallot(top, recs(rate({ a: 4, b: 5 }), rate({ a: 5, b: 5 }), rate({ a: 4, b: 1 }), rate({ a: 3, b: 2 }))) as RatingResults;
    // a: 3 of 4 in {4,5} = 75 % → holds; b: 2 of 4 → not.
    expect(delphiStatus(top, r2, null).map((q) => q.consensus)).toEqual([true, false]);
  });

  it('measures stability between rounds by the change of median and IQR', () => {
    const d = delphi();
    const r1 = tallyBallot(d, recs(rate({ a: 4, b: 1 }), rate({ a: 4, b: 5 }), rate({ a: 5, b: 3 }))) as RatingResults;
    const r2 = tallyBallot(d, recs(rate({ a: 4, b: 3 }), rate({ a: 4, b: 4 }), rate({ a: 5, b: 3 }))) as RatingResults;
    expect(delphiStatus({ ...d, previous: r1 }, r2).map((q) => q.stable)).toEqual([true, false]);
  });

  it('gives each expert their previous answer beside the group median, IQR and anonymised comments', () => {
    const d = delphi();
    const r1 = tallyBallot(d, recs(rate({ a: 2, b: 5 }, { a: 'too early' }), rate({ a: 4 }, { a: '  ' }), rate({ a: 3, b: 4 }, { a: 'already works' })));
    expect((r1 as RatingResults).comments).toEqual({ a: ['already works', 'too early'] });
    const fb = delphiFeedback(d, r1, rate({ a: 2, b: 5 }));
    expect(fb[0]).toMatchObject({ optionId: 'a', mine: 2, median: 3, iqr: 1, comments: ['already works', 'too early'] });
    expect(fb[1]).toMatchObject({ optionId: 'b', mine: 5, median: 4.5, comments: [] });
    expect(delphiFeedback(d, null, null)[0]).toMatchObject({ mine: null, median: null, iqr: null });
  });

  it('checks comments: known questions, at most 500 characters; blank ones are dropped', () => {
    const d = delphi();
    expect(checkAnswer(d, rate({ a: 3 }, { a: 'why' }))).toBeNull();
    expect(checkAnswer(d, rate({ a: 3 }, { z: 'why' }))).toBe('unknown_option');
    expect(checkAnswer(d, rate({ a: 3 }, { a: 'x'.repeat(501) }))).toBe('too_large');
    expect(normalizeAnswer(d, rate({ a: 3 }, { a: '  ' }))).toEqual({ kind: 'rating', ratings: { a: 3 } });
    expect(ballotAnswerRequestSchema.safeParse({ rid: 'r-000001', ballotId: 'd1', answer: rate({ a: 3 }, { a: 'why' }) }).success).toBe(true);
  });

  it('blocks ballot.round after maxRounds or once every question has consensus', () => {
    const d = delphi();
    const split = tallyBallot(d, recs(rate({ a: 1, b: 1 }), rate({ a: 5, b: 5 }), rate({ a: 3, b: 3 })));
    const agreed = tallyBallot(d, recs(rate({ a: 4, b: 2 }), rate({ a: 4, b: 2 }), rate({ a: 4, b: 3 })));
    expect(delphiRoundProblem(d, split)).toBeNull();
    expect(delphiRoundProblem(d, agreed)).toBe('delphi_consensus');
    expect(delphiRoundProblem({ ...d, round: 3 }, split)).toBe('delphi_max_rounds');

    let s: SessionState = createSessionState({ id: 's1', code: 'K7M2QX', title: 'Дельфи', locale: 'ru', template: 'case-method', now: T0 });
    let answers = recs(rate({ a: 1, b: 1 }), rate({ a: 5, b: 5 }), rate({ a: 3, b: 3 }));
    const run = (cmd: Command) => {
      const r = applyCommand(s, cmd, FACILITATOR, { now: T0, answers: () => answers });
      if (r.ok) s = r.state;
      return r;
    };
    expect(commandRequestSchema.safeParse({ rid: 'r-000001', cmd: { type: 'ballot.create', ballot: { kind: 'rating', title: 'D', options: opts('a', 'b'), delphi: { rule: 'iqr', maxRounds: 3, deadline: T0 + 1000 } } } }).success).toBe(true);
    expect(run({ type: 'ballot.create', ballot: { id: 'd1', kind: 'rating', title: 'D', options: opts('a', 'b'), delphi: { rule: 'iqr', maxRounds: 3 } } }).ok).toBe(true);
    run({ type: 'ballot.open', ballotId: 'd1' });
    run({ type: 'ballot.close', ballotId: 'd1' });
    expect(run({ type: 'ballot.round', ballotId: 'd1' }).ok).toBe(true);
    // Hidden and unrevealed, yet the previous round's tally travels as Delphi feedback.
    expect(s.ballots[0]!.previous?.kind).toBe('rating');
    answers = recs(rate({ a: 4, b: 2 }), rate({ a: 4, b: 2 }), rate({ a: 4, b: 3 }));
    run({ type: 'ballot.close', ballotId: 'd1' });
    expect(run({ type: 'ballot.round', ballotId: 'd1' })).toEqual({ ok: false, error: 'delphi_consensus' });
  });
});

describe('nominal group technique', () => {
  const ngt = (ids: string[]) => {
    const d = buildBallot({ kind: 'ranking', title: 'NGT', options: opts(...ids), ngt: true }, 'n1');
    expect(checkBallotDef(d)).toBeNull();
    return { ...d, status: 'open' as const };
  };

  it('scores the top five 5…1 and takes only top-five answers', () => {
    const d = ngt(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    expect(checkAnswer(d, { kind: 'ranking', order: ['a', 'b', 'c', 'd', 'e'] })).toBeNull();
    expect(checkAnswer(d, { kind: 'ranking', order: ['a', 'b', 'c', 'd'] })).toBe('incomplete_answer');
    expect(checkAnswer(d, { kind: 'ranking', order: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] })).toBe('incomplete_answer');
    expect(ngtScores(['a', 'b', 'c', 'd', 'e', 'f', 'g'], [['a', 'b', 'c', 'd', 'e'], ['b', 'a', 'f', 'g', 'c']])).toEqual({ a: 9, b: 9, c: 4, d: 2, e: 1, f: 3, g: 2 });
    const r = tallyBallot(d, recs({ kind: 'ranking', order: ['a', 'b', 'c', 'd', 'e'] }, { kind: 'ranking', order: ['a', 'c', 'b', 'f', 'g'] }, { kind: 'ranking', order: ['a', 'b', 'g', 'f', 'c'] })) as RankingResults;
    expect(r.options.slice(0, 3).map((o) => [o.optionId, o.borda, o.rank])).toEqual([
      ['a', 15, 1],
      ['b', 11, 2],
      ['c', 8, 3],
    ]);
    expect(r.split).toEqual([]);
    // Fewer than five options: n…1.
    expect(ngtScores(['a', 'b', 'c'], [['c', 'a', 'b']])).toEqual({ a: 2, b: 1, c: 3 });
  });

  it('detects a split: a tie at the top or the top two within one point', () => {
    expect(ngtSplit([{ optionId: 'a', points: 10 }, { optionId: 'b', points: 7 }])).toEqual([]);
    expect(ngtSplit([{ optionId: 'a', points: 10 }, { optionId: 'b', points: 9 }, { optionId: 'c', points: 3 }])).toEqual(['a', 'b']);
    expect(ngtSplit([{ optionId: 'c', points: 8 }, { optionId: 'a', points: 8 }, { optionId: 'b', points: 8 }])).toEqual(['c', 'a', 'b']);
    expect(ngtSplit([{ optionId: 'a', points: 0 }, { optionId: 'b', points: 0 }])).toEqual([]);
  });

  it('re-runs a split on the split options only, and keeps a round-robin order', () => {
    let s: SessionState = createSessionState({ id: 's1', code: 'K7M2QX', title: 'NGT', locale: 'ru', template: 'case-method', now: T0 });
    const answers = recs({ kind: 'ranking', order: ['a', 'b', 'c', 'd', 'e'] }, { kind: 'ranking', order: ['b', 'a', 'c', 'd', 'e'] });
    const run = (cmd: Command) => {
      const r = applyCommand(s, cmd, FACILITATOR, { now: T0, answers: () => answers });
      if (r.ok) s = r.state;
      return r;
    };
    run({ type: 'ballot.create', ballot: { id: 'n1', kind: 'ranking', title: 'NGT', options: opts('a', 'b', 'c', 'd', 'e', 'f'), ngt: true } });
    expect(run({ type: 'ngt.order', ballotId: 'n1', order: ['p1', 'p2', 'p1'] }).ok).toBe(true);
    expect(s.ballots[0]!.turns).toEqual({ order: ['p1', 'p2'], turn: 0 });
    run({ type: 'ngt.next', ballotId: 'n1' });
    expect(ngtSpeaker(s.ballots[0]!.turns)).toBe('p2');
    run({ type: 'ngt.next', ballotId: 'n1' });
    run({ type: 'ngt.next', ballotId: 'n1' });
    expect(ngtSpeaker(s.ballots[0]!.turns)).toBeNull();
    run({ type: 'ballot.open', ballotId: 'n1' });
    run({ type: 'ballot.close', ballotId: 'n1' });
    expect(run({ type: 'ballot.round', ballotId: 'n1' }).ok).toBe(true);
    expect(s.ballots[0]!.options.map((o) => o.id)).toEqual(['a', 'b']);
    expect(s.ballots[0]!.round).toBe(2);
    expect(run({ type: 'ngt.next', ballotId: 'nX' }).ok).toBe(false);
  });
});

describe('NGT command schemas', () => {
  it('accepts ngt.order and ngt.next', () => {
    expect(commandRequestSchema.safeParse({ rid: 'r-000001', cmd: { type: 'ngt.order', ballotId: 'n1', order: ['p1', 'p2'] } }).success).toBe(true);
    expect(commandRequestSchema.safeParse({ rid: 'r-000001', cmd: { type: 'ngt.next', ballotId: 'n1' } }).success).toBe(true);
  });
});
