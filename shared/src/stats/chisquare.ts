import { regularizedGammaQ } from './gamma.js';

/**
 * Upper-tail probability of the χ² distribution, P(X ≥ x) for X ~ χ²(df):
 * Q(df/2, x/2). df must be a positive number, x ≥ 0 (x = 0 gives 1).
 * Example: chiSquareP(3.841, 1) ≈ 0.05, chiSquareP(11.070, 5) ≈ 0.05.
 */
export function chiSquareP(x: number, df: number): number {
  if (!(df > 0) || !Number.isFinite(df)) throw new RangeError(`chiSquareP: df must be a positive number, got ${df}`);
  if (!(x >= 0)) throw new RangeError(`chiSquareP: χ² must be ≥ 0, got ${x}`);
  return regularizedGammaQ(df / 2, x / 2);
}
