import type { SessionState } from '../model/types.js';
import type { CommandResult } from '../flow/reduce.js';
import { editGuide, editThemes, interviewOf, type QuestionDraft, type ThemeDraft } from './guide.js';

/** The facilitator's commands over the interview's guide, themes and settings (`SessionState.interview`). */
export type InterviewCommand =
  /** Replace the guide: questions in order; an `id` keeps a question and its answers. */
  | { type: 'interview.guide'; questions: QuestionDraft[] }
  /** Replace the themes the answers are coded with; an `id` keeps a theme and its tags. */
  | { type: 'interview.themes'; themes: ThemeDraft[] }
  /** `open`: experts may answer from their screens; `named`: the minutes name experts; `shown`: the summary on the projector. */
  | { type: 'interview.settings'; open?: boolean; named?: boolean; shown?: boolean };

export const INTERVIEW_COMMANDS: ReadonlySet<string> = new Set<InterviewCommand['type']>(['interview.guide', 'interview.themes', 'interview.settings']);

export function isInterviewCommand(cmd: { type: string }): cmd is InterviewCommand {
  return INTERVIEW_COMMANDS.has(cmd.type);
}

/**
 * Apply an interview command (facilitators only; `applyCommand` checks the role). Pure.
 * Editing the guide or the themes never touches the answers: a removed question's
 * answers and a removed theme's tags simply stop counting (ids are never reused).
 */
export function reduceInterview(s: SessionState, cmd: InterviewCommand): CommandResult {
  const current = interviewOf(s);
  switch (cmd.type) {
    case 'interview.guide': {
      const edited = editGuide(current, cmd.questions);
      return edited.ok ? { ok: true, state: { ...s, interview: edited.interview } } : edited;
    }
    case 'interview.themes': {
      const edited = editThemes(current, cmd.themes);
      return edited.ok ? { ok: true, state: { ...s, interview: edited.interview } } : edited;
    }
    case 'interview.settings':
      return {
        ok: true,
        state: {
          ...s,
          interview: { ...current, open: cmd.open ?? current.open, named: cmd.named ?? current.named, shown: cmd.shown ?? current.shown },
        },
      };
  }
}
