import { requireFinite } from './guards.js';

/**
 * Descriptive statistics. Every function takes a non-empty array of finite
 * numbers (it throws a RangeError otherwise) and never mutates it.
 */

/** Arithmetic mean x̄ = Σx / n. */
export function mean(values: readonly number[]): number {
  requireFinite(values, 'mean');
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

function sorted(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** Quantile of already sorted values, R type 7: linear interpolation between closest ranks. */
function quantileSorted(xs: readonly number[], p: number): number {
  const h = (xs.length - 1) * p;
  const lo = Math.floor(h);
  const below = xs[lo]!;
  const above = xs[Math.min(lo + 1, xs.length - 1)]!;
  return below + (h - lo) * (above - below);
}

/** Median: the middle value, or the mean of the two middle values for an even count. */
export function median(values: readonly number[]): number {
  requireFinite(values, 'median');
  return quantileSorted(sorted(values), 0.5);
}

/**
 * Quartiles by linear interpolation between closest ranks — Hyndman & Fan type 7,
 * the default of R's `quantile()`, Excel's QUARTILE.INC and NumPy's `quantile`:
 * for sorted x₀…x_{n−1} and p ∈ {¼, ½, ¾}, h = (n−1)p and
 * Q(p) = x_⌊h⌋ + (h − ⌊h⌋)(x_⌊h⌋+1 − x_⌊h⌋). q2 equals the median.
 * Example: [1…8] → q1 = 2.75, q2 = 4.5, q3 = 6.25.
 */
export function quartiles(values: readonly number[]): { q1: number; q2: number; q3: number } {
  requireFinite(values, 'quartiles');
  const xs = sorted(values);
  return { q1: quantileSorted(xs, 0.25), q2: quantileSorted(xs, 0.5), q3: quantileSorted(xs, 0.75) };
}

/** Interquartile range q3 − q1, with the type-7 quartiles of {@link quartiles}. */
export function iqr(values: readonly number[]): number {
  const { q1, q3 } = quartiles(values);
  return q3 - q1;
}

function sumOfSquares(values: readonly number[]): number {
  const m = mean(values);
  let ss = 0;
  for (const v of values) ss += (v - m) * (v - m);
  return ss;
}

/** Population standard deviation σ = √(Σ(x − x̄)² / n). */
export function populationStdDev(values: readonly number[]): number {
  return Math.sqrt(sumOfSquares(values) / values.length);
}

/** Sample standard deviation s = √(Σ(x − x̄)² / (n − 1)); needs at least 2 values. */
export function sampleStdDev(values: readonly number[]): number {
  requireFinite(values, 'sampleStdDev', 2);
  return Math.sqrt(sumOfSquares(values) / (values.length - 1));
}

/**
 * Coefficient of variation V = σ / |x̄| · 100, in percent.
 * σ is the population standard deviation by default (divide by n, as in the
 * Russian expert-assessment methodology); `{ sample: true }` uses the sample
 * deviation (divide by n − 1, needs at least 2 values). The absolute value of the
 * mean keeps V non-negative. Returns NaN when the mean is 0 (V is undefined).
 */
export function coefficientOfVariation(values: readonly number[], options: { sample?: boolean } = {}): number {
  const sigma = options.sample ? sampleStdDev(values) : populationStdDev(values);
  const m = Math.abs(mean(values));
  return m === 0 ? Number.NaN : (sigma * 100) / m;
}
