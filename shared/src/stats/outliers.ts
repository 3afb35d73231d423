import { spearman } from './correlation.js';
import { agreementBand } from './interpret.js';
import { kendallW } from './kendall.js';
import { rankWithTies } from './ranks.js';

/** One expert's distance from the consensus. */
export interface ExpertAgreement {
  /** Index of the expert's row in `scores`. */
  expert: number;
  /** Spearman ρ between the expert's ranking and the others' consensus; NaN if undefined. */
  rho: number;
  /** True when the facilitator should look at this expert. */
  flagged: boolean;
}

/**
 * The experts furthest from the consensus, for the facilitator.
 *
 * `scores[expert][object]` as for {@link kendallW} (same shape checks). Each row is
 * ranked ascending with average ranks for ties. For each expert j, the consensus is
 * the objects' mean rank over the OTHER experts, and `rho` is Spearman's ρ between
 * expert j's ranks and that consensus (NaN when either is constant, e.g. an expert
 * who gave every object the same score).
 *
 * Returned for every expert, sorted by ρ ascending (NaN first, then ties by expert
 * index). An expert is flagged when
 * - ρ < `threshold` (default 0.3), or ρ is NaN; or
 * - W (tie-corrected) is not in the 'high' band (W ≤ 0.7, or undefined) and the expert's
 *   ρ is the lowest, strictly below every other expert's ρ (a shared lowest value
 *   flags no one by this rule).
 */
export function outlyingExperts(
  scores: readonly (readonly number[])[],
  options: { threshold?: number } = {},
): ExpertAgreement[] {
  const threshold = options.threshold ?? 0.3;
  const { W } = kendallW(scores); // validates the shape
  const ranks = scores.map((row) => rankWithTies(row));
  const m = ranks.length;
  const n = ranks[0]!.length;
  const totals = new Array<number>(n).fill(0);
  for (const row of ranks) row.forEach((r, i) => (totals[i]! += r));

  const result: ExpertAgreement[] = ranks.map((row, expert) => {
    const consensus = row.map((r, i) => (totals[i]! - r) / (m - 1));
    const rho = spearman(row, consensus);
    return { expert, rho, flagged: Number.isNaN(rho) || rho < threshold };
  });
  result.sort((a, b) => {
    if (Number.isNaN(a.rho) !== Number.isNaN(b.rho)) return Number.isNaN(a.rho) ? -1 : 1;
    return (Number.isNaN(a.rho) ? 0 : a.rho - b.rho) || a.expert - b.expert;
  });

  const highAgreement = !Number.isNaN(W) && agreementBand(W) === 'high';
  const [lowest, next] = result;
  if (!highAgreement && lowest && next && !Number.isNaN(lowest.rho) && lowest.rho < next.rho) lowest.flagged = true;
  return result;
}
