import { requireFinite } from './guards.js';

/**
 * Ranks 1…n of `values`, tied values sharing the average of the ranks they span
 * (e.g. [10, 20, 20, 30] → [1, 2.5, 2.5, 4]). 'ascending' (the default) gives the
 * smallest value rank 1; 'descending' gives the largest rank 1. Result is in
 * input order; an empty array gives []. Throws a RangeError on a non-finite value.
 */
export function rankWithTies(values: readonly number[], order: 'ascending' | 'descending' = 'ascending'): number[] {
  requireFinite(values, 'rankWithTies', 0);
  const sign = order === 'descending' ? -1 : 1;
  const idx = values.map((_, i) => i).sort((a, b) => sign * (values[a]! - values[b]!));
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < idx.length; ) {
    let end = start + 1;
    while (end < idx.length && values[idx[end]!] === values[idx[start]!]) end++;
    // positions start…end−1 hold ranks start+1…end; their average:
    const avg = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) ranks[idx[k]!] = avg;
    start = end;
  }
  return ranks;
}

/**
 * Tie term T = Σ(t³ − t) over each group of t equal values (0 when all differ),
 * as used in the tie correction of Kendall's W.
 */
export function tieTerm(values: readonly number[]): number {
  requireFinite(values, 'tieTerm', 0);
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let t = 0;
  for (const c of counts.values()) t += c * c * c - c;
  return t;
}
