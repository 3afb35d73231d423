import { interviewOf } from '../interview/guide.js';
import { expertLabel, summarizeInterview, type SummaryQuote } from '../interview/summary.js';
import type { InterviewAnswer } from '../interview/types.js';
import type { SessionState } from '../model/types.js';

/** A quoted answer: its text, who said it (a name, or "Expert N") and the number of its question. */
export interface MinutesQuote {
  text: string;
  expert: string;
  question: number;
}

/**
 * The structured expert interview as the minutes record it: the guide, the summary
 * table (questions × themes), the quotes per theme and who left which question
 * unanswered. Experts are named only when the facilitator set the interview so;
 * otherwise they are "Expert 1, 2…", numbered by their first answer.
 */
export interface MinutesInterview {
  named: boolean;
  experts: number;
  /** Answers the interviewer recorded for an expert (in the room or interviewed elsewhere). */
  byInterviewer: number;
  questions: { number: number; text: string; followUps: string[] }[];
  themes: string[];
  /** Per question, in the guide's order: experts who answered, and per theme (in the themes' order) how many carry it. */
  rows: { number: number; text: string; answered: number; counts: number[] }[];
  /** Per theme: answers carrying it over every question. */
  totals: number[];
  /** Per theme, its quotes; themes nobody raised are left out. */
  quotes: { theme: string; items: MinutesQuote[] }[];
  /** Answers not coded with any theme. */
  untagged: MinutesQuote[];
  /** Questions some expert did not answer, with those experts. */
  missing: { number: number; experts: string[] }[];
}

/** The interview section's content; null when the session's interview has no question. */
export function interviewMinutes(state: SessionState, answers: InterviewAnswer[]): MinutesInterview | null {
  const interview = interviewOf(state);
  if (interview.questions.length === 0) return null;
  const summary = summarizeInterview(interview, answers);
  const label = new Map(summary.experts.map((e) => [e.key, expertLabel(e, interview.named, state.locale)]));
  const number = new Map(interview.questions.map((q, i) => [q.id, i + 1]));
  const quoteOf = (questionId: string) => (q: SummaryQuote): MinutesQuote => ({ text: q.text, expert: label.get(q.expert) ?? '', question: number.get(questionId)! });
  const kept = answers.filter((a) => number.has(a.questionId));
  return {
    named: interview.named,
    experts: summary.experts.length,
    byInterviewer: kept.filter((a) => a.by === 'interviewer').length,
    questions: interview.questions.map((q, i) => ({ number: i + 1, text: q.text, followUps: q.followUps })),
    themes: interview.themes.map((t) => t.label),
    rows: summary.rows.map((r, i) => ({
      number: i + 1,
      text: interview.questions[i]!.text,
      answered: r.answered,
      counts: interview.themes.map((t) => r.counts[t.id] ?? 0),
    })),
    totals: summary.themes.map((t) => t.total),
    quotes: interview.themes
      .map((t) => ({ theme: t.label, items: summary.rows.flatMap((r) => (r.quotes[t.id] ?? []).map(quoteOf(r.questionId))) }))
      .filter((q) => q.items.length > 0),
    untagged: summary.rows.flatMap((r) => r.untagged.map(quoteOf(r.questionId))),
    missing: summary.rows
      .map((r, i) => ({ number: i + 1, experts: r.missing.map((k) => label.get(k) ?? '') }))
      .filter((m) => m.experts.length > 0),
  };
}
