import { describe, expect, it } from 'vitest';
import { checkBallot, defaultDots, tallyDots, type VoteState } from '../src/index.js';

function openVote(overrides: Partial<VoteState> = {}): VoteState {
  return {
    status: 'open',
    round: 1,
    dots: 3,
    maxPerOption: 2,
    options: ['a', 'b', 'c'].map((id) => ({ id, label: `Solution ${id}`, groupName: id })),
    results: null,
    ...overrides,
  };
}

describe('checkBallot', () => {
  it('accepts a ballot within the limits, and an empty one (a withdrawn vote)', () => {
    expect(checkBallot(openVote(), { a: 1, b: 1, c: 1 })).toBeNull();
    expect(checkBallot(openVote(), { a: 2, b: 1 })).toBeNull();
    expect(checkBallot(openVote(), {})).toBeNull();
  });

  it('refuses more dots than a teacher has', () => {
    expect(checkBallot(openVote(), { a: 2, b: 2 })).toBe('too_many_dots');
  });

  it('refuses more dots on one option than allowed', () => {
    expect(checkBallot(openVote(), { a: 3 })).toBe('too_many_on_one');
  });

  it('refuses an option that is not on the ballot', () => {
    expect(checkBallot(openVote(), { z: 1 })).toBe('unknown_option');
  });

  it('refuses ballots while the vote is not open', () => {
    for (const status of ['idle', 'closed', 'revealed'] as const) {
      expect(checkBallot(openVote({ status }), { a: 1 })).toBe('vote_not_open');
    }
  });

  it('refuses negative and fractional counts', () => {
    expect(checkBallot(openVote(), { a: -1 })).toBe('bad_count');
    expect(checkBallot(openVote(), { a: 1.5 })).toBe('bad_count');
    expect(checkBallot(openVote(), { a: Number.NaN })).toBe('bad_count');
  });
});

describe('tallyDots', () => {
  it('ranks options, sharing a rank on equal votes and flagging a tie for first', () => {
    const r = tallyDots(['a', 'b', 'c', 'd'], [{ a: 2, b: 1 }, { b: 2, c: 1 }, { a: 1, c: 1 }]);
    expect(r.ranking.map(({ optionId, votes, rank }) => ({ optionId, votes, rank }))).toEqual([
      { optionId: 'a', votes: 3, rank: 1 },
      { optionId: 'b', votes: 3, rank: 1 },
      { optionId: 'c', votes: 2, rank: 3 },
      { optionId: 'd', votes: 0, rank: 4 },
    ]);
    expect(r.tieForFirst).toBe(true);
    expect(r.dots).toBe(8);
  });

  it('gives shares of all dots that add up to one', () => {
    const r = tallyDots(['a', 'b', 'c'], [{ a: 2, b: 1 }, { a: 1, c: 2 }, { b: 1 }]);
    expect(r.ranking.find((x) => x.optionId === 'a')!.share).toBeCloseTo(3 / 7, 10);
    expect(r.ranking.reduce((sum, x) => sum + x.share, 0)).toBeCloseTo(1, 10);
    expect(r.tieForFirst).toBe(false);
    expect(r.ranking[0]).toMatchObject({ optionId: 'a', rank: 1 });
  });

  it('counts as voters only teachers who placed a dot', () => {
    const r = tallyDots(['a', 'b'], [{ a: 1 }, {}, { a: 0, b: 0 }, { b: 2 }]);
    expect(r.voters).toBe(2);
    expect(r.dots).toBe(3);
  });

  it('flags no tie when nobody voted at all', () => {
    const r = tallyDots(['a', 'b'], [{}, {}]);
    expect(r.tieForFirst).toBe(false);
    expect(r.ranking.map((x) => x.rank)).toEqual([1, 1]);
  });

  it('ignores dots on options no longer on the ballot', () => {
    const r = tallyDots(['a'], [{ a: 1, gone: 2 }]);
    expect(r.dots).toBe(1);
    expect(r.ranking).toEqual([{ optionId: 'a', votes: 1, share: 1, rank: 1 }]);
  });
});

describe('defaultDots', () => {
  it('gives about a third of the options, at least one', () => {
    expect([0, 1, 2, 4, 9, 10, 12].map(defaultDots)).toEqual([1, 1, 1, 1, 3, 3, 4]);
  });
});
