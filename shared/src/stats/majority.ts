/** One option's place in a majority judgement. */
export interface MajorityJudgementEntry {
  option: string;
  /** The lower median of the option's grades. */
  majorityGrade: number;
  /** 1 = best; options tied after the whole tie-break share a rank (1, 1, 3, …). */
  rank: number;
}

export interface MajorityJudgementResult {
  /** Best first; options left tied keep the order in which they were given. */
  ranking: MajorityJudgementEntry[];
  /** True when two or more options share first place after the tie-break. */
  tie: boolean;
}

/**
 * The option's grades in the order the tie-break reads them: the majority grade
 * (lower median of the sorted grades), then the lower median of what is left after
 * removing one instance of it, and so on until no grade is left (Balinski and
 * Laraki's "majority value").
 */
export function majorityValue(grades: readonly number[]): number[] {
  const xs = [...grades].sort((a, b) => a - b);
  const k = xs.length;
  if (k === 0) return [];
  // The removed grades always form a contiguous block lo…hi of the sorted list.
  let lo = Math.floor((k - 1) / 2);
  let hi = lo;
  const out = [xs[lo]!];
  while (out.length < k) {
    const left = lo; // grades still below the block
    const remaining = k - out.length;
    const idx = Math.floor((remaining - 1) / 2); // lower median of what remains
    if (idx < left) out.push(xs[--lo]!);
    else out.push(xs[++hi]!);
  }
  return out;
}

function compareDescending(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return b[i]! - a[i]!;
  return 0;
}

/**
 * Majority judgement. `grades[option]` lists the grades the voters gave that option:
 * integers on an ordered scale, higher is better, one per voter, so every option must
 * have the same (non-zero) number of grades — record a voter's missing grade as the
 * lowest grade. `options.min` / `options.max`, when given, bound the scale.
 * Malformed input throws a RangeError.
 *
 * An option's majority grade is the LOWER median of its grades (for an even count,
 * the lower of the two middle grades). Options are ranked by majority grade, higher
 * first; options with the same majority grade are separated by the standard
 * tie-break: remove one instance of the majority grade from each tied option and
 * compare the new lower medians, repeating until they differ (see
 * {@link majorityValue}). Options whose grade lists are identical as multisets stay tied.
 */
export function majorityJudgement(
  grades: Readonly<Record<string, readonly number[]>>,
  options: { min?: number; max?: number } = {},
): MajorityJudgementResult {
  const entries = Object.entries(grades);
  const count = entries[0]?.[1].length ?? 0;
  const scored = entries.map(([option, list], order) => {
    if (!Array.isArray(list) || list.length === 0) throw new RangeError(`majorityJudgement: option "${option}" has no grades`);
    if (list.length !== count) throw new RangeError(`majorityJudgement: option "${option}" has ${list.length} grades, expected ${count} (one per voter)`);
    for (const g of list) {
      if (!Number.isInteger(g)) throw new RangeError(`majorityJudgement: option "${option}" has a grade that is not an integer (${g})`);
      if ((options.min !== undefined && g < options.min) || (options.max !== undefined && g > options.max)) {
        throw new RangeError(`majorityJudgement: option "${option}" has a grade ${g} outside the scale ${options.min ?? '−∞'}…${options.max ?? '∞'}`);
      }
    }
    return { option, order, value: majorityValue(list) };
  });
  scored.sort((a, b) => compareDescending(a.value, b.value) || a.order - b.order);
  const ranking: MajorityJudgementEntry[] = [];
  scored.forEach((s, i) => {
    const prev = scored[i - 1];
    const rank = prev && compareDescending(prev.value, s.value) === 0 ? ranking[i - 1]!.rank : i + 1;
    ranking.push({ option: s.option, majorityGrade: s.value[0]!, rank });
  });
  return { ranking, tie: ranking.filter((r) => r.rank === 1).length > 1 };
}
