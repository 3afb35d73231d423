import { translate } from '../i18n/index.js';
import type { Locale } from '../model/types.js';
import type { InterviewAnswer, InterviewCounts, InterviewState } from './types.js';

/** An expert as the summary lists them: numbered in the order they first answered. */
export interface SummaryExpert {
  key: string;
  /** 1-based: "Expert 1" answered first. */
  number: number;
  name: string;
  participantId: string | null;
}

/** An answer quoted under a theme (or among the untagged ones). */
export interface SummaryQuote {
  expert: string;
  text: string;
}

/** One question of the guide across the experts. */
export interface SummaryRow {
  questionId: string;
  /** Experts who answered it. */
  answered: number;
  /** Theme id → experts whose answer carries the theme (every theme present, 0 included). */
  counts: Record<string, number>;
  /** Theme id → the answers carrying it, in the experts' order. */
  quotes: Record<string, SummaryQuote[]>;
  /** Answers with no theme yet. */
  untagged: SummaryQuote[];
  /** Keys of the experts who gave no answer to it, in the experts' order. */
  missing: string[];
}

export interface SummaryTheme {
  themeId: string;
  /** Answers carrying the theme, over every question (the sum of its counts). */
  total: number;
  /** Distinct experts with at least one answer carrying it. */
  experts: number;
}

/** The interview's summary table: questions × themes, with the quotes behind each count. */
export interface InterviewSummary {
  experts: SummaryExpert[];
  /** In the guide's order. */
  rows: SummaryRow[];
  /** In the themes' order. */
  themes: SummaryTheme[];
}

/**
 * The summary of an interview from its answers. Only what the interview still has
 * counts: answers to a question no longer in the guide are left out (an expert whose
 * only answers they were is not listed), tags of a removed theme are ignored. Experts
 * are numbered by their first answer, then by key, so the numbering is stable.
 */
export function summarizeInterview(interview: InterviewState, answers: InterviewAnswer[]): InterviewSummary {
  const questions = new Set(interview.questions.map((q) => q.id));
  const themeIds = interview.themes.map((t) => t.id);
  const kept = answers.filter((a) => questions.has(a.questionId));

  const first = new Map<string, InterviewAnswer>();
  for (const a of kept) {
    const seen = first.get(a.expert);
    if (!seen || a.createdAt < seen.createdAt) first.set(a.expert, a);
  }
  const experts: SummaryExpert[] = [...first.values()]
    .sort((a, b) => a.createdAt - b.createdAt || (a.expert < b.expert ? -1 : a.expert > b.expert ? 1 : 0))
    .map((a, i) => ({ key: a.expert, number: i + 1, name: latestName(kept, a.expert), participantId: a.participantId }));
  const order = new Map(experts.map((e) => [e.key, e.number]));
  const byExpert = (a: InterviewAnswer, b: InterviewAnswer) => order.get(a.expert)! - order.get(b.expert)!;

  const rows = interview.questions.map((q): SummaryRow => {
    const mine = kept.filter((a) => a.questionId === q.id).sort(byExpert);
    const counts: Record<string, number> = {};
    const quotes: Record<string, SummaryQuote[]> = {};
    for (const id of themeIds) {
      const tagged = mine.filter((a) => a.themes.includes(id));
      counts[id] = tagged.length;
      quotes[id] = tagged.map(quote);
    }
    const answeredBy = new Set(mine.map((a) => a.expert));
    return {
      questionId: q.id,
      answered: mine.length,
      counts,
      quotes,
      untagged: mine.filter((a) => !a.themes.some((id) => themeIds.includes(id))).map(quote),
      missing: experts.filter((e) => !answeredBy.has(e.key)).map((e) => e.key),
    };
  });

  const themes = themeIds.map((themeId): SummaryTheme => {
    const carrying = kept.filter((a) => a.themes.includes(themeId));
    return { themeId, total: carrying.length, experts: new Set(carrying.map((a) => a.expert)).size };
  });
  return { experts, rows, themes };
}

const quote = (a: InterviewAnswer): SummaryQuote => ({ expert: a.expert, text: a.text });

/** The expert's name on their most recently changed answer (a teacher may have been renamed meanwhile). */
function latestName(answers: InterviewAnswer[], expert: string): string {
  let best: InterviewAnswer | undefined;
  for (const a of answers) if (a.expert === expert && (!best || a.updatedAt > best.updatedAt)) best = a;
  return best?.name ?? '';
}

/** What the projector may show of a summary: the counts, without a name or a quote. */
export function countsOf(summary: InterviewSummary): InterviewCounts {
  return {
    experts: summary.experts.length,
    rows: summary.rows.map((r) => ({ questionId: r.questionId, answered: r.answered, counts: { ...r.counts } })),
    totals: Object.fromEntries(summary.themes.map((t) => [t.themeId, t.total])),
  };
}

/** How the minutes and the console name an expert: by name when the interview is named, else "Expert N" in the language. */
export function expertLabel(expert: Pick<SummaryExpert, 'number' | 'name'>, named: boolean, locale: Locale): string {
  return named && expert.name ? expert.name : translate(locale, 'interview.expert', { n: expert.number });
}
