import { chiSquareP } from './chisquare.js';
import { requireMatrix } from './guards.js';
import { rankWithTies, tieTerm } from './ranks.js';

export interface KendallWResult {
  /** Coefficient of concordance, 0 (no agreement) … 1 (complete agreement); NaN when undefined. */
  W: number;
  /** χ² = m(n − 1)W. */
  chiSquare: number;
  /** Degrees of freedom n − 1. */
  df: number;
  /** Upper-tail χ² probability of the observed agreement arising by chance. */
  p: number;
}

/**
 * Kendall's coefficient of concordance W for m experts assessing n objects.
 *
 * `scores[expert][object]` holds raw scores or ranks (at least 2 experts and
 * 2 objects, every row of the same length, finite numbers; a RangeError otherwise).
 * Each expert's row is ranked with average ranks for ties, ascending: the smallest
 * score gets rank 1. W does not depend on that direction as long as it is the same
 * for every expert, so higher-is-better scores and 1-is-best ranks give the same W.
 *
 * With R_i the rank sum of object i and S = Σ(R_i − m(n+1)/2)²:
 * W = 12S / (m²(n³ − n) − m·ΣT_j), T_j = Σ(t³ − t) over each group of t tied
 * ranks of expert j. The tie correction (the m·ΣT_j term) is on by default;
 * `{ tieCorrection: false }` drops it. χ² = m(n − 1)W with df = n − 1, and p is
 * its upper-tail probability (see {@link chiSquareP}).
 *
 * When every expert gave every object the same score, the corrected denominator
 * is 0 and W is undefined: W, chiSquare and p are NaN (df is still n − 1).
 *
 * Example (Siegel & Castellan): A = 5,6,7,1,2,4,3,8; B = 1,7,6,2,3,5,4,8;
 * C = 4,5,1,3,2,7,6,8 → W = 0.6560847, χ² = 13.778, df = 7, p = 0.05528.
 */
export function kendallW(scores: readonly (readonly number[])[], options: { tieCorrection?: boolean } = {}): KendallWResult {
  const n = requireMatrix(scores, 'kendallW', 2, 2);
  const m = scores.length;
  const correct = options.tieCorrection ?? true;
  const rankSums = new Array<number>(n).fill(0);
  let ties = 0;
  for (const row of scores) {
    const ranks = rankWithTies(row);
    ranks.forEach((r, i) => (rankSums[i]! += r));
    if (correct) ties += tieTerm(ranks);
  }
  const expected = (m * (n + 1)) / 2;
  let S = 0;
  for (const R of rankSums) S += (R - expected) * (R - expected);
  const denominator = m * m * (n * n * n - n) - m * ties;
  const df = n - 1;
  if (denominator <= 0) return { W: Number.NaN, chiSquare: Number.NaN, df, p: Number.NaN };
  const W = (12 * S) / denominator;
  const chiSquare = m * df * W;
  return { W, chiSquare, df, p: chiSquareP(chiSquare, df) };
}
