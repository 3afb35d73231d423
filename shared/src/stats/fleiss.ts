import { requireMatrix } from './guards.js';

/**
 * Fleiss' κ: agreement of a fixed number of raters assigning subjects to categories,
 * beyond what chance would give.
 *
 * `counts[subject][category]` is how many raters put that subject in that category.
 * Every row must have the same length (at least 1 subject, 2 categories), hold
 * non-negative integers and sum to the same number of raters n ≥ 2; otherwise a
 * RangeError is thrown.
 *
 * P_i = (Σ_j n_ij² − n) / (n(n − 1)), P̄ = mean of P_i, p_j = Σ_i n_ij / (N·n),
 * P_e = Σ_j p_j², κ = (P̄ − P_e) / (1 − P_e). When every rating falls in one
 * category P_e = 1 and κ is undefined: NaN is returned.
 *
 * Example (Wikipedia, 10 subjects, 14 raters, 5 categories): κ = 0.20993.
 */
export function fleissKappa(counts: readonly (readonly number[])[]): number {
  const k = requireMatrix(counts, 'fleissKappa', 1, 2);
  const N = counts.length;
  let raters = -1;
  const columnTotals = new Array<number>(k).fill(0);
  let sumP = 0;
  counts.forEach((row, i) => {
    let total = 0;
    let squares = 0;
    row.forEach((c, j) => {
      if (!Number.isInteger(c) || c < 0) throw new RangeError(`fleissKappa: count at subject ${i}, category ${j} is not a non-negative integer (${c})`);
      total += c;
      squares += c * c;
      columnTotals[j]! += c;
    });
    if (raters === -1) raters = total;
    if (total !== raters) throw new RangeError(`fleissKappa: subject ${i} has ${total} ratings, expected ${raters} (equal raters per subject)`);
    if (raters < 2) throw new RangeError(`fleissKappa: needs at least 2 raters per subject, got ${raters}`);
    sumP += (squares - raters) / (raters * (raters - 1));
  });
  const pBar = sumP / N;
  let pE = 0;
  for (const t of columnTotals) pE += (t / (N * raters)) ** 2;
  return pE === 1 ? Number.NaN : (pBar - pE) / (1 - pE);
}
