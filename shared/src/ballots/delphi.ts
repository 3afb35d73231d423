import type { AnswerRecord, BallotAnswer, BallotDef, BallotResults, RatingResults } from './types.js';

/**
 * Delphi: anonymous rounds of the same `rating` questions (one question per option).
 * Between rounds each expert sees their own previous grade beside the group median
 * and IQR, and the anonymised comments; the facilitator sees per question whether
 * the consensus rule holds and whether the answers are stable between rounds.
 */
export const DELPHI_RULES = ['iqr', 'topTwo'] as const;
export type DelphiRule = (typeof DELPHI_RULES)[number];

export interface DelphiSettings {
  /**
   * - `iqr`: consensus when IQR ≤ `threshold` (default 1, meant for a 5-point scale);
   * - `topTwo`: consensus when the share of grades in the scale's top two points ≥ `threshold` (default 0.75).
   */
  rule: DelphiRule;
  threshold?: number;
  /** 1–10: `ballot.round` is refused once this many rounds have run (`delphi_max_rounds`). */
  maxRounds: number;
  /** Epoch ms: the server closes the open round at this moment. */
  deadline?: number;
}

/** Longest comment (reason for revision) per question. */
export const DELPHI_COMMENT_MAX = 500;
/**
 * Stability between rounds (per question): the median moved by at most 0.5 and the
 * IQR by at most 0.5 (grades on the ballot's scale). Chosen over "share of experts
 * who changed" because it needs only the two rounds' tallies, never linked answers
 * (anonymous ballots keep no link between an expert's rounds in the tally).
 */
export const DELPHI_STABLE_DELTA = 0.5;

export const defaultThreshold = (rule: DelphiRule): number => (rule === 'iqr' ? 1 : 0.75);

/** Checks a Delphi setting: null when usable, else `bad_ballot`. */
export function checkDelphi(d: DelphiSettings): 'bad_ballot' | null {
  if (!DELPHI_RULES.includes(d.rule)) return 'bad_ballot';
  if (!Number.isInteger(d.maxRounds) || d.maxRounds < 1 || d.maxRounds > 10) return 'bad_ballot';
  if (d.threshold !== undefined && (!Number.isFinite(d.threshold) || d.threshold < 0 || (d.rule === 'topTwo' && d.threshold > 1))) return 'bad_ballot';
  if (d.deadline !== undefined && (!Number.isInteger(d.deadline) || d.deadline <= 0)) return 'bad_ballot';
  return null;
}

type Row = RatingResults['options'][number];

/** Whether one question (a row of a rating tally) holds the consensus rule; false with no grades. */
export function questionConsensus(d: DelphiSettings, row: Row): boolean {
  if (row.n === 0) return false;
  const t = d.threshold ?? defaultThreshold(d.rule);
  if (d.rule === 'iqr') return row.iqr !== null && row.iqr <= t + 1e-9;
  const top = row.counts.slice(-2).reduce((a, b) => a + b, 0);
  return top / row.n >= t - 1e-9;
}

/** Whether one question is stable between two rounds' rows (see {@link DELPHI_STABLE_DELTA}); null without a previous row. */
export function questionStable(prev: Row | undefined, cur: Row): boolean | null {
  if (!prev || prev.median === null || cur.median === null || prev.iqr === null || cur.iqr === null) return null;
  return Math.abs(prev.median - cur.median) <= DELPHI_STABLE_DELTA && Math.abs(prev.iqr - cur.iqr) <= DELPHI_STABLE_DELTA;
}

export interface DelphiQuestionStatus {
  optionId: string;
  median: number | null;
  iqr: number | null;
  consensus: boolean;
  /** null in round 1 or without grades in either round. */
  stable: boolean | null;
}

/** Per question of a Delphi ballot: consensus and stability of `results` against `previous`. */
export function delphiStatus(def: BallotDef, results: BallotResults | null, previous: BallotResults | null = def.previous): DelphiQuestionStatus[] {
  const d = def.delphi;
  if (!d || !results || results.kind !== 'rating') return [];
  const before = new Map(previous?.kind === 'rating' ? previous.options.map((o) => [o.optionId, o]) : []);
  return def.options.flatMap((o) => {
    const row = results.options.find((r) => r.optionId === o.id);
    if (!row) return [];
    return [{ optionId: o.id, median: row.median, iqr: row.iqr, consensus: questionConsensus(d, row), stable: questionStable(before.get(o.id), row) }];
  });
}

/** Every question holds the consensus rule (false with no questions or no results). */
export function delphiConsensusReached(def: BallotDef, results: BallotResults | null): boolean {
  const st = delphiStatus(def, results);
  return st.length === def.options.length && st.length > 0 && st.every((q) => q.consensus);
}

/** Why `ballot.round` must not start another round of a Delphi ballot, or null. */
export function delphiRoundProblem(def: BallotDef, results: BallotResults | null): 'delphi_max_rounds' | 'delphi_consensus' | null {
  if (!def.delphi) return null;
  if (def.round >= def.delphi.maxRounds) return 'delphi_max_rounds';
  if (delphiConsensusReached(def, results)) return 'delphi_consensus';
  return null;
}

export interface DelphiFeedbackRow {
  optionId: string;
  label: string;
  /** This expert's grade in the previous round, or null. */
  mine: number | null;
  median: number | null;
  iqr: number | null;
  /** Anonymised comments of the previous round on this question. */
  comments: string[];
}

/** What an expert sees between rounds: per question their previous grade beside the group median and IQR. */
export function delphiFeedback(def: BallotDef, previousResults: BallotResults | null, myPreviousAnswer: BallotAnswer | null): DelphiFeedbackRow[] {
  const rows = new Map(previousResults?.kind === 'rating' ? previousResults.options.map((o) => [o.optionId, o]) : []);
  const mine = myPreviousAnswer?.kind === 'rating' ? myPreviousAnswer.ratings : {};
  const comments = previousResults?.kind === 'rating' ? (previousResults.comments ?? {}) : {};
  return def.options.map((o) => {
    const r = rows.get(o.id);
    return {
      optionId: o.id,
      label: o.label,
      mine: Object.hasOwn(mine, o.id) ? mine[o.id]! : null,
      median: r?.median ?? null,
      iqr: r?.iqr ?? null,
      comments: comments[o.id] ?? [],
    };
  });
}

/**
 * The anonymised comments of a round by question: trimmed, non-empty, sorted (so
 * their order says nothing about who wrote them).
 */
export function delphiComments(def: BallotDef, records: readonly AnswerRecord[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const { answer } of records) {
    if (answer.kind !== 'rating' || !answer.comments) continue;
    for (const [id, text] of Object.entries(answer.comments)) {
      const t = text.trim();
      if (t) (out[id] ??= []).push(t);
    }
  }
  for (const o of def.options) out[o.id]?.sort();
  return out;
}
