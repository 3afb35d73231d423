import type { AgreementBand, ConsistencyBand } from '../stats/interpret.js';
import type { DelphiSettings } from './delphi.js';
import type { NgtTurns } from './ngt.js';

/**
 * The general ballot engine: every vote and every expert instrument a workshop
 * needs, beside the case method's own dot vote over the groups' solutions
 * (`SessionState.vote`), which stays as it is.
 */

export const BALLOT_KINDS = ['single', 'multiple', 'dots', 'ranking', 'rating', 'matrix', 'majority', 'text'] as const;
/**
 * - `single`: one option.
 * - `multiple`: approval — any options, at most `maxChoices`.
 * - `dots`: `dots` dots per person, at most `maxPerOption` on one option.
 * - `ranking`: a full ranking, best first; tallied by Borda count and by rank sums.
 * - `rating`: a grade on `scale` for any of the options.
 * - `matrix`: a grade on `scale` for every object (option) × criterion; criteria carry weights.
 * - `majority`: majority judgement — a grade on `scale` for every option.
 * - `text`: an open answer; results list the answers.
 */
export type BallotKind = (typeof BALLOT_KINDS)[number];

export const BALLOT_PRIVACY = ['anonymous', 'named', 'facilitator'] as const;
/**
 * - `anonymous`: answers are never linked to a name — not in the database (the voter is
 *   stored only as a keyed hash), not for the facilitator, not in exports.
 * - `named`: open; once revealed anyone in the session may list who answered what.
 * - `facilitator`: named to the facilitator only.
 */
export type BallotPrivacy = (typeof BALLOT_PRIVACY)[number];

export const BALLOT_VISIBILITY = ['live', 'hidden'] as const;
/** `live`: everyone sees the tally as answers come in; `hidden`: nobody sees results until the reveal. */
export type BallotVisibility = (typeof BALLOT_VISIBILITY)[number];

export type BallotStatus = 'draft' | 'open' | 'closed' | 'revealed';

export const TIE_RULES = ['shared', 'secondary-then-shared'] as const;
/**
 * How options with the same score are placed. A tie that remains is always shown
 * (`tie` in the results, equal `rank`s).
 * - `shared`: equal primary scores share a rank.
 * - `secondary-then-shared`: equal primary scores are separated by the kind's
 *   secondary measure; options equal on both share a rank.
 *
 * | kind     | primary (higher is better)                 | secondary                                  |
 * |----------|---------------------------------------------|--------------------------------------------|
 * | single   | votes                                       | — (stays shared)                           |
 * | multiple | approvals                                   | — (stays shared)                           |
 * | dots     | dots                                        | voters who gave the option at least one dot |
 * | ranking  | Borda points (same order as rank sums)      | first places                               |
 * | rating   | mean grade                                  | median grade                               |
 * | matrix   | mean weighted score                         | median weighted score                      |
 * | majority | majority value (MJ's own tie-break always)  | mean grade                                 |
 * | text     | — (no ranking)                              | —                                          |
 */
export type TieRule = (typeof TIE_RULES)[number];

export interface BallotOption {
  id: string;
  label: string;
}

export interface BallotCriterion {
  id: string;
  label: string;
  /** > 0; weights are normalised (divided by their sum) in the weighted score. */
  weight: number;
}

export interface BallotScale {
  /** Integers, min < max; a grade is any integer in min…max, higher is better. */
  min: number;
  max: number;
  /** Optional words for each grade min…max (exactly max − min + 1 of them). */
  labels?: string[];
}

