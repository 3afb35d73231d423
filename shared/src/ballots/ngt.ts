/**
 * Nominal group technique (a mode of `ranking` ballots, `ngt: true`): each expert
 * privately ranks their top five (fewer when there are fewer options), best first;
 * place 1 scores 5 points … place 5 scores 1 (with n < 5 options: n … 1). Totals
 * are summed per option and ranked. The result is *split* when two or more options
 * share the top total, or the second total is within one point of the first: then
 * `ballot.round` re-runs the ranking on the split options only (see {@link ngtSplit}).
 */
export const NGT_TOP = 5;

/** How many options an NGT answer ranks. */
export const ngtPicks = (options: number): number => Math.min(NGT_TOP, options);

/** NGT points per option (every option present, 0 when nobody ranked it). */
export function ngtScores(optionIds: readonly string[], orders: readonly (readonly string[])[]): Record<string, number> {
  const picks = ngtPicks(optionIds.length);
  const out: Record<string, number> = Object.fromEntries(optionIds.map((id) => [id, 0]));
  for (const order of orders) {
    order.slice(0, picks).forEach((id, place) => {
      if (Object.hasOwn(out, id)) out[id]! += picks - place;
    });
  }
  return out;
}

/**
 * The options to revote on, or [] when the result is clear: every option whose
 * total is within one point of the best (ties included), when there are two or
 * more of them and someone scored at all. Order: best first, then option order.
 */
export function ngtSplit(totals: readonly { optionId: string; points: number }[]): string[] {
  if (totals.length < 2) return [];
  const best = Math.max(...totals.map((t) => t.points));
  if (best <= 0) return [];
  const close = totals.filter((t) => best - t.points <= 1);
  if (close.length < 2) return [];
  return [...close].sort((a, b) => b.points - a.points).map((t) => t.optionId);
}

/** Round-robin of an NGT: the speaking order the server keeps, and whose turn it is (index into `order`). */
export interface NgtTurns {
  order: string[];
  turn: number;
}

/** The participant whose turn it is, or null when the round-robin is over or empty. */
export const ngtSpeaker = (t: NgtTurns | undefined): string | null => (t && t.turn < t.order.length ? t.order[t.turn]! : null);
