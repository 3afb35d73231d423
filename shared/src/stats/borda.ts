/**
 * Tallies of full rankings. A ballot lists every option once, best first; all
 * ballots must rank the same option set (the first ballot's). A ballot that is not
 * a permutation of that set (missing, extra, unknown or repeated option) throws a
 * RangeError naming the ballot. No ballots give an empty record. The record's keys
 * follow the first ballot's order.
 */

function tally(ballots: readonly (readonly string[])[], what: string, points: (position: number, n: number) => number): Record<string, number> {
  const first = ballots[0];
  if (!first) return {};
  const totals = new Map<string, number>(first.map((o) => [o, 0]));
  if (totals.size !== first.length) throw new RangeError(`${what}: ballot 0 lists an option twice`);
  const n = first.length;
  ballots.forEach((ballot, b) => {
    if (ballot.length !== n) throw new RangeError(`${what}: ballot ${b} ranks ${ballot.length} options, expected ${n}`);
    const seen = new Set<string>();
    ballot.forEach((option, position) => {
      if (!totals.has(option)) throw new RangeError(`${what}: ballot ${b} ranks an unknown option "${option}"`);
      if (seen.has(option)) throw new RangeError(`${what}: ballot ${b} lists "${option}" twice`);
      seen.add(option);
      totals.set(option, totals.get(option)! + points(position, n));
    });
  });
  // fromEntries defines own properties, so an option named "__proto__" is safe.
  return Object.fromEntries(totals);
}

/**
 * Borda count: on each ballot of n options the first gets n − 1 points, the
 * next n − 2, …, the last 0; returns each option's total (higher is better).
 */
export function borda(ballots: readonly (readonly string[])[]): Record<string, number> {
  return tally(ballots, 'borda', (position, n) => n - 1 - position);
}

/**
 * Rank sums: each option's sum of its ranks over the ballots, rank 1 = best
 * (lower is better). With n options and v ballots, rankSum = v·n − borda.
 */
export function rankSums(ballots: readonly (readonly string[])[]): Record<string, number> {
  return tally(ballots, 'rankSums', (position) => position + 1);
}