/** What the facilitator writes when creating a ballot (the rest is set by the server). */
export interface BallotSpec {
  /** Optional; the server picks `b<n>` when missing. */
  id?: string;
  kind: BallotKind;
  title: string;
  /** For `matrix` the objects being assessed; empty for `text`. */
  options: BallotOption[];
  /** `matrix` only. */
  criteria?: BallotCriterion[];
  /** `rating`, `matrix`, `majority`. */
  scale?: BallotScale;
  /** `dots`: dots per person (default ≈ options ÷ 3). */
  dots?: number;
  /** `dots`: at most this many on one option (default: all of them). */
  maxPerOption?: number;
  /** `multiple`: at most this many options (default: all). */
  maxChoices?: number;
  /** Default `anonymous`. Fixed once the ballot leaves the draft. */
  privacy?: BallotPrivacy;
  /** Default `hidden`. */
  visibility?: BallotVisibility;
  /** Default `shared`. */
  tieRule?: TieRule;
  /** `rating` only: run as a Delphi (see ./delphi.ts). */
  delphi?: DelphiSettings;
  /** `ranking` only: nominal group technique — each answer ranks the top five (5…1 points); see ./ngt.ts. */
  ngt?: boolean;
  /** `matrix` only: each expert self-rates their competence (1–10), used as the expert's weight in the objects' scores. */
  competence?: boolean;
}

/**
 * A ballot in `SessionState.ballots`: control state, broadcast to every screen. Answers never are.
 * The spec's fields, with its defaults filled in, plus what the server keeps.
 */
export interface BallotDef extends Omit<BallotSpec, 'id' | 'privacy' | 'visibility' | 'tieRule'> {
  id: string;
  privacy: BallotPrivacy;
  /** Named `visibility` (not `results`, which holds the tally). */
  visibility: BallotVisibility;
  tieRule: TieRule;
  status: BallotStatus;
  /** 1 for the first round; `ballot.round` starts the next one with the same questions. */
  round: number;
  /**
   * The tally of the current round: set at the reveal (and at the close of a live
   * ballot); null while hidden. Live results while open travel in `ballot.results`.
   */
  results: BallotResults | null;
  /** The final tally of the previous round (for Delphi-style feedback); null in round 1. */
  previous: BallotResults | null;
  /** NGT round-robin: the speaking order the server keeps and whose turn it is (`ngt.next`). */
  turns?: NgtTurns;
}

/** One teacher's answer; `kind` must match the ballot's. */
export type BallotAnswer =
  | { kind: 'single'; option: string }
  | { kind: 'multiple'; options: string[] }
  | { kind: 'dots'; dots: Record<string, number> }
  /** Every option once, best first. */
  | { kind: 'ranking'; order: string[] }
  /** option → grade; any non-empty subset of the options. */
  | { kind: 'rating'; ratings: Record<string, number>; comments?: Record<string, string> }
  /** object (option) → criterion → grade; every cell. */
  | { kind: 'matrix'; scores: Record<string, Record<string, number>>; competence?: number }
  /** option → grade; every option. */
  | { kind: 'majority'; grades: Record<string, number> }
  | { kind: 'text'; text: string };

/** An answer as the tally reads it: `voter` is an opaque, stable key (never shown). */
export interface AnswerRecord {
  voter: string;
  answer: BallotAnswer;
}

// ---------- results ----------

/** Kendall's W over experts × objects, with its interpretation and the experts furthest from the consensus. */
export interface Agreement {
  /** Experts whose answers entered W (complete answers only). */
  experts: number;
  /** null when undefined (every expert gave every object the same score). */
  W: number | null;
  chiSquare: number | null;
  df: number;
  p: number | null;
  /** `stats.agreement.<band>`; null when W is undefined. */
  band: AgreementBand | null;
  /** How many experts are flagged as far from the consensus (see `outlyingExperts`). */
  flagged: number;
  /**
   * The flagged experts, furthest from the consensus first, at most
   * `BALLOT_LIMITS.outliers` of them. `expert` is 1-based, in the order of the
   * facilitator's answer list (`ballot.answers`), which alone resolves it to a
   * name — and never for an anonymous ballot.
   */
  outliers: ExpertFlag[];
}

export interface ExpertFlag {
  expert: number;
  /** Spearman ρ with the other experts' consensus; null when undefined. */
  rho: number | null;
}

