import { describe, expect, it } from 'vitest';
import { domainEn } from '../src/i18n/domain/en.js';
import { domainKk } from '../src/i18n/domain/kk.js';
import { domainRu } from '../src/i18n/domain/ru.js';
import {
  agreementBand,
  borda,
  chiSquareP,
  coefficientOfVariation,
  consistencyBand,
  fleissKappa,
  iqr,
  kendallW,
  lnGamma,
  majorityJudgement,
  majorityValue,
  mean,
  median,
  outlyingExperts,
  pearson,
  populationStdDev,
  quartiles,
  rankSums,
  rankWithTies,
  regularizedGammaP,
  regularizedGammaQ,
  sampleStdDev,
  spearman,
  tieTerm,
  type AgreementBand,
  type ConsistencyBand,
} from '../src/index.js';

/** |actual − expected| ≤ tol · |expected| */
function expectRelative(actual: number, expected: number, tol = 1e-10): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol * Math.abs(expected));
}

// Siegel & Castellan: 3 experts rank 8 objects (the brief's example).
const SIEGEL = [
  [5, 6, 7, 1, 2, 4, 3, 8],
  [1, 7, 6, 2, 3, 5, 4, 8],
  [4, 5, 1, 3, 2, 7, 6, 8],
];

describe('descriptive statistics', () => {
  it('mean and median (odd and even counts)', () => {
    expect(mean([2, 4, 9])).toBe(5);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it('quartiles by R type 7 (linear interpolation between closest ranks)', () => {
    // R: quantile(1:8) → 25% 2.75, 50% 4.5, 75% 6.25
    expect(quartiles([1, 2, 3, 4, 5, 6, 7, 8])).toEqual({ q1: 2.75, q2: 4.5, q3: 6.25 });
    // R: quantile(c(7, 15, 36, 39, 40, 41)) → 20.25, 37.5, 39.75 (input order must not matter)
    expect(quartiles([41, 7, 39, 15, 40, 36])).toEqual({ q1: 20.25, q2: 37.5, q3: 39.75 });
    expect(quartiles([5])).toEqual({ q1: 5, q2: 5, q3: 5 });
    expect(iqr([1, 2, 3, 4, 5, 6, 7, 8])).toBe(3.5);
  });

  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    quartiles(values);
    median(values);
    rankWithTies(values);
    expect(values).toEqual([3, 1, 2]);
  });

  it('population and sample standard deviation', () => {
    const xs = [2, 4, 4, 4, 5, 5, 7, 9]; // mean 5, Σ(x − x̄)² = 32
    expect(populationStdDev(xs)).toBe(2); // √(32/8)
    expectRelative(sampleStdDev(xs), Math.sqrt(32 / 7)); // 2.1380899…
    expect(populationStdDev([4])).toBe(0);
  });

  it('coefficient of variation: population σ by default, sample σ on request, in percent', () => {
    const xs = [2, 4, 4, 4, 5, 5, 7, 9];
    expect(coefficientOfVariation(xs)).toBe(40); // 2 / 5 · 100
    expectRelative(coefficientOfVariation(xs, { sample: true }), (Math.sqrt(32 / 7) / 5) * 100); // 42.7618…
    expect(coefficientOfVariation([9, 11])).toBe(10); // σ = 1, x̄ = 10
    expect(coefficientOfVariation([5, 5, 5])).toBe(0);
    expect(coefficientOfVariation([-1, 1])).toBeNaN(); // mean 0: undefined
  });

  it('rejects empty and non-finite input', () => {
    expect(() => mean([])).toThrow(RangeError);
    expect(() => median([])).toThrow(RangeError);
    expect(() => quartiles([])).toThrow(RangeError);
    expect(() => populationStdDev([])).toThrow(RangeError);
    expect(() => sampleStdDev([3])).toThrow(/at least 2/);
    expect(() => coefficientOfVariation([3], { sample: true })).toThrow(RangeError);
    expect(() => mean([1, Number.NaN])).toThrow(/index 1/);
    expect(() => median([1, Infinity])).toThrow(RangeError);
  });
});

