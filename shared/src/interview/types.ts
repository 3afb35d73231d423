/**
 * The structured expert interview: a guide of questions put to each expert in the
 * same order, their answers — typed by the expert on their own screen, or recorded by
 * the interviewer (the facilitator) for an expert in the room or one only named, e.g.
 * interviewed by phone — and themes the facilitator codes the answers with.
 *
 * The guide, the themes and the interview's settings are control state
 * (`SessionState.interview`), sent to every screen. Answers are kept apart, like
 * ballot answers: an expert receives only their own, the facilitators all of them,
 * the projector only the counts of the summary, and only while it is shown.
 */

export interface InterviewQuestion {
  /** `q<n>`, kept while the guide is edited, so answers stay with their question. */
  id: string;
  text: string;
  /** Prompts the interviewer may add when the answer stays short (`followUps` in the guide). */
  followUps: string[];
}

/** A theme (code) the facilitator tags answers with. */
export interface InterviewTheme {
  /** `t<n>`, kept while the list is edited. */
  id: string;
  label: string;
}

/** The interview as control state. */
export interface InterviewState {
  questions: InterviewQuestion[];
  themes: InterviewTheme[];
  /** Experts may answer from their own screens; the interviewer may record at any time. */
  open: boolean;
  /** The minutes quote experts by name; otherwise as "Expert 1, 2…" (the default). */
  named: boolean;
  /** The projector shows the summary table (counts only, never names or quotes). */
  shown: boolean;
  /**
   * The number the last new question or theme id took (`q<n>`, `t<n>`). Ids are never
   * reused, so the answers to a removed question never attach to a new one.
   */
  serial: number;
}

/** What a template keeps of an interview: the guide, the themes and whether experts are named. */
export interface InterviewGuide {
  questions: InterviewQuestion[];
  themes: InterviewTheme[];
  named: boolean;
}

/** Bounds of the guide, the themes and the answers. */
export const INTERVIEW_LIMITS = {
  questions: 30,
  question: 500,
  followUps: 10,
  followUp: 300,
  themes: 30,
  theme: 100,
  answer: 5000,
  /** Distinct experts (teachers and named ones) with an answer. */
  experts: 300,
  /** An expert's name, as a teacher's (`LIMITS.name`). */
  name: 60,
} as const;

/** Whom an answer is from: a teacher of the session, or an expert only named. */
export type ExpertRef = { participantId: string } | { name: string };

/** Who typed an answer in. */
export type RecordedBy = 'expert' | 'interviewer';

/**
 * One answer, as its expert and the facilitators see it. `expert` is the stable key of
 * the expert (`p:<participantId>` or `n:<name>`, see `expertKey`): one answer per
 * expert and question.
 */
export interface InterviewAnswer {
  questionId: string;
  expert: string;
  /** The teacher the answer is from; null for an expert only named. */
  participantId: string | null;
  /** The expert's name: the teacher's name in the roster, or the name the interviewer gave. */
  name: string;
  text: string;
  /** Theme ids the facilitator tagged the answer with, in the themes' order. */
  themes: string[];
  by: RecordedBy;
  /** When the answer was first recorded (orders the experts: "Expert 1" answered first). */
  createdAt: number;
  updatedAt: number;
}

/** The projector's view of the summary: how many experts' answers carry each theme, per question. No name, no quote. */
export interface InterviewCounts {
  /** Experts with at least one answer. */
  experts: number;
  rows: { questionId: string; answered: number; counts: Record<string, number> }[];
  /** Per theme: answers carrying it, over every question. */
  totals: Record<string, number>;
}
