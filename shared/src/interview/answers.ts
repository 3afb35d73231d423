import type { ErrorCode } from '../protocol/errors.js';
import { INTERVIEW_LIMITS, type ExpertRef, type InterviewAnswer, type InterviewState, type RecordedBy } from './types.js';

/** A name as typed, on one line: runs of white space become one space. */
export const cleanName = (name: string): string => name.replace(/\s+/g, ' ').trim();

/**
 * The key an expert's answers are stored under: `p:<participantId>` for a teacher of the
 * session, `n:<name>` (lower-cased, spaces collapsed) for an expert only named — so
 * recording "Aigul Bekova" again, whatever the case, adds to the same expert's answers.
 */
export function expertKey(ref: ExpertRef): string {
  return 'participantId' in ref ? `p:${ref.participantId}` : `n:${cleanName(ref.name).toLocaleLowerCase()}`;
}

/** The teacher behind an expert key, or null for an expert only named. */
export function participantOfKey(key: string): string | null {
  return key.startsWith('p:') ? key.slice(2) : null;
}

/** `bad_expert` for a named expert without a name (or with one over 60 characters); else null. */
export function expertProblem(ref: ExpertRef): 'bad_expert' | null {
  if ('participantId' in ref) return null;
  const name = cleanName(ref.name);
  return name.length >= 1 && name.length <= INTERVIEW_LIMITS.name ? null : 'bad_expert';
}

/**
 * Why an answer to `questionId` is refused now, or null: `unknown_question`;
 * `interview_closed` when an expert answers while the interview is not open (the
 * interviewer may record at any time); for a text (null withdraws the answer)
 * `empty_answer` when blank, `answer_too_long` past 5,000 characters (trimmed).
 */
export function recordProblem(interview: InterviewState, questionId: string, text: string | null, by: RecordedBy): ErrorCode | null {
  if (!interview.questions.some((q) => q.id === questionId)) return 'unknown_question';
  if (by === 'expert' && !interview.open) return 'interview_closed';
  if (text === null) return null;
  const trimmed = text.trim();
  if (trimmed === '') return 'empty_answer';
  return trimmed.length > INTERVIEW_LIMITS.answer ? 'answer_too_long' : null;
}

/** `unknown_theme` when a tag names a theme the interview does not have; else null. */
export function tagsProblem(interview: InterviewState, themes: string[]): 'unknown_theme' | null {
  const known = new Set(interview.themes.map((t) => t.id));
  return themes.every((id) => known.has(id)) ? null : 'unknown_theme';
}

/** Tags as stored: each theme once, in the themes' order. Call on tags {@link tagsProblem} accepted. */
export function normalizeTags(interview: InterviewState, themes: string[]): string[] {
  const chosen = new Set(themes);
  return interview.themes.filter((t) => chosen.has(t.id)).map((t) => t.id);
}

/** Answers with each teacher under their name in the roster now; an expert only named keeps the name given. */
export function withRosterNames(answers: InterviewAnswer[], nameOf: (participantId: string) => string | undefined): InterviewAnswer[] {
  return answers.map((a) => (a.participantId ? { ...a, name: nameOf(a.participantId) ?? a.name } : a));
}