describe('ranks and correlation', () => {
  it('gives tied values the average of their ranks', () => {
    expect(rankWithTies([10, 20, 20, 30])).toEqual([1, 2.5, 2.5, 4]);
    expect(rankWithTies([5, 1, 5, 5, 2])).toEqual([4, 1, 4, 4, 2]); // the 5s share ranks 3, 4, 5
    expect(rankWithTies([10, 20, 20, 30], 'descending')).toEqual([4, 2.5, 2.5, 1]);
    expect(rankWithTies([])).toEqual([]);
    expect(() => rankWithTies([1, Number.NaN])).toThrow(RangeError);
  });

  it('tie term Σ(t³ − t)', () => {
    expect(tieTerm([1, 1, 2, 2, 2, 3])).toBe(30); // (8 − 2) + (27 − 3)
    expect(tieTerm([1, 2, 3])).toBe(0);
  });

  it('Pearson and Spearman', () => {
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 14);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 14);
    expect(pearson([1, 2, 3], [5, 5, 5])).toBeNaN();
    expect(spearman([1, 2, 3, 4], [1, 4, 9, 100])).toBeCloseTo(1, 14);
    // scipy.stats.spearmanr([4,5,1,3,2,7,6,8], [3,6.5,6.5,1.5,2.5,4.5,3.5,8]) = 0.45509797952703834
    expectRelative(spearman([4, 5, 1, 3, 2, 7, 6, 8], [3, 6.5, 6.5, 1.5, 2.5, 4.5, 3.5, 8]), 0.45509797952703834, 1e-12);
    expect(() => pearson([1, 2], [1, 2, 3])).toThrow(RangeError);
  });
});

describe('χ² upper tail and the incomplete gamma function', () => {
  it('ln Γ at known values', () => {
    expect(lnGamma(1)).toBeCloseTo(0, 14);
    expect(lnGamma(10)).toBeCloseTo(Math.log(362880), 13);
    expect(lnGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 14);
    expect(lnGamma(3.5)).toBeCloseTo(Math.log((15 / 8) * Math.sqrt(Math.PI)), 14);
    expectRelative(lnGamma(1e6), 12815504.569147611, 1e-14); // Python math.lgamma(1e6)
  });

  it('matches the critical values of χ² tables', () => {
    expect(chiSquareP(3.841, 1)).toBeCloseTo(0.05, 4);
    expect(chiSquareP(11.07, 5)).toBeCloseTo(0.05, 4);
    expect(chiSquareP(6.635, 1)).toBeCloseTo(0.01, 4);
    expect(chiSquareP(0, 3)).toBe(1);
    // mpmath gammainc(df/2, x/2, inf, regularized=True), 30 digits
    expectRelative(chiSquareP(3.841, 1), 0.050013683763956699076);
    expectRelative(chiSquareP(11.07, 5), 0.050009618622405482225);
    expectRelative(chiSquareP(0.5, 10), 0.99999338828943896575);
    expectRelative(chiSquareP(0.001, 1), 0.97477287936996038828);
    expectRelative(chiSquareP(30, 3), 1.3800570312932547282e-6);
    expectRelative(chiSquareP(100, 50), 3.4549313829848639421e-5);
    expectRelative(chiSquareP(1000, 900), 0.01099460894213584808);
  });

  it('matches closed forms on both sides of the series / continued-fraction switch', () => {
    // df = 2: Q = e^(−x/2); df = 4: Q = e^(−x/2)(1 + x/2); the switch is at x/2 = a + 1
    for (const x of [0.01, 0.5, 2, 3.9, 4.1, 10, 40, 200]) {
      expectRelative(chiSquareP(x, 2), Math.exp(-x / 2));
      expectRelative(chiSquareP(x, 4), Math.exp(-x / 2) * (1 + x / 2));
    }
  });

  it('P + Q = 1', () => {
    for (const [a, x] of [[0.5, 0.2], [3.5, 6.89], [10, 3], [10, 30], [250, 260]] as const) {
      expect(regularizedGammaP(a, x) + regularizedGammaQ(a, x)).toBeCloseTo(1, 14);
    }
  });

  it('rejects impossible arguments', () => {
    expect(() => chiSquareP(-1, 3)).toThrow(RangeError);
    expect(() => chiSquareP(1, 0)).toThrow(RangeError);
    expect(() => chiSquareP(Number.NaN, 2)).toThrow(RangeError);
    expect(() => lnGamma(0)).toThrow(RangeError);
  });
});