/** Spread of a set of grades, with the interpretation of V. */
export interface Spread {
  n: number;
  mean: number | null;
  median: number | null;
  q1: number | null;
  q3: number | null;
  iqr: number | null;
  /** Population standard deviation σ. */
  sd: number | null;
  /** Coefficient of variation V = σ/x̄·100 % (population σ); null when undefined. */
  V: number | null;
  /** `stats.consistency.<band>`; null when V is undefined. */
  consistency: ConsistencyBand | null;
}

interface ResultsBase {
  round: number;
  /** Teachers whose answer counts. */
  voters: number;
  tieRule: TieRule;
  /** Two or more options share first place after the tie rule. */
  tie: boolean;
}

/** Place of an option: 1 = best, equal places share a rank (1, 1, 3 …). Rows are best first. */
interface Ranked {
  optionId: string;
  rank: number;
}

export interface CountResults extends ResultsBase {
  kind: 'single' | 'multiple';
  /** `count`: votes (single) or approvals (multiple); `share`: of the voters, 0…1. */
  options: (Ranked & { count: number; share: number })[];
}

export interface DotsResults extends ResultsBase {
  kind: 'dots';
  dots: number;
  /** `share`: of all dots cast; `voters`: people who gave the option at least one dot. */
  options: (Ranked & { dots: number; share: number; voters: number })[];
}

export interface RankingResults extends ResultsBase {
  kind: 'ranking';
  /** Borda: n − 1 … 0 points per ballot (higher is better); rank sum: Σ places, 1 = best (lower is better). */
  options: (Ranked & { borda: number; rankSum: number; meanRank: number | null; firsts: number })[];
  /** Kendall's W over voters × options; null with fewer than 2 voters (and for NGT). */
  agreement: Agreement | null;
  /** NGT ballots: the split options a revote (`ballot.round`) would re-run, [] when the result is clear. `borda` holds the NGT points. */
  split?: string[];
}

export interface RatingResults extends ResultsBase {
  kind: 'rating';
  /** `counts[k]` = how many gave grade `scale.min + k`. */
  options: (Ranked & Spread & { counts: number[] })[];
  /** Kendall's W over the voters who rated every option; null with fewer than 2. */
  agreement: Agreement | null;
  /** Delphi ballots: the anonymised comments by question (sorted). */
  comments?: Record<string, string[]>;
}

export interface MatrixResults extends ResultsBase {
  kind: 'matrix';
  /**
   * Per object: the weighted score of each expert is Σ wᶜ·gradeᶜ / Σ wᶜ; `spread`
   * describes those scores over the experts (its mean is the object's score);
   * `criteria` the grades per criterion.
   */
  options: (Ranked & { score: number | null; spread: Spread; criteria: ({ criterionId: string } & Spread)[] })[];
  /** Per criterion, over every object and expert. */
  criteria: { criterionId: string; weight: number; mean: number | null }[];
  /** Kendall's W across experts over the objects' weighted scores; null with fewer than 2 experts or objects. */
  agreement: Agreement | null;
  /** Present when experts rated their competence: the objects' scores are competence-weighted means, and the experts' mean competence. */
  competence?: { weighted: true; mean: number | null };
}

export interface MajorityResults extends ResultsBase {
  kind: 'majority';
  /** `grade`: the majority grade (lower median); `counts[k]` as for rating. */
  options: (Ranked & { grade: number | null; mean: number | null; counts: number[] })[];
  /** Fleiss' κ of the grades (options as subjects); null when undefined. */
  kappa: number | null;
}

export interface TextResults extends ResultsBase {
  kind: 'text';
  /** The answers, in no meaningful order and without names. */
  answers: string[];
}

export type BallotResults =
  | CountResults
  | DotsResults
  | RankingResults
  | RatingResults
  | MatrixResults
  | MajorityResults
  | TextResults;

/** Bounds of ballots and answers. */
export const BALLOT_LIMITS = {
  ballots: 100,
  options: 50,
  criteria: 20,
  label: 500,
  title: 500,
  /** max − min of a scale. */
  scaleSpan: 100,
  scaleBound: 1000,
  maxDots: 20,
  text: 2000,
  /** Flagged experts listed in an agreement. */
  outliers: 20,
} as const;
