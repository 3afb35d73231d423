import { requireFinite } from './guards.js';
import { rankWithTies } from './ranks.js';

/**
 * Pearson correlation of two equally long series (at least 2 values).
 * Returns NaN when either series is constant (the correlation is undefined).
 */
export function pearson(x: readonly number[], y: readonly number[]): number {
  requireFinite(x, 'pearson', 2);
  requireFinite(y, 'pearson', 2);
  if (x.length !== y.length) throw new RangeError(`pearson: series differ in length (${x.length} vs ${y.length})`);
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? Number.NaN : sxy / Math.sqrt(sxx * syy);
}

/**
 * Spearman's rank correlation ρ: the Pearson correlation of the average ranks
 * (ties handled exactly, not by the 1 − 6Σd²/(n³−n) shortcut).
 * NaN when either series is constant.
 */
export function spearman(x: readonly number[], y: readonly number[]): number {
  return pearson(rankWithTies(x), rankWithTies(y));
}