describe('Kendall W', () => {
  it("reproduces Siegel & Castellan's example", () => {
    // R = 10, 18, 14, 6, 7, 16, 13, 24; m(n+1)/2 = 13.5; S = 248; W = 12·248 / (9·504) = 2976/4536
    const r = kendallW(SIEGEL);
    expect(r.W).toBeCloseTo(0.6560847, 7);
    expect(r.W).toBe(2976 / 4536);
    expect(r.chiSquare).toBeCloseTo(13.778, 3);
    expect(r.df).toBe(7);
    expect(Number(r.p.toPrecision(4))).toBe(0.05528);
    expectRelative(r.p, 0.0552779298915744909952); // mpmath Q(3.5, 124/18)
  });

  it('does not depend on whether scores or ranks, ascending or descending, are given', () => {
    // higher score = better: the same rankings reversed in direction for every expert
    const scores = SIEGEL.map((row) => row.map((r) => 100 - 10 * r));
    expect(kendallW(scores).W).toBeCloseTo(kendallW(SIEGEL).W, 14);
  });

  it('corrects for ties (on by default) — hand computation', () => {
    // E1 = 1,2,3,4 → ranks 1,2,3,4 (T = 0); E2 = 1,1,3,4 → 1.5,1.5,3,4 (T = 2³ − 2 = 6);
    // E3 = 2,1,4,3 → 2,1,4,3 (T = 0). R = 4.5, 4.5, 10, 11; m(n+1)/2 = 7.5;
    // S = 9 + 9 + 6.25 + 12.25 = 36.5; 12S = 438; m²(n³ − n) = 9·60 = 540.
    // Corrected: W = 438 / (540 − 3·6) = 438/522 = 73/87 ≈ 0.8390805; χ² = 3·3·W = 657/87 ≈ 7.5517.
    // Uncorrected: W = 438/540 = 73/90 ≈ 0.8111111.
    const tied = [
      [1, 2, 3, 4],
      [1, 1, 3, 4],
      [2, 1, 4, 3],
    ];
    const corrected = kendallW(tied);
    expect(corrected.W).toBeCloseTo(73 / 87, 14);
    expect(corrected.chiSquare).toBeCloseTo(657 / 87, 12);
    expect(corrected.df).toBe(3);
    expectRelative(corrected.p, chiSquareP(657 / 87, 3), 1e-12);
    expect(kendallW(tied, { tieCorrection: true }).W).toBe(corrected.W);
    expect(kendallW(tied, { tieCorrection: false }).W).toBeCloseTo(73 / 90, 14);
  });

  it('is 1 for perfect agreement, whatever the score scales', () => {
    const r = kendallW([
      [10, 20, 30, 40],
      [1, 2, 3, 4],
      [5, 7, 100, 101],
    ]);
    expect(r.W).toBe(1);
    expect(r.chiSquare).toBe(9); // m(n − 1)
  });

  it('is 0 for two experts with reversed rankings, with p = 1', () => {
    const r = kendallW([
      [1, 2, 3, 4],
      [4, 3, 2, 1],
    ]);
    expect(r).toEqual({ W: 0, chiSquare: 0, df: 3, p: 1 });
  });

  it('is NaN when every expert tied every object; a single fully tied expert is fine', () => {
    const r = kendallW([
      [3, 3, 3],
      [5, 5, 5],
    ]);
    expect(r.W).toBeNaN();
    expect(r.chiSquare).toBeNaN();
    expect(r.p).toBeNaN();
    expect(r.df).toBe(2);
    // R = 3, 4, 5; S = 2; corrected denominator 4·24 − 2·24 = 48; W = 24/48
    expect(kendallW([[1, 1, 1], [1, 2, 3]]).W).toBe(0.5);
  });

  it('throws on malformed shapes', () => {
    expect(() => kendallW([[1, 2, 3]])).toThrow(/at least 2 rows/);
    expect(() => kendallW([[1], [1]])).toThrow(/at least 2 columns/);
    expect(() => kendallW([[1, 2, 3], [1, 2]])).toThrow(/ragged/);
    expect(() => kendallW([[1, 2], [1, Number.NaN]])).toThrow(RangeError);
    expect(() => kendallW([])).toThrow(RangeError);
  });
});

