import type { ErrorBody } from '../protocol/errors.js';
import type { ExpertRef, InterviewAnswer, InterviewCounts } from './types.js';

/** Socket.IO events of the interview's answers (the guide, themes and settings are `command`s). */
export const INTERVIEW_EVENTS = {
  /** c→s `InterviewAnswerRequest`, ack `InterviewAnswerAck`: an expert's own answer, or the interviewer's record for an expert. */
  answer: 'interview.answer',
  /** c→s `InterviewTagRequest` (facilitators), ack `InterviewAnswerAck`: the themes an answer carries. */
  tag: 'interview.tag',
  /** c→s `{}`, ack `InterviewListAck`: by role — every answer, one's own, or the projector's counts. */
  list: 'interview.list',
  /** s→c (the expert's tabs): `InterviewChange` of their own answer, whoever recorded it. */
  mine: 'interview.mine',
  /** s→c (facilitators): `InterviewChange` after any answer or tag changed. */
  recorded: 'interview.recorded',
  /** s→c (facilitators, projector): `InterviewCounts` after a change while the summary is shown. */
  summary: 'interview.summary',
} as const;

export interface InterviewAnswerRequest {
  rid: string;
  questionId: string;
  /** Null withdraws the answer. */
  text: string | null;
  /** The interviewer names whose answer it is; an expert answers for themself and sends none. */
  expert?: ExpertRef;
}

export interface InterviewTagRequest {
  rid: string;
  questionId: string;
  /** The expert's key, as `InterviewAnswer.expert` has it. */
  expert: string;
  themes: string[];
}

/** An answer after a change: as stored, or null once withdrawn. */
export interface InterviewChange {
  questionId: string;
  expert: string;
  answer: InterviewAnswer | null;
}

export type InterviewAnswerAck = ({ ok: true } & InterviewChange) | { ok: false; error: ErrorBody };

export type InterviewListAck =
  | { ok: true; role: 'facilitator'; answers: InterviewAnswer[] }
  | { ok: true; role: 'participant'; answers: InterviewAnswer[] }
  /** The projector: the counts while the summary is shown, else null. */
  | { ok: true; role: 'screen'; counts: InterviewCounts | null }
  | { ok: false; error: ErrorBody };
