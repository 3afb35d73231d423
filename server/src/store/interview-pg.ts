import type { Pool, PoolClient } from 'pg';
import type { InterviewAnswer } from '@kenes/shared';
import { INTERVIEW_COLUMNS, INTERVIEW_UPSERT, interviewValues, toInterviewAnswer, type InterviewRow, type InterviewStore, type InterviewWrite } from './interview.js';

/** The expert interview's answers in PostgreSQL: the same rows and request records as `SQLiteInterview`. */
export class PostgresInterview implements InterviewStore {
  constructor(
    private readonly pool: Pool,
    private readonly tx: <T>(fn: (c: PoolClient) => Promise<T>) => Promise<T>,
  ) {}

  private async rows(where: string, args: unknown[]): Promise<InterviewAnswer[]> {
    const { rows } = await this.pool.query<InterviewRow>(`SELECT ${INTERVIEW_COLUMNS} FROM interview_answers WHERE session_id = $1${where}`, args);
    return rows.map(toInterviewAnswer);
  }

  answers(sessionId: string): Promise<InterviewAnswer[]> {
    return this.rows(' ORDER BY question_id COLLATE "C", expert COLLATE "C"', [sessionId]);
  }

  answersOf(sessionId: string, expert: string): Promise<InterviewAnswer[]> {
    return this.rows(' AND expert = $2 ORDER BY question_id COLLATE "C"', [sessionId, expert]);
  }

  async answer(sessionId: string, questionId: string, expert: string): Promise<InterviewAnswer | null> {
    return (await this.rows(' AND question_id = $2 AND expert = $3', [sessionId, questionId, expert]))[0] ?? null;
  }

  async experts(sessionId: string, expert: string): Promise<{ known: boolean; count: number }> {
    const { rows } = await this.pool.query<{ known: boolean; count: number }>(
      `SELECT bool_or(expert = $2) IS TRUE AS known, COUNT(DISTINCT expert)::int AS count FROM interview_answers WHERE session_id = $1`,
      [sessionId, expert],
    );
    return rows[0] ?? { known: false, count: 0 };
  }

  async put(w: InterviewWrite): Promise<void> {
    await this.tx(async (q) => {
      if (w.answer) {
        const slots = Array.from({ length: 10 }, (_, i) => `$${i + 1}`).join(', ');
        await q.query(
          `INSERT INTO interview_answers (session_id, ${INTERVIEW_COLUMNS}) VALUES (${slots}) ${INTERVIEW_UPSERT}`,
          [w.sessionId, ...interviewValues(w.answer)],
        );
      } else {
        await q.query('DELETE FROM interview_answers WHERE session_id = $1 AND question_id = $2 AND expert = $3', [w.sessionId, w.questionId, w.expert]);
      }
      await q.query(
        `INSERT INTO requests (session_id, actor, rid, response) VALUES ($1, $2, $3, $4)
         ON CONFLICT (session_id, actor, rid) DO UPDATE SET response = excluded.response`,
        [w.sessionId, w.request.actor, w.request.rid, w.request.response],
      );
    });
  }
}