describe("Fleiss' kappa", () => {
  it('reproduces the Wikipedia worked example (10 subjects, 14 raters, 5 categories)', () => {
    const table = [
      [0, 0, 0, 0, 14],
      [0, 2, 6, 4, 2],
      [0, 0, 3, 5, 6],
      [0, 3, 9, 2, 0],
      [2, 2, 8, 1, 1],
      [7, 7, 0, 0, 0],
      [3, 2, 6, 3, 0],
      [2, 5, 3, 2, 2],
      [6, 5, 2, 1, 0],
      [0, 2, 2, 3, 7],
    ];
    // P̄ = 0.378, P_e = 0.2128…, κ = 0.20993
    expect(fleissKappa(table)).toBeCloseTo(0.20993, 5);
  });

  it('is 1 for complete agreement and NaN when every rating is one category', () => {
    expect(fleissKappa([[3, 0], [0, 3]])).toBe(1);
    expect(fleissKappa([[3, 0], [3, 0]])).toBeNaN();
  });

  it('throws on unequal raters, bad counts or shapes', () => {
    expect(() => fleissKappa([[3, 0], [2, 0]])).toThrow(/equal raters/);
    expect(() => fleissKappa([[3, -1], [2, 0]])).toThrow(/non-negative integer/);
    expect(() => fleissKappa([[1.5, 1.5], [2, 1]])).toThrow(/non-negative integer/);
    expect(() => fleissKappa([[1, 0], [0, 1]])).toThrow(/at least 2 raters/);
    expect(() => fleissKappa([[1, 1], [2]])).toThrow(/ragged/);
    expect(() => fleissKappa([])).toThrow(RangeError);
  });
});

describe('Borda count and rank sums', () => {
  const ballots = [
    ['A', 'B', 'C'],
    ['B', 'A', 'C'],
    ['A', 'C', 'B'],
    ['C', 'B', 'A'],
  ];

  it('awards n − 1 … 0 points', () => {
    // A: 2 + 1 + 2 + 0 = 5; B: 1 + 2 + 0 + 1 = 4; C: 0 + 0 + 1 + 2 = 3
    expect(borda(ballots)).toEqual({ A: 5, B: 4, C: 3 });
  });

  it('sums ranks, 1 = best (rank sum = ballots · n − Borda)', () => {
    // A: 1 + 2 + 1 + 3 = 7; B: 2 + 1 + 3 + 2 = 8; C: 3 + 3 + 2 + 1 = 9
    expect(rankSums(ballots)).toEqual({ A: 7, B: 8, C: 9 });
  });

  it('handles no ballots and awkward option names', () => {
    expect(borda([])).toEqual({});
    const r = borda([['__proto__', 'x'], ['x', '__proto__']]);
    expect(Object.keys(r)).toEqual(['__proto__', 'x']);
    expect(Object.getPrototypeOf(r)).toBe(Object.prototype);
  });

  it('throws on a ballot that is not a permutation of the same options', () => {
    expect(() => borda([['A', 'B', 'C'], ['A', 'B']])).toThrow(/ballot 1/);
    expect(() => borda([['A', 'B', 'C'], ['A', 'A', 'B']])).toThrow(/twice/);
    expect(() => borda([['A', 'B', 'C'], ['A', 'B', 'D']])).toThrow(/unknown option "D"/);
    expect(() => borda([['A', 'A']])).toThrow(/ballot 0/);
    expect(() => rankSums([['A', 'B'], ['B', 'C']])).toThrow(RangeError);
  });
});

