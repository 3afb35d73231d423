/** Agreement band of Kendall's W, as used in Russian expert-assessment methodology. */
export type AgreementBand = 'low' | 'medium' | 'high';

/** Consistency band of expert opinion by the coefficient of variation V (%). */
export type ConsistencyBand = 'high' | 'aboveAverage' | 'average' | 'belowAverage' | 'low';

/** Values this close to a band boundary count as on it, so rounding noise never changes the band. */
const BOUNDARY_TOLERANCE = 1e-9;
const atMost = (value: number, bound: number) => value <= bound + BOUNDARY_TOLERANCE;

function requireNumber(value: number, what: string): void {
  if (typeof value !== 'number' || Number.isNaN(value)) throw new RangeError(`${what}: expected a number, got ${String(value)}`);
}

/**
 * Band of Kendall's W: W < 0.3 'low', 0.3 ≤ W ≤ 0.7 'medium', W > 0.7 'high'.
 * Both boundaries 0.3 and 0.7 are 'medium' (within 1e-9). Catalogue key:
 * `stats.agreement.<band>`. Throws a RangeError for NaN (W undefined).
 */
export function agreementBand(W: number): AgreementBand {
  requireNumber(W, 'agreementBand');
  if (W < 0.3 - BOUNDARY_TOLERANCE) return 'low';
  return atMost(W, 0.7) ? 'medium' : 'high';
}

/**
 * Band of the coefficient of variation V in percent: V ≤ 10 'high',
 * 10 < V ≤ 15 'aboveAverage', 15 < V ≤ 25 'average', 25 < V ≤ 35 'belowAverage',
 * V > 35 'low'. Each boundary belongs to the better band (within 1e-9).
 * Catalogue key: `stats.consistency.<band>`. Throws a RangeError for NaN.
 */
export function consistencyBand(V: number): ConsistencyBand {
  requireNumber(V, 'consistencyBand');
  if (atMost(V, 10)) return 'high';
  if (atMost(V, 15)) return 'aboveAverage';
  if (atMost(V, 25)) return 'average';
  if (atMost(V, 35)) return 'belowAverage';
  return 'low';
}
