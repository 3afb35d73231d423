import type Database from 'better-sqlite3';
import type { DiaryEntry, DiaryKind } from '@kenes/shared';

/** The reflection diary's rows; each entry belongs to one teacher of one session. */
export interface DiaryStore {
  entries(sessionId: string, participantId: string): Promise<DiaryEntry[]>;
  entry(sessionId: string, participantId: string, id: string): Promise<DiaryEntry | null>;
  count(sessionId: string, participantId: string): Promise<number>;
  /** Shared entries of a session, with their authors' ids, oldest first. */
  shared(sessionId: string): Promise<(DiaryEntry & { participantId: string })[]>;
  /** Insert or replace an entry and record the request's reply, in one transaction. */
  put(sessionId: string, participantId: string, e: DiaryEntry, rid: string, reply: unknown): Promise<void>;
  /** Delete an entry and record the request's reply, in one transaction. */
  remove(sessionId: string, participantId: string, id: string, rid: string, reply: unknown): Promise<void>;
  /** The stored reply of an earlier request with this id (undefined: none), for an idempotent retry. */
  reply(sessionId: string, participantId: string, rid: string): Promise<unknown>;
}

export interface DiaryRow {
  participant_id: string;
  id: string;
  kind: string;
  text: string;
  shared: number;
  created_at: number;
  updated_at: number;
}

export const toEntry = (r: DiaryRow): DiaryEntry => ({
  id: r.id,
  kind: r.kind as DiaryKind,
  text: r.text,
  shared: r.shared === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Request ids live in the shared `requests` table under their own actor name. */
export const diaryActor = (participantId: string) => `diary:${participantId}`;

export class SQLiteDiary implements DiaryStore {
  private readonly q;
  private readonly putTx;
  private readonly removeTx;

  constructor(db: Database.Database) {
    const cols = 'participant_id, id, kind, text, shared, created_at, updated_at';
    this.q = {
      entries: db.prepare(`SELECT ${cols} FROM diary_entries WHERE session_id = ? AND participant_id = ? ORDER BY created_at, id`),
      entry: db.prepare(`SELECT ${cols} FROM diary_entries WHERE session_id = ? AND participant_id = ? AND id = ?`),
      count: db.prepare('SELECT COUNT(*) FROM diary_entries WHERE session_id = ? AND participant_id = ?').pluck(),
      shared: db.prepare(`SELECT ${cols} FROM diary_entries WHERE session_id = ? AND shared = 1 ORDER BY created_at, id`),
      put: db.prepare(
        'INSERT OR REPLACE INTO diary_entries (session_id, participant_id, id, kind, text, shared, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      remove: db.prepare('DELETE FROM diary_entries WHERE session_id = ? AND participant_id = ? AND id = ?'),
      reply: db.prepare('SELECT response FROM requests WHERE session_id = ? AND actor = ? AND rid = ?').pluck(),
      putReply: db.prepare('INSERT OR REPLACE INTO requests (session_id, actor, rid, response) VALUES (?, ?, ?, ?)'),
    };
    const q = this.q;
    this.putTx = db.transaction((sid: string, pid: string, e: DiaryEntry, rid: string, reply: unknown) => {
      q.put.run(sid, pid, e.id, e.kind, e.text, e.shared ? 1 : 0, e.createdAt, e.updatedAt);
      q.putReply.run(sid, diaryActor(pid), rid, JSON.stringify(reply));
    });
    this.removeTx = db.transaction((sid: string, pid: string, id: string, rid: string, reply: unknown) => {
      q.remove.run(sid, pid, id);
      q.putReply.run(sid, diaryActor(pid), rid, JSON.stringify(reply));
    });
  }

  async entries(sessionId: string, participantId: string): Promise<DiaryEntry[]> {
    return (this.q.entries.all(sessionId, participantId) as DiaryRow[]).map(toEntry);
  }
  async entry(sessionId: string, participantId: string, id: string): Promise<DiaryEntry | null> {
    const r = this.q.entry.get(sessionId, participantId, id) as DiaryRow | undefined;
    return r ? toEntry(r) : null;
  }
  async count(sessionId: string, participantId: string): Promise<number> {
    return this.q.count.get(sessionId, participantId) as number;
  }
  async shared(sessionId: string): Promise<(DiaryEntry & { participantId: string })[]> {
    return (this.q.shared.all(sessionId) as DiaryRow[]).map((r) => ({ ...toEntry(r), participantId: r.participant_id }));
  }
  async put(sessionId: string, participantId: string, e: DiaryEntry, rid: string, reply: unknown): Promise<void> {
    this.putTx(sessionId, participantId, e, rid, reply);
  }
  async remove(sessionId: string, participantId: string, id: string, rid: string, reply: unknown): Promise<void> {
    this.removeTx(sessionId, participantId, id, rid, reply);
  }
  async reply(sessionId: string, participantId: string, rid: string): Promise<unknown> {
    const raw = this.q.reply.get(sessionId, diaryActor(participantId), rid) as string | undefined;
    return raw === undefined ? undefined : JSON.parse(raw);
  }
}