describe('majority judgement', () => {
  it('uses the lower median as the majority grade', () => {
    expect(majorityJudgement({ X: [1, 2, 3, 4] }).ranking[0]!.majorityGrade).toBe(2);
    expect(majorityJudgement({ X: [5, 0, 4] }).ranking[0]!.majorityGrade).toBe(4);
  });

  it('breaks a tie by removing median grades (worked by hand)', () => {
    // Scale 0 (reject) … 5 (excellent); 5 voters.
    // A sorted 1,3,3,4,5 → majority grade 3;   B sorted 2,3,3,3,4 → 3;   C sorted 0,1,2,5,5 → 2.
    // A and B tie on 3. Remove one 3 each: A 1,3,4,5 → lower median 3; B 2,3,3,4 → 3: still tied.
    // Remove another 3: A 1,4,5 → 4; B 2,3,4 → 3. So A beats B; C is last on its grade 2.
    const r = majorityJudgement({ C: [5, 0, 2, 1, 5], B: [3, 3, 4, 2, 3], A: [4, 3, 1, 5, 3] }, { min: 0, max: 5 });
    expect(r.ranking).toEqual([
      { option: 'A', majorityGrade: 3, rank: 1 },
      { option: 'B', majorityGrade: 3, rank: 2 },
      { option: 'C', majorityGrade: 2, rank: 3 },
    ]);
    expect(r.tie).toBe(false);
    expect(majorityValue([4, 3, 1, 5, 3])).toEqual([3, 3, 4, 1, 5]);
    expect(majorityValue([3, 3, 4, 2, 3])).toEqual([3, 3, 3, 2, 4]);
  });

  it('reports a tie that the tie-break cannot separate', () => {
    // D and E have the same grades in a different order: tied all the way; F is below.
    const r = majorityJudgement({ D: [1, 2, 3], E: [3, 2, 1], F: [0, 1, 2] });
    expect(r.ranking.map((e) => [e.option, e.rank])).toEqual([['D', 1], ['E', 1], ['F', 3]]);
    expect(r.tie).toBe(true);
    expect(majorityJudgement({}).ranking).toEqual([]);
  });

  it('reads medians exactly as repeated removal would', () => {
    const naive = (grades: number[]) => {
      const xs = [...grades].sort((a, b) => a - b);
      const out: number[] = [];
      while (xs.length > 0) out.push(xs.splice(Math.floor((xs.length - 1) / 2), 1)[0]!);
      return out;
    };
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let trial = 0; trial < 200; trial++) {
      const grades = Array.from({ length: 1 + (next() % 12) }, () => next() % 6);
      expect(majorityValue(grades)).toEqual(naive(grades));
    }
  });

  it('throws on malformed grades', () => {
    expect(() => majorityJudgement({ A: [1, 2], B: [1] })).toThrow(/one per voter/);
    expect(() => majorityJudgement({ A: [] })).toThrow(/no grades/);
    expect(() => majorityJudgement({ A: [1.5] })).toThrow(/not an integer/);
    expect(() => majorityJudgement({ A: [6] }, { min: 0, max: 5 })).toThrow(/outside the scale/);
    expect(() => majorityJudgement({ A: [-1] }, { min: 0 })).toThrow(/outside the scale/);
  });
});

describe('interpretation bands', () => {
  it('agreement of W: < 0.3 low, 0.3…0.7 medium (both ends), > 0.7 high', () => {
    const cases: [number, AgreementBand][] = [
      [0, 'low'],
      [0.2999, 'low'],
      [0.3, 'medium'],
      [0.5, 'medium'],
      [0.7, 'medium'],
      [0.7 + 1e-12, 'medium'], // rounding noise stays on the boundary
      [0.7001, 'high'],
      [1, 'high'],
    ];
    for (const [W, band] of cases) expect([W, agreementBand(W)]).toEqual([W, band]);
    expect(agreementBand(kendallW(SIEGEL).W)).toBe('medium');
    expect(() => agreementBand(Number.NaN)).toThrow(RangeError);
  });

  it('consistency of V: boundaries belong to the better band', () => {
    const cases: [number, ConsistencyBand][] = [
      [0, 'high'],
      [10, 'high'],
      [10.01, 'aboveAverage'],
      [15, 'aboveAverage'],
      [15.01, 'average'],
      [25, 'average'],
      [25.01, 'belowAverage'],
      [35, 'belowAverage'],
      [35.01, 'low'],
      [120, 'low'],
    ];
    for (const [V, band] of cases) expect([V, consistencyBand(V)]).toEqual([V, band]);
    expect(consistencyBand(coefficientOfVariation([9, 11]))).toBe('high');
    expect(() => consistencyBand(Number.NaN)).toThrow(RangeError);
  });

  it('every band and label has text in every domain catalogue', () => {
    const keys = [
      'stats.W',
      'stats.V',
      ...(['low', 'medium', 'high'] satisfies AgreementBand[]).map((b) => `stats.agreement.${b}`),
      ...(['high', 'aboveAverage', 'average', 'belowAverage', 'low'] satisfies ConsistencyBand[]).map((b) => `stats.consistency.${b}`),
    ];
    for (const catalogue of [domainEn, domainRu, domainKk]) expect(keys.filter((k) => !catalogue[k])).toEqual([]);
    expect(domainRu['stats.agreement.high']).toBe('высокая согласованность');
    expect(domainKk['stats.agreement.low']).toBe('төмен келісімділік');
    expect(domainEn['stats.W']).toBe("Kendall's coefficient of concordance W");
  });
});

