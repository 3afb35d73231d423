import type { Allocation, RankedOption, VoteResults, VoteState } from '../model/types.js';

/** Default dots per person for a dot vote: about a third of the options, at least one. */
export function defaultDots(optionCount: number): number {
  return Math.max(1, Math.round(optionCount / 3));
}

export type BallotProblem = 'vote_not_open' | 'unknown_option' | 'too_many_dots' | 'too_many_on_one' | 'bad_count';

/** Check a dot ballot against the open vote. An empty ballot withdraws the vote. */
export function checkBallot(vote: VoteState, allocation: Allocation): BallotProblem | null {
  if (vote.status !== 'open') return 'vote_not_open';
  const known = new Set(vote.options.map((o) => o.id));
  let total = 0;
  for (const [id, n] of Object.entries(allocation)) {
    if (!known.has(id)) return 'unknown_option';
    if (!Number.isInteger(n) || n < 0) return 'bad_count';
    if (n > vote.maxPerOption) return 'too_many_on_one';
    total += n;
  }
  if (total > vote.dots) return 'too_many_dots';
  return null;
}

/** Remove zero entries so a stored ballot says only what was chosen. */
export function compactAllocation(allocation: Allocation): Allocation {
  const out: Allocation = {};
  for (const [id, n] of Object.entries(allocation)) if (n > 0) out[id] = n;
  return out;
}

export function dotsUsed(allocation: Allocation): number {
  return Object.values(allocation).reduce((a, b) => a + b, 0);
}

/** Count ballots into a ranking; equal counts share a rank, and a tie for first is flagged. */
export function tallyDots(optionIds: string[], ballots: Allocation[]): VoteResults {
  const counts = new Map(optionIds.map((id) => [id, 0]));
  let dots = 0;
  let voters = 0;
  for (const ballot of ballots) {
    const used = dotsUsed(ballot);
    if (used > 0) voters++;
    for (const [id, n] of Object.entries(ballot)) {
      if (!counts.has(id)) continue;
      counts.set(id, (counts.get(id) ?? 0) + n);
      dots += n;
    }
  }
  const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  const ranking: RankedOption[] = [];
  sorted.forEach(([optionId, votes], i) => {
    const prev = ranking[i - 1];
    const rank = prev && prev.votes === votes ? prev.rank : i + 1;
    ranking.push({ optionId, votes, share: dots === 0 ? 0 : votes / dots, rank });
  });
  // With no votes at all nobody is first, so there is no tie to flag.
  const tieForFirst = dots > 0 && ranking.filter((r) => r.rank === 1).length > 1;
  return { voters, dots, ranking, tieForFirst };
}
