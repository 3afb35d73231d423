import { randomBytes } from 'node:crypto';
import pg, { type Pool, type PoolClient, type QueryResultRow } from 'pg';
import { normalizeState, type Allocation, type BallotAnswer, type DiaryEntry, type Participant, type SavedTemplate, type SessionState } from '@kenes/shared';
import { diaryActor, toEntry, type DiaryRow, type DiaryStore } from './diary.js';
import { PostgresInterview } from './interview-pg.js';
import type { InterviewStore } from './interview.js';
import { migratePostgres } from './pg-migrations.js';
import { PostgresWorkspaces } from './workspace-pg.js';
import type { WorkspaceStore } from './workspace.js';
import { PostgresProjects } from './projects-pg.js';
import type { ProjectStore } from './projects.js';
import { allocationsDigest, answersDigest, type TallyRead } from './tallied.js';
import {
  RoundClosed,
  VersionConflict,
  type AnswerWrite,
  type BallotWrite,
  type Commit,
  type Fold,
  type RequestRecord,
  type SessionImport,
  type Store,
  type StoredAnswer,
  type StoredDoc,
  type TemplateDeletion,
} from './store.js';
import { docRange, SESSION_TABLES, type Row, type SessionDump } from './tables.js';

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database` */
  url: string;
  /** Connections held at most. */
  poolSize: number;
}

/** Something that runs a query: the pool, or one client inside a transaction. */
type Queryable = Pick<Pool, 'query'> | PoolClient;

const INT8 = 20;
/** BIGINT columns hold millisecond times and log ids, far below 2^53: read them as numbers. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

interface ParticipantRow {
  id: string;
  name: string;
  group_id: string | null;
  joined_at: number;
}

interface TemplateRow {
  id: string;
  body: string;
  created_at: number;
}

const toTemplate = (r: TemplateRow): SavedTemplate => ({ id: r.id, createdAt: r.created_at, template: JSON.parse(r.body) as SavedTemplate['template'] });

const toParticipant = (r: ParticipantRow): Participant => ({ id: r.id, name: r.name, groupId: r.group_id, joinedAt: r.joined_at });

/** Columns stored in another type than the portable text (`tables.ts`). */
const JSONB_COLUMNS = new Set(['sessions.state']);
const ROWS_PER_INSERT = 500;

/**
 * The store for several nodes: one PostgreSQL database through a connection pool, with
 * the same tables and transactions as the SQLite store.
 */
export class PostgresStore implements Store {
  readonly diary: DiaryStore;
  readonly interview: InterviewStore;
  readonly workspaces: WorkspaceStore;
  readonly projects: ProjectStore;

  private constructor(private readonly pool: Pool) {
    this.diary = new PostgresDiary(pool, (fn) => this.tx(fn));
    this.interview = new PostgresInterview(pool, (fn) => this.tx(fn));
    this.workspaces = new PostgresWorkspaces(pool, (fn, begin) => this.tx(fn, begin));
    this.projects = new PostgresProjects(pool, (fn, begin) => this.tx(fn, begin));
  }

  /** Connect, and bring the schema up to date (under an advisory lock). */
  static async open(opts: PostgresStoreOptions): Promise<PostgresStore> {
    const pool = new pg.Pool({ connectionString: opts.url, max: opts.poolSize, types });
    // A connection dropped while idle (database restarted) is replaced on the next query; never crash for it.
    pool.on('error', (err) => console.error(`PostgreSQL: ${err.message}`));
    try {
      await migratePostgres(pool);
    } catch (err) {
      await pool.end();
      throw err;
    }
    return new PostgresStore(pool);
  }

  /** Run `fn` in one transaction; rolled back on any error. */
  private async tx<T>(fn: (c: PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query(begin);
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch((e: Error) => (broken = e));
      throw err;
    } finally {
      // A client that could not even roll back is discarded, not handed to the next caller.
      client.release(broken);
    }
  }

  private async one<T extends QueryResultRow>(q: Queryable, sql: string, args: unknown[]): Promise<T | undefined> {
    return (await q.query<T>(sql, args)).rows[0];
  }

  async createSession(state: SessionState, facilitatorTokenHash: string): Promise<void> {
    await this.tx(async (c) => {
      await c.query('INSERT INTO sessions (id, code, state, version, created_at) VALUES ($1, $2, $3::jsonb, $4, $5)', [
        state.id,
        state.code,
        JSON.stringify(state),
        state.version,
        state.createdAt,
      ]);
      await c.query('INSERT INTO facilitator_tokens (session_id, token_hash, created_at) VALUES ($1, $2, $3)', [state.id, facilitatorTokenHash, state.createdAt]);
    });
  }

  async sessionIdByCode(code: string): Promise<string | null> {
    return (await this.one<{ id: string }>(this.pool, 'SELECT id FROM sessions WHERE code = $1', [code]))?.id ?? null;
  }

  async loadState(sessionId: string): Promise<SessionState | null> {
    const row = await this.one<{ state: SessionState }>(this.pool, 'SELECT state FROM sessions WHERE id = $1', [sessionId]);
    return row ? normalizeState(row.state) : null;
  }

  async version(sessionId: string): Promise<number | null> {
    return (await this.one<{ version: number }>(this.pool, 'SELECT version FROM sessions WHERE id = $1', [sessionId]))?.version ?? null;
  }

  async sessionsWithDeadlines(): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>(`SELECT id FROM sessions WHERE jsonb_path_exists(state, '$.ballots[*].delphi.deadline')`);
    return rows.map((r) => r.id);
  }

  async commit(c: Commit): Promise<void> {
    await this.tx(async (q) => {
      if (c.state) {
        const args: unknown[] = [JSON.stringify(c.state), c.state.version, c.sessionId];
        const guard = c.expectedVersion !== undefined ? ' AND version = $4' : '';
        if (guard) args.push(c.expectedVersion);
        const { rowCount } = await q.query(`UPDATE sessions SET state = $1::jsonb, version = $2 WHERE id = $3${guard}`, args);
        if (guard && rowCount !== 1) throw new VersionConflict(c.sessionId, c.expectedVersion!);
      }
      // The update above holds the session row: answers, which take it FOR SHARE, wait, and
      // those that took it first have committed, so what is read here is every answer there is.
      for (const t of c.tallied ?? []) {
        if ((await this.digest(q, c.sessionId, t)) !== t.digest) throw new VersionConflict(c.sessionId, c.expectedVersion ?? -1, 'answers');
      }
      // Dissolved groups first: a placement in the same commit wins over the dissolve.
      if (c.dissolved?.length) {
        await q.query('UPDATE participants SET group_id = NULL WHERE session_id = $1 AND group_id = ANY($2::text[])', [c.sessionId, c.dissolved]);
      }
      if (c.assign?.length) {
        await q.query(
          `UPDATE participants p SET group_id = a.gid FROM unnest($2::text[], $3::text[]) AS a(pid, gid)
           WHERE p.session_id = $1 AND p.id = a.pid`,
          [c.sessionId, c.assign.map(([pid]) => pid), c.assign.map(([, gid]) => gid)],
        );
      }
      if (c.request) await this.putRequest(q, c.sessionId, c.request);
      if (c.deleteBallots?.length) {
        await q.query('DELETE FROM ballot_answers WHERE session_id = $1 AND ballot_id = ANY($2::text[])', [c.sessionId, c.deleteBallots]);
      }
    });
  }

  /** The fingerprint of a round's stored answers (or dot ballots), as `TallyRead.digest` has it. */
  private async digest(q: Queryable, sessionId: string, t: TallyRead): Promise<string> {
    if (t.ballotId === null) return allocationsDigest(await this.ballotsOf(q, sessionId, t.round));
    return answersDigest(await this.answersOf(q, sessionId, t.ballotId, t.round));
  }

  /**
   * In a writing transaction: take the session row FOR SHARE and check that the stored
   * state still takes answers to this round. A commit changing the state waits for the
   * share to end, and the check waits for a commit in progress, so an answer is either
   * in before a close (and in its tally) or refused after it.
   */
  private async stillOpen(q: Queryable, sessionId: string, ballotId: string | null, round: number): Promise<void> {
    const row =
      ballotId === null
        ? await this.one<{ open: boolean }>(
            q,
            `SELECT state->'vote'->>'status' = 'open' AND (state->'vote'->>'round')::int = $2 AS open FROM sessions WHERE id = $1 FOR SHARE`,
            [sessionId, round],
          )
        : await this.one<{ open: boolean }>(
            q,
            `SELECT jsonb_path_exists(state, '$.ballots[*] ? (@.id == $id && @.status == "open" && @.round == $round)',
               jsonb_build_object('id', $2::text, 'round', $3::int)) AS open
             FROM sessions WHERE id = $1 FOR SHARE`,
            [sessionId, ballotId, round],
          );
    if (!row?.open) throw new RoundClosed(sessionId, ballotId, round);
  }

  private async putRequest(q: Queryable, sessionId: string, r: RequestRecord): Promise<void> {
    await q.query(
      `INSERT INTO requests (session_id, actor, rid, response) VALUES ($1, $2, $3, $4)
       ON CONFLICT (session_id, actor, rid) DO UPDATE SET response = excluded.response`,
      [sessionId, r.actor, r.rid, r.response],
    );
  }

  async findRequest(sessionId: string, actor: string, rid: string): Promise<string | null> {
    const row = await this.one<{ response: string }>(this.pool, 'SELECT response FROM requests WHERE session_id = $1 AND actor = $2 AND rid = $3', [
      sessionId,
      actor,
      rid,
    ]);
    return row?.response ?? null;
  }

  async addFacilitatorToken(sessionId: string, tokenHash: string): Promise<void> {
    await this.pool.query('INSERT INTO facilitator_tokens (session_id, token_hash, created_at) VALUES ($1, $2, $3)', [sessionId, tokenHash, Date.now()]);
  }

  async isFacilitator(sessionId: string, tokenHash: string): Promise<boolean> {
    return (await this.one(this.pool, 'SELECT 1 FROM facilitator_tokens WHERE session_id = $1 AND token_hash = $2', [sessionId, tokenHash])) !== undefined;
  }

  async addParticipant(sessionId: string, p: Participant, tokenHash: string): Promise<void> {
    await this.pool.query('INSERT INTO participants (id, session_id, name, group_id, token_hash, joined_at) VALUES ($1, $2, $3, $4, $5, $6)', [
      p.id,
      sessionId,
      p.name,
      p.groupId,
      tokenHash,
      p.joinedAt,
    ]);
  }

  async participantByToken(sessionId: string, tokenHash: string): Promise<Participant | null> {
    const row = await this.one<ParticipantRow>(
      this.pool,
      'SELECT id, name, group_id, joined_at FROM participants WHERE session_id = $1 AND token_hash = $2',
      [sessionId, tokenHash],
    );
    return row ? toParticipant(row) : null;
  }

  async participants(sessionId: string): Promise<Participant[]> {
    const { rows } = await this.pool.query<ParticipantRow>(
      'SELECT id, name, group_id, joined_at FROM participants WHERE session_id = $1 ORDER BY joined_at, id',
      [sessionId],
    );
    return rows.map(toParticipant);
  }

  async participantCount(sessionId: string): Promise<number> {
    return (await this.one<{ n: number }>(this.pool, 'SELECT COUNT(*) AS n FROM participants WHERE session_id = $1', [sessionId]))!.n;
  }

  async putBallot(b: BallotWrite): Promise<void> {
    await this.tx(async (q) => {
      await this.stillOpen(q, b.sessionId, null, b.round);
      await q.query(
        `INSERT INTO ballots (session_id, round, participant_id, allocation, updated_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (session_id, round, participant_id) DO UPDATE SET allocation = excluded.allocation, updated_at = excluded.updated_at`,
        [b.sessionId, b.round, b.participantId, JSON.stringify(b.allocation), Date.now()],
      );
      await this.putRequest(q, b.sessionId, b.request);
    });
  }

  ballots(sessionId: string, round: number): Promise<Allocation[]> {
    return this.ballotsOf(this.pool, sessionId, round);
  }

  private async ballotsOf(q: Queryable, sessionId: string, round: number): Promise<Allocation[]> {
    const { rows } = await q.query<{ allocation: string }>('SELECT allocation FROM ballots WHERE session_id = $1 AND round = $2', [sessionId, round]);
    return rows.map((r) => JSON.parse(r.allocation) as Allocation);
  }

  async ballot(sessionId: string, round: number, participantId: string): Promise<Allocation | null> {
    const row = await this.one<{ allocation: string }>(
      this.pool,
      'SELECT allocation FROM ballots WHERE session_id = $1 AND round = $2 AND participant_id = $3',
      [sessionId, round, participantId],
    );
    return row ? (JSON.parse(row.allocation) as Allocation) : null;
  }

  async ballotCount(sessionId: string, round: number): Promise<number> {
    const row = await this.one<{ n: number }>(
      this.pool,
      `SELECT COUNT(*) AS n FROM ballots WHERE session_id = $1 AND round = $2 AND allocation <> '{}'`,
      [sessionId, round],
    );
    return row!.n;
  }

  async putAnswer(w: AnswerWrite): Promise<void> {
    await this.tx(async (q) => {
      await this.stillOpen(q, w.sessionId, w.ballotId, w.round);
      if (w.answer) {
        await q.query(
          `INSERT INTO ballot_answers (session_id, ballot_id, round, voter, participant_id, answer, request_id, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (session_id, ballot_id, round, voter) DO UPDATE SET
             answer = excluded.answer, request_id = excluded.request_id, updated_at = excluded.updated_at`,
          [w.sessionId, w.ballotId, w.round, w.voter, w.participantId, JSON.stringify(w.answer), w.request.rid, w.at],
        );
      } else {
        await q.query('DELETE FROM ballot_answers WHERE session_id = $1 AND ballot_id = $2 AND round = $3 AND voter = $4', [
          w.sessionId,
          w.ballotId,
          w.round,
          w.voter,
        ]);
      }
      await this.putRequest(q, w.sessionId, w.request);
    });
  }

  answers(sessionId: string, ballotId: string, round: number): Promise<StoredAnswer[]> {
    return this.answersOf(this.pool, sessionId, ballotId, round);
  }

  private async answersOf(q: Queryable, sessionId: string, ballotId: string, round: number): Promise<StoredAnswer[]> {
    const { rows } = await q.query<{ voter: string; participant_id: string | null; answer: string }>(
      'SELECT voter, participant_id, answer FROM ballot_answers WHERE session_id = $1 AND ballot_id = $2 AND round = $3 ORDER BY voter',
      [sessionId, ballotId, round],
    );
    return rows.map((r) => ({ voter: r.voter, participantId: r.participant_id, answer: JSON.parse(r.answer) as BallotAnswer }));
  }

  async answerCount(sessionId: string, ballotId: string, round: number): Promise<number> {
    const row = await this.one<{ n: number }>(
      this.pool,
      'SELECT COUNT(*) AS n FROM ballot_answers WHERE session_id = $1 AND ballot_id = $2 AND round = $3',
      [sessionId, ballotId, round],
    );
    return row!.n;
  }

  async ballotSecret(sessionId: string): Promise<Buffer> {
    const found = await this.one<{ secret: Buffer }>(this.pool, 'SELECT secret FROM ballot_secrets WHERE session_id = $1', [sessionId]);
    if (found) return found.secret;
    // Two nodes may race to create it: the first insert wins and both read the same key.
    await this.pool.query('INSERT INTO ballot_secrets (session_id, secret) VALUES ($1, $2) ON CONFLICT (session_id) DO NOTHING', [sessionId, randomBytes(32)]);
    return (await this.one<{ secret: Buffer }>(this.pool, 'SELECT secret FROM ballot_secrets WHERE session_id = $1', [sessionId]))!.secret;
  }

  async appendUpdate(docName: string, update: Uint8Array): Promise<number> {
    const row = await this.one<{ id: number }>(this.pool, 'INSERT INTO yjs_updates (doc, data) VALUES ($1, $2) RETURNING id', [
      docName,
      Buffer.from(update.buffer, update.byteOffset, update.byteLength),
    ]);
    return row!.id;
  }

  async loadDoc(docName: string): Promise<StoredDoc> {
    // One statement, so a fold committed meanwhile cannot hide updates between the snapshot and the log.
    // The whole log, not the ids past some mark: a lower id may commit after a higher one.
    const { rows } = await this.pool.query<{ kind: number; id: number; data: Buffer }>(
      `SELECT 0 AS kind, upto AS id, data FROM yjs_snapshots WHERE doc = $1
       UNION ALL
       SELECT 1, id, data FROM yjs_updates WHERE doc = $1
       ORDER BY kind, id`,
      [docName],
    );
    const snap = rows[0]?.kind === 0 ? rows[0] : undefined;
    const updates = snap ? rows.slice(1) : rows;
    return {
      snapshot: snap ? new Uint8Array(snap.data) : null,
      updates: updates.map((r) => new Uint8Array(r.data)),
      ids: updates.map((r) => r.id),
      stamp: snap ? snap.id : null,
    };
  }

  async compactDoc(docName: string, snapshot: Uint8Array, fold: Fold): Promise<number | null> {
    return this.tx(async (q) => {
      // Only on the snapshot the fold was computed on: a concurrent fold waits for this
      // row and then finds another stamp, so exactly one of two lands.
      const data = Buffer.from(snapshot);
      const { rowCount } =
        fold.stamp === null
          ? await q.query('INSERT INTO yjs_snapshots (doc, data, upto) VALUES ($1, $2, 1) ON CONFLICT (doc) DO NOTHING', [docName, data])
          : await q.query('UPDATE yjs_snapshots SET data = $2, upto = upto + 1 WHERE doc = $1 AND upto = $3', [docName, data, fold.stamp]);
      if (rowCount !== 1) return null;
      // Exactly the folded ids: an update logged meanwhile (even under a lower id) stays.
      if (fold.ids.length) await q.query('DELETE FROM yjs_updates WHERE doc = $1 AND id = ANY($2::bigint[])', [docName, fold.ids]);
      return fold.stamp === null ? 1 : fold.stamp + 1;
    });
  }

  async saveTemplate(t: SavedTemplate, ownerHash: string | null): Promise<void> {
    await this.pool.query('INSERT INTO templates (id, name, body, created_at, owner_hash) VALUES ($1, $2, $3, $4, $5)', [
      t.id,
      t.template.name,
      JSON.stringify(t.template),
      t.createdAt,
      ownerHash,
    ]);
  }

  async template(id: string): Promise<SavedTemplate | null> {
    const row = await this.one<TemplateRow>(this.pool, 'SELECT id, body, created_at FROM templates WHERE id = $1', [id]);
    return row ? toTemplate(row) : null;
  }

  async templates(): Promise<SavedTemplate[]> {
    const { rows } = await this.pool.query<TemplateRow>('SELECT id, body, created_at FROM templates ORDER BY created_at DESC, id');
    return rows.map(toTemplate);
  }

  async templateCount(): Promise<number> {
    return (await this.one<{ n: number }>(this.pool, 'SELECT COUNT(*) AS n FROM templates', []))!.n;
  }

  async templateOwner(id: string): Promise<string | null> {
    return (await this.one<{ owner_hash: string | null }>(this.pool, 'SELECT owner_hash FROM templates WHERE id = $1', [id]))?.owner_hash ?? null;
  }

  async deleteTemplate(id: string, ownerHash: string): Promise<TemplateDeletion> {
    // The owner check is part of the DELETE (NULL never equals a hash); the read after it
    // only tells a refusal from a template that is gone, so it needs no transaction.
    const { rowCount } = await this.pool.query('DELETE FROM templates WHERE id = $1 AND owner_hash = $2', [id, ownerHash]);
    if (rowCount === 1) return 'deleted';
    return (await this.one(this.pool, 'SELECT 1 FROM templates WHERE id = $1', [id])) ? 'forbidden' : 'missing';
  }

  async importSession(s: SessionImport): Promise<void> {
    await this.tx(async (q) => {
      const { state } = s;
      await q.query('INSERT INTO sessions (id, code, state, version, created_at) VALUES ($1, $2, $3::jsonb, $4, $5)', [
        state.id,
        state.code,
        JSON.stringify(state),
        state.version,
        state.createdAt,
      ]);
      await q.query('INSERT INTO facilitator_tokens (session_id, token_hash, created_at) VALUES ($1, $2, $3)', [state.id, s.facilitatorTokenHash, Date.now()]);
      const people = s.participants.map(({ participant: p, tokenHash }) => ({ id: p.id, session_id: state.id, name: p.name, group_id: p.groupId, token_hash: tokenHash, joined_at: p.joinedAt }));
      for (let i = 0; i < people.length; i += ROWS_PER_INSERT) {
        await this.insertRows(q, 'participants', ['id', 'session_id', 'name', 'group_id', 'token_hash', 'joined_at'], people.slice(i, i + ROWS_PER_INSERT));
      }
      for (const d of s.docs) {
        await q.query('INSERT INTO yjs_snapshots (doc, data, upto) VALUES ($1, $2, 0)', [d.name, Buffer.from(d.snapshot)]);
      }
    });
  }

  async sessionIds(): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>('SELECT id FROM sessions ORDER BY created_at, id');
    return rows.map((r) => r.id);
  }

  async dumpSession(sessionId: string): Promise<SessionDump | null> {
    return this.tx(async (q) => {
      if (!(await this.one(q, 'SELECT 1 FROM sessions WHERE id = $1', [sessionId]))) return null;
      const tables: Record<string, Row[]> = {};
      for (const t of SESSION_TABLES) {
        const cols = t.columns.map((c) => (JSONB_COLUMNS.has(`${t.name}.${c}`) ? `${c}::text AS ${c}` : c)).join(', ');
        const where = t.scope === 'id' ? 'id = $1' : t.scope === 'session' ? 'session_id = $1' : 'doc >= $1 AND doc < $2';
        const args = t.scope === 'doc' ? docRange(sessionId) : [sessionId];
        const { rows } = await q.query<Row>(`SELECT ${cols} FROM ${t.name} WHERE ${where} ORDER BY ${t.orderBy}`, args);
        tables[t.name] = t.name === 'yjs_snapshots' ? rows.map((r) => ({ ...r, upto: 0 })) : rows;
      }
      return { sessionId, tables };
    }, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  }

  async restoreSession(dump: SessionDump): Promise<boolean> {
    return this.tx(async (q) => {
      if (await this.one(q, 'SELECT 1 FROM sessions WHERE id = $1', [dump.sessionId])) return false;
      for (const t of SESSION_TABLES) {
        const rows = dump.tables[t.name] ?? [];
        for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) await this.insertRows(q, t.name, t.columns, rows.slice(i, i + ROWS_PER_INSERT));
      }
      return true;
    });
  }

  private async insertRows(q: Queryable, table: string, columns: string[], rows: Row[]): Promise<void> {
    if (rows.length === 0) return;
    const args: unknown[] = [];
    const tuples = rows.map((row) => {
      const slots = columns.map((c) => {
        args.push(row[c] ?? null);
        return JSONB_COLUMNS.has(`${table}.${c}`) ? `$${args.length}::jsonb` : `$${args.length}`;
      });
      return `(${slots.join(', ')})`;
    });
    await q.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, args);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** The reflection diary in PostgreSQL: the same rows and request records as `SQLiteDiary`. */
class PostgresDiary implements DiaryStore {
  private static readonly COLS = 'participant_id, id, kind, text, shared, created_at, updated_at';

  constructor(
    private readonly pool: Pool,
    private readonly tx: <T>(fn: (c: PoolClient) => Promise<T>) => Promise<T>,
  ) {}

  async entries(sessionId: string, participantId: string): Promise<DiaryEntry[]> {
    const { rows } = await this.pool.query<DiaryRow>(
      `SELECT ${PostgresDiary.COLS} FROM diary_entries WHERE session_id = $1 AND participant_id = $2 ORDER BY created_at, id`,
      [sessionId, participantId],
    );
    return rows.map(toEntry);
  }

  async entry(sessionId: string, participantId: string, id: string): Promise<DiaryEntry | null> {
    const { rows } = await this.pool.query<DiaryRow>(
      `SELECT ${PostgresDiary.COLS} FROM diary_entries WHERE session_id = $1 AND participant_id = $2 AND id = $3`,
      [sessionId, participantId, id],
    );
    return rows[0] ? toEntry(rows[0]) : null;
  }

  async count(sessionId: string, participantId: string): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>('SELECT COUNT(*) AS n FROM diary_entries WHERE session_id = $1 AND participant_id = $2', [
      sessionId,
      participantId,
    ]);
    return rows[0]!.n;
  }

  async shared(sessionId: string): Promise<(DiaryEntry & { participantId: string })[]> {
    const { rows } = await this.pool.query<DiaryRow>(
      `SELECT ${PostgresDiary.COLS} FROM diary_entries WHERE session_id = $1 AND shared = 1 ORDER BY created_at, id`,
      [sessionId],
    );
    return rows.map((r) => ({ ...toEntry(r), participantId: r.participant_id }));
  }

  async put(sessionId: string, participantId: string, e: DiaryEntry, rid: string, reply: unknown): Promise<void> {
    await this.tx(async (q) => {
      await q.query(
        `INSERT INTO diary_entries (session_id, participant_id, id, kind, text, shared, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (session_id, participant_id, id) DO UPDATE SET
           kind = excluded.kind, text = excluded.text, shared = excluded.shared,
           created_at = excluded.created_at, updated_at = excluded.updated_at`,
        [sessionId, participantId, e.id, e.kind, e.text, e.shared ? 1 : 0, e.createdAt, e.updatedAt],
      );
      await this.putReply(q, sessionId, participantId, rid, reply);
    });
  }

  async remove(sessionId: string, participantId: string, id: string, rid: string, reply: unknown): Promise<void> {
    await this.tx(async (q) => {
      await q.query('DELETE FROM diary_entries WHERE session_id = $1 AND participant_id = $2 AND id = $3', [sessionId, participantId, id]);
      await this.putReply(q, sessionId, participantId, rid, reply);
    });
  }

  async reply(sessionId: string, participantId: string, rid: string): Promise<unknown> {
    const { rows } = await this.pool.query<{ response: string }>('SELECT response FROM requests WHERE session_id = $1 AND actor = $2 AND rid = $3', [
      sessionId,
      diaryActor(participantId),
      rid,
    ]);
    return rows[0] ? JSON.parse(rows[0].response) : undefined;
  }

  private async putReply(q: PoolClient, sessionId: string, participantId: string, rid: string, reply: unknown): Promise<void> {
    await q.query(
      `INSERT INTO requests (session_id, actor, rid, response) VALUES ($1, $2, $3, $4)
       ON CONFLICT (session_id, actor, rid) DO UPDATE SET response = excluded.response`,
      [sessionId, diaryActor(participantId), rid, JSON.stringify(reply)],
    );
  }
}