describe('outlying experts', () => {
  it('flags an expert who reverses the consensus', () => {
    // Experts 0–2 rank 1…5, expert 3 the reverse. For expert 3 the others' mean ranks are 1…5: ρ = −1.
    // For expert 0 the others' means are 7/3, 8/3, 3, 10/3, 11/3 — increasing: ρ = 1.
    // W: R = 8, 10, 12, 14, 16; S = 40; W = 480 / (16·120) = 0.25 (low).
    const r = outlyingExperts([
      [1, 2, 3, 4, 5],
      [1, 2, 3, 4, 5],
      [1, 2, 3, 4, 5],
      [5, 4, 3, 2, 1],
    ]);
    expect(r.map((e) => e.expert)).toEqual([3, 0, 1, 2]);
    expect(r[0]).toEqual({ expert: 3, rho: -1, flagged: true });
    for (const e of r.slice(1)) {
      expect(e.rho).toBeCloseTo(1, 14);
      expect(e.flagged).toBe(false);
    }
  });

  it('flags the lowest expert when W is not high, even above the threshold', () => {
    // Siegel: W = 0.656 (medium). For C the consensus is the mean of A and B:
    // 3, 6.5, 6.5, 1.5, 2.5, 4.5, 3.5, 8 → ρ(C) = 0.4551 (scipy spearmanr), above 0.3 but lowest.
    const r = outlyingExperts(SIEGEL);
    expect(r.map((e) => e.expert)).toEqual([2, 0, 1]);
    expectRelative(r[0]!.rho, 0.45509797952703834, 1e-12);
    expectRelative(r[1]!.rho, 0.6383372009823073, 1e-12);
    expect(r.map((e) => e.flagged)).toEqual([true, false, false]);
    // a threshold above every ρ flags them all
    expect(outlyingExperts(SIEGEL, { threshold: 0.9 }).every((e) => e.flagged)).toBe(true);
  });

  it('flags no one when W is high and every ρ clears the threshold', () => {
    // W = 0.8222 (high); ρ = 0.667, 0.8, 0.872
    const r = outlyingExperts([
      [1, 2, 3, 4, 5],
      [2, 1, 3, 4, 5],
      [1, 2, 5, 3, 4],
    ]);
    expect(agreementBand(kendallW([[1, 2, 3, 4, 5], [2, 1, 3, 4, 5], [1, 2, 5, 3, 4]]).W)).toBe('high');
    expect(r.map((e) => e.expert)).toEqual([2, 1, 0]);
    expect(r.some((e) => e.flagged)).toBe(false);
  });

  it('flags no one by the lowest rule when the lowest ρ is shared', () => {
    // W = 0.7 exactly (medium); ρ = 0.6, 0.6, 0.6, 0.872: three share the lowest
    const scores = [
      [1, 2, 3, 4, 5],
      [2, 1, 4, 3, 5],
      [1, 3, 2, 5, 4],
      [3, 1, 2, 5, 4],
    ];
    expect(kendallW(scores).W).toBeCloseTo(0.7, 14);
    const r = outlyingExperts(scores);
    expect(r.map((e) => e.expert)).toEqual([1, 2, 3, 0]);
    expect(r.some((e) => e.flagged)).toBe(false);
  });

  it('puts an expert who did not discriminate first, flagged', () => {
    const r = outlyingExperts([
      [1, 2, 3, 4],
      [1, 2, 4, 3],
      [2, 2, 2, 2],
    ]);
    expect(r[0]!.expert).toBe(2);
    expect(r[0]!.rho).toBeNaN();
    expect(r[0]!.flagged).toBe(true);
    expect(() => outlyingExperts([[1, 2, 3]])).toThrow(RangeError);
  });
});
