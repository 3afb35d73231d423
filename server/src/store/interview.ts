import type Database from 'better-sqlite3';
import type { InterviewAnswer, RecordedBy } from '@kenes/shared';
import type { RequestRecord } from './store.js';

/** One answer written or withdrawn (`answer: null`), with its request record. */
export interface InterviewWrite {
  sessionId: string;
  questionId: string;
  expert: string;
  answer: InterviewAnswer | null;
  request: RequestRecord;
}

/** The expert interview's answers; each belongs to one expert and one question of a session. */
export interface InterviewStore {
  /** Every answer of a session, in key order. */
  answers(sessionId: string): Promise<InterviewAnswer[]>;
  /** One expert's answers. */
  answersOf(sessionId: string, expert: string): Promise<InterviewAnswer[]>;
  answer(sessionId: string, questionId: string, expert: string): Promise<InterviewAnswer | null>;
  /** Whether the expert has any answer, and how many experts have one. */
  experts(sessionId: string, expert: string): Promise<{ known: boolean; count: number }>;
  /** Upsert (or delete) one answer and record the request's reply, in one transaction. */
  put(w: InterviewWrite): Promise<void>;
}

export interface InterviewRow {
  question_id: string;
  expert: string;
  participant_id: string | null;
  name: string;
  text: string;
  themes: string;
  recorded_by: string;
  created_at: number;
  updated_at: number;
}

/** What an upsert of an answer changes when the row exists (both engines). */
export const INTERVIEW_UPSERT = `ON CONFLICT (session_id, question_id, expert) DO UPDATE SET
  participant_id = excluded.participant_id, name = excluded.name, text = excluded.text, themes = excluded.themes,
  recorded_by = excluded.recorded_by, created_at = excluded.created_at, updated_at = excluded.updated_at`;

export const INTERVIEW_COLUMNS = 'question_id, expert, participant_id, name, text, themes, recorded_by, created_at, updated_at';

export const toInterviewAnswer = (r: InterviewRow): InterviewAnswer => ({
  questionId: r.question_id,
  expert: r.expert,
  participantId: r.participant_id,
  name: r.name,
  text: r.text,
  themes: JSON.parse(r.themes) as string[],
  by: r.recorded_by as RecordedBy,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** The values of an answer's row after its session id, in `INTERVIEW_COLUMNS` order. */
export const interviewValues = (a: InterviewAnswer): unknown[] => [
  a.questionId,
  a.expert,
  a.participantId,
  a.name,
  a.text,
  JSON.stringify(a.themes),
  a.by,
  a.createdAt,
  a.updatedAt,
];

export class SQLiteInterview implements InterviewStore {
  private readonly q;
  private readonly putTx;

  constructor(db: Database.Database) {
    const from = `SELECT ${INTERVIEW_COLUMNS} FROM interview_answers WHERE session_id = ?`;
    this.q = {
      all: db.prepare(`${from} ORDER BY question_id, expert`),
      of: db.prepare(`${from} AND expert = ? ORDER BY question_id`),
      one: db.prepare(`${from} AND question_id = ? AND expert = ?`),
      known: db.prepare('SELECT EXISTS (SELECT 1 FROM interview_answers WHERE session_id = ? AND expert = ?)').pluck(),
      count: db.prepare('SELECT COUNT(DISTINCT expert) FROM interview_answers WHERE session_id = ?').pluck(),
      upsert: db.prepare(
        `INSERT INTO interview_answers (session_id, ${INTERVIEW_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ${INTERVIEW_UPSERT}`,
      ),
      remove: db.prepare('DELETE FROM interview_answers WHERE session_id = ? AND question_id = ? AND expert = ?'),
      putRequest: db.prepare('INSERT OR REPLACE INTO requests (session_id, actor, rid, response) VALUES (?, ?, ?, ?)'),
    };
    const q = this.q;
    this.putTx = db.transaction((w: InterviewWrite) => {
      if (w.answer) q.upsert.run(w.sessionId, ...interviewValues(w.answer));
      else q.remove.run(w.sessionId, w.questionId, w.expert);
      q.putRequest.run(w.sessionId, w.request.actor, w.request.rid, w.request.response);
    });
  }

  async answers(sessionId: string): Promise<InterviewAnswer[]> {
    return (this.q.all.all(sessionId) as InterviewRow[]).map(toInterviewAnswer);
  }
  async answersOf(sessionId: string, expert: string): Promise<InterviewAnswer[]> {
    return (this.q.of.all(sessionId, expert) as InterviewRow[]).map(toInterviewAnswer);
  }
  async answer(sessionId: string, questionId: string, expert: string): Promise<InterviewAnswer | null> {
    const row = this.q.one.get(sessionId, questionId, expert) as InterviewRow | undefined;
    return row ? toInterviewAnswer(row) : null;
  }
  async experts(sessionId: string, expert: string): Promise<{ known: boolean; count: number }> {
    return { known: this.q.known.get(sessionId, expert) === 1, count: this.q.count.get(sessionId) as number };
  }
  async put(w: InterviewWrite): Promise<void> {
    this.putTx.immediate(w);
  }
}
