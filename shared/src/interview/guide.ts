import type { ErrorCode } from '../protocol/errors.js';
import { INTERVIEW_LIMITS, type InterviewGuide, type InterviewQuestion, type InterviewState, type InterviewTheme } from './types.js';

/** A question as the facilitator writes it: an `id` keeps an existing question (and its answers), none makes a new one. */
export interface QuestionDraft {
  id?: string;
  text: string;
  followUps?: string[];
}

/** A theme as the facilitator writes it: an `id` keeps an existing theme (and its tags). */
export interface ThemeDraft {
  id?: string;
  label: string;
}

/** A session's interview before anything was set: no guide, no themes, closed, anonymous, not on the projector. */
export function emptyInterview(): InterviewState {
  return { questions: [], themes: [], open: false, named: false, shown: false, serial: 0 };
}

/** The session's interview, empty when it never had one (sessions made before interviews existed). */
export function interviewOf(state: { interview?: InterviewState }): InterviewState {
  return state.interview ?? emptyInterview();
}

type Edited<T> = { ok: true; interview: InterviewState; items: T[] } | { ok: false; error: ErrorCode };

/**
 * Replace the guide with `drafts`, in their order: texts trimmed, blank follow-ups
 * dropped, new questions numbered past every id ever used. Refused with
 * `unknown_question` when a draft names an id the guide does not have (or names one
 * twice), `bad_guide` when the result breaks a limit (see {@link guideProblem}).
 */
export function editGuide(current: InterviewState, drafts: QuestionDraft[]): Edited<InterviewQuestion> {
  return edit(current, drafts, current.questions, 'q', (d, id) => ({
    id,
    text: d.text.trim(),
    followUps: (d.followUps ?? []).map((f) => f.trim()).filter((f) => f !== ''),
  }), (questions) => guideProblem(questions), (interview, questions) => ({ ...interview, questions }));
}

/** Replace the themes with `drafts`, as {@link editGuide} does the guide (`unknown_theme`, `bad_themes`). */
export function editThemes(current: InterviewState, drafts: ThemeDraft[]): Edited<InterviewTheme> {
  return edit(current, drafts, current.themes, 't', (d, id) => ({ id, label: d.label.trim() }), (themes) => themesProblem(themes), (interview, themes) => ({
    ...interview,
    themes,
  }));
}

function edit<D extends { id?: string }, T extends { id: string }>(
  current: InterviewState,
  drafts: D[],
  existing: T[],
  prefix: 'q' | 't',
  make: (draft: D, id: string) => T,
  problem: (items: T[]) => ErrorCode | null,
  put: (interview: InterviewState, items: T[]) => InterviewState,
): Edited<T> {
  const known = new Set(existing.map((x) => x.id));
  const taken = new Set<string>();
  let serial = current.serial;
  const items: T[] = [];
  for (const d of drafts) {
    if (d.id !== undefined && (!known.has(d.id) || taken.has(d.id))) return { ok: false, error: prefix === 'q' ? 'unknown_question' : 'unknown_theme' };
    const id = d.id ?? `${prefix}${++serial}`;
    taken.add(id);
    items.push(make(d, id));
  }
  const refused = problem(items);
  if (refused) return { ok: false, error: refused };
  return { ok: true, items, interview: put({ ...current, serial }, items) };
}

const ID = /^[A-Za-z0-9_-]{1,40}$/;
const fits = (text: string, max: number) => text.trim() === text && text.length >= 1 && text.length <= max;
const uniqueIds = (items: { id: string }[]) => new Set(items.map((x) => x.id)).size === items.length && items.every((x) => ID.test(x.id));

/**
 * `bad_guide` unless the guide has at most 30 questions with unique ids, each a text of
 * 1–500 characters (trimmed) and at most 10 follow-up prompts of 1–300; else null.
 */
export function guideProblem(questions: InterviewQuestion[]): 'bad_guide' | null {
  const L = INTERVIEW_LIMITS;
  if (questions.length > L.questions || !uniqueIds(questions)) return 'bad_guide';
  for (const q of questions) {
    if (!fits(q.text, L.question) || q.followUps.length > L.followUps) return 'bad_guide';
    if (!q.followUps.every((f) => fits(f, L.followUp))) return 'bad_guide';
  }
  return null;
}

/** `bad_themes` unless there are at most 30 themes with unique ids and labels of 1–100 characters, no label twice (whatever the case); else null. */
export function themesProblem(themes: InterviewTheme[]): 'bad_themes' | null {
  if (themes.length > INTERVIEW_LIMITS.themes || !uniqueIds(themes)) return 'bad_themes';
  if (!themes.every((t) => fits(t.label, INTERVIEW_LIMITS.theme))) return 'bad_themes';
  const labels = new Set(themes.map((t) => t.label.toLocaleLowerCase()));
  return labels.size === themes.length ? null : 'bad_themes';
}

/** The interview a template carries, as a session starts with it: closed, not shown, ids counted on from the highest. */
export function interviewFromGuide(guide: InterviewGuide): InterviewState {
  const numbers = [...guide.questions, ...guide.themes].map((x) => Number(/^[qt](\d+)$/.exec(x.id)?.[1] ?? 0));
  return {
    ...emptyInterview(),
    questions: guide.questions.map((q) => ({ id: q.id, text: q.text, followUps: [...q.followUps] })),
    themes: guide.themes.map((t) => ({ ...t })),
    named: guide.named,
    serial: Math.max(0, ...numbers),
  };
}

/** What a template keeps of a session's interview; null when it has neither questions nor themes. */
export function guideOf(interview: InterviewState | undefined): InterviewGuide | null {
  if (!interview || interview.questions.length + interview.themes.length === 0) return null;
  return {
    questions: interview.questions.map((q) => ({ id: q.id, text: q.text, followUps: [...q.followUps] })),
    themes: interview.themes.map((t) => ({ ...t })),
    named: interview.named,
  };
}
