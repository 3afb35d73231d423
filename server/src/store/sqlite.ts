import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import { normalizeState, type Allocation, type BallotAnswer, type Participant, type SavedTemplate, type SessionState } from '@kenes/shared';
import { MIGRATIONS } from './migrations.js';
import { SQLiteDiary, type DiaryStore } from './diary.js';
import { SQLiteInterview, type InterviewStore } from './interview.js';
import { SQLiteWorkspaces } from './workspace-sqlite.js';
import type { WorkspaceStore } from './workspace.js';
import { SQLiteProjects } from './projects-sqlite.js';
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

export interface SQLiteStoreOptions {
  /** Path of the database file; `:memory:` for a throwaway store. */
  file: string;
  /**
   * `normal` (default) survives a killed process, which is what WAL guarantees;
   * `full` also survives a power cut, at the price of an fsync per commit.
   */
  synchronous?: 'normal' | 'full';
}

interface ParticipantRow {
  id: string;
  name: string;
  group_id: string | null;
  joined_at: number;
}

const toParticipant = (r: ParticipantRow): Participant => ({
  id: r.id,
  name: r.name,
  groupId: r.group_id,
  joinedAt: r.joined_at,
});

/** The embedded default store: one SQLite file in WAL mode. */
export class SQLiteStore implements Store {
  private readonly db: Database.Database;
  private readonly q;
  readonly diary: DiaryStore;
  readonly interview: InterviewStore;
  readonly workspaces: WorkspaceStore;
  readonly projects: ProjectStore;

  constructor(opts: SQLiteStoreOptions) {
    if (opts.file !== ':memory:') mkdirSync(dirname(opts.file), { recursive: true });
    this.db = new Database(opts.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${opts.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    this.db.pragma('foreign_keys = ON');
    this.migrate();
    this.diary = new SQLiteDiary(this.db);
    this.interview = new SQLiteInterview(this.db);
    this.workspaces = new SQLiteWorkspaces(this.db);
    this.projects = new SQLiteProjects(this.db);
    const db = this.db;
    this.q = {
      insertSession: db.prepare('INSERT INTO sessions (id, code, state, version, created_at) VALUES (?, ?, ?, ?, ?)'),
      idByCode: db.prepare('SELECT id FROM sessions WHERE code = ?').pluck(),
      state: db.prepare('SELECT state FROM sessions WHERE id = ?').pluck(),
      version: db.prepare('SELECT version FROM sessions WHERE id = ?').pluck(),
      saveState: db.prepare('UPDATE sessions SET state = ?, version = ? WHERE id = ?'),
      saveStateAt: db.prepare('UPDATE sessions SET state = ?, version = ? WHERE id = ? AND version = ?'),
      findRequest: db.prepare('SELECT response FROM requests WHERE session_id = ? AND actor = ? AND rid = ?').pluck(),
      putRequest: db.prepare('INSERT OR REPLACE INTO requests (session_id, actor, rid, response) VALUES (?, ?, ?, ?)'),
      addFacToken: db.prepare('INSERT INTO facilitator_tokens (session_id, token_hash, created_at) VALUES (?, ?, ?)'),
      isFac: db.prepare('SELECT 1 FROM facilitator_tokens WHERE session_id = ? AND token_hash = ?').pluck(),
      addParticipant: db.prepare(
        'INSERT INTO participants (id, session_id, name, group_id, token_hash, joined_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      participantByToken: db.prepare(
        'SELECT id, name, group_id, joined_at FROM participants WHERE session_id = ? AND token_hash = ?',
      ),
      participants: db.prepare(
        'SELECT id, name, group_id, joined_at FROM participants WHERE session_id = ? ORDER BY joined_at, id',
      ),
      participantCount: db.prepare('SELECT COUNT(*) FROM participants WHERE session_id = ?').pluck(),
      setGroup: db.prepare('UPDATE participants SET group_id = ? WHERE session_id = ? AND id = ?'),
      dissolve: db.prepare('UPDATE participants SET group_id = NULL WHERE session_id = ? AND group_id = ?'),
      putBallot: db.prepare(
        `INSERT INTO ballots (session_id, round, participant_id, allocation, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (session_id, round, participant_id) DO UPDATE SET allocation = excluded.allocation, updated_at = excluded.updated_at`,
      ),
      ballots: db.prepare('SELECT allocation FROM ballots WHERE session_id = ? AND round = ?').pluck(),
      ballot: db.prepare('SELECT allocation FROM ballots WHERE session_id = ? AND round = ? AND participant_id = ?').pluck(),
      ballotCount: db.prepare(
        "SELECT COUNT(*) FROM ballots WHERE session_id = ? AND round = ? AND allocation <> '{}'",
      ).pluck(),
      putAnswer: db.prepare(
        `INSERT INTO ballot_answers (session_id, ballot_id, round, voter, participant_id, answer, request_id, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (session_id, ballot_id, round, voter) DO UPDATE SET
           answer = excluded.answer, request_id = excluded.request_id, updated_at = excluded.updated_at`,
      ),
      dropAnswer: db.prepare('DELETE FROM ballot_answers WHERE session_id = ? AND ballot_id = ? AND round = ? AND voter = ?'),
      answers: db.prepare('SELECT voter, participant_id, answer FROM ballot_answers WHERE session_id = ? AND ballot_id = ? AND round = ?'),
      answerCount: db.prepare('SELECT COUNT(*) FROM ballot_answers WHERE session_id = ? AND ballot_id = ? AND round = ?').pluck(),
      // Whether the stored state still takes answers to a round (checked in the writing transaction).
      voteOpen: db.prepare(
        `SELECT json_extract(state, '$.vote.status') = 'open' AND json_extract(state, '$.vote.round') = ? FROM sessions WHERE id = ?`,
      ).pluck(),
      ballotOpen: db.prepare(
        `SELECT EXISTS (SELECT 1 FROM sessions s, json_each(s.state, '$.ballots') b WHERE s.id = ?
           AND json_extract(b.value, '$.id') = ? AND json_extract(b.value, '$.status') = 'open' AND json_extract(b.value, '$.round') = ?)`,
      ).pluck(),
      dropBallotAnswers: db.prepare('DELETE FROM ballot_answers WHERE session_id = ? AND ballot_id = ?'),
      secret: db.prepare('SELECT secret FROM ballot_secrets WHERE session_id = ?').pluck(),
      putSecret: db.prepare('INSERT OR IGNORE INTO ballot_secrets (session_id, secret) VALUES (?, ?)'),
      appendUpdate: db.prepare('INSERT INTO yjs_updates (doc, data) VALUES (?, ?)'),
      snapshot: db.prepare('SELECT data, upto FROM yjs_snapshots WHERE doc = ?'),
      updates: db.prepare('SELECT id, data FROM yjs_updates WHERE doc = ? ORDER BY id'),
      putSnapshot: db.prepare('INSERT INTO yjs_snapshots (doc, data, upto) VALUES (?, ?, ?)'),
      // A fold lands only on the snapshot it was computed on (see `compactDoc`).
      firstSnapshot: db.prepare('INSERT INTO yjs_snapshots (doc, data, upto) VALUES (?, ?, 1) ON CONFLICT (doc) DO NOTHING'),
      nextSnapshot: db.prepare('UPDATE yjs_snapshots SET data = ?, upto = upto + 1 WHERE doc = ? AND upto = ?'),
      dropUpdate: db.prepare('DELETE FROM yjs_updates WHERE doc = ? AND id = ?'),
    };
  }

  private migrate(): void {
    // Each step takes the write lock and re-reads the version, so two processes starting
    // on one file at once (cluster mode) never run a step twice.
    const step = this.db.transaction((): boolean => {
      const v = this.db.pragma('user_version', { simple: true }) as number;
      if (v >= MIGRATIONS.length) return false;
      this.db.exec(MIGRATIONS[v]!);
      this.db.pragma(`user_version = ${v + 1}`);
      return true;
    });
    for (let more = true; more; ) more = step.immediate();
  }

  async createSession(state: SessionState, facilitatorTokenHash: string): Promise<void> {
    this.db.transaction(() => {
      this.q.insertSession.run(state.id, state.code, JSON.stringify(state), state.version, state.createdAt);
      this.q.addFacToken.run(state.id, facilitatorTokenHash, state.createdAt);
    })();
  }

  async sessionIdByCode(code: string): Promise<string | null> {
    return (this.q.idByCode.get(code) as string | undefined) ?? null;
  }

  async sessionsWithDeadlines(): Promise<string[]> {
    return this.db.prepare(`SELECT id FROM sessions WHERE state LIKE '%"deadline":%'`).pluck().all() as string[];
  }

  async loadState(sessionId: string): Promise<SessionState | null> {
    const raw = this.q.state.get(sessionId) as string | undefined;
    return raw ? normalizeState(JSON.parse(raw) as SessionState) : null;
  }

  async version(sessionId: string): Promise<number | null> {
    return (this.q.version.get(sessionId) as number | undefined) ?? null;
  }

  async commit(c: Commit): Promise<void> {
    // Immediate: the write lock is held from the start, so what is compared below cannot
    // change before the commit (another process may share the file).
    this.db.transaction(() => {
      if (c.state && c.expectedVersion !== undefined) {
        const { changes } = this.q.saveStateAt.run(JSON.stringify(c.state), c.state.version, c.sessionId, c.expectedVersion);
        if (changes !== 1) throw new VersionConflict(c.sessionId, c.expectedVersion);
      } else if (c.state) this.q.saveState.run(JSON.stringify(c.state), c.state.version, c.sessionId);
      for (const t of c.tallied ?? []) {
        if (this.digest(c.sessionId, t) !== t.digest) throw new VersionConflict(c.sessionId, c.expectedVersion ?? -1, 'answers');
      }
      const placed = new Set<string>();
      for (const [pid, gid] of c.assign ?? []) {
        this.q.setGroup.run(gid, c.sessionId, pid);
        placed.add(pid);
      }
      if (c.dissolved?.length) {
        for (const gid of c.dissolved) this.q.dissolve.run(c.sessionId, gid);
        // Re-apply placements that a dissolve may have just cleared.
        for (const [pid, gid] of c.assign ?? []) if (gid !== null) this.q.setGroup.run(gid, c.sessionId, pid);
      }
      if (c.request) this.putRequest(c.sessionId, c.request);
      for (const ballotId of c.deleteBallots ?? []) this.q.dropBallotAnswers.run(c.sessionId, ballotId);
    }).immediate();
  }

  /** The fingerprint of a round's stored answers (or dot ballots), as `TallyRead.digest` has it. */
  private digest(sessionId: string, t: TallyRead): string {
    if (t.ballotId === null) return allocationsDigest((this.q.ballots.all(sessionId, t.round) as string[]).map((s) => JSON.parse(s) as Allocation));
    const rows = this.q.answers.all(sessionId, t.ballotId, t.round) as { voter: string; answer: string }[];
    return answersDigest(rows.map((r) => ({ voter: r.voter, answer: JSON.parse(r.answer) as BallotAnswer })));
  }

  private putRequest(sessionId: string, r: RequestRecord): void {
    this.q.putRequest.run(sessionId, r.actor, r.rid, r.response);
  }

  async findRequest(sessionId: string, actor: string, rid: string): Promise<string | null> {
    return (this.q.findRequest.get(sessionId, actor, rid) as string | undefined) ?? null;
  }

  async addFacilitatorToken(sessionId: string, tokenHash: string): Promise<void> {
    this.q.addFacToken.run(sessionId, tokenHash, Date.now());
  }

  async isFacilitator(sessionId: string, tokenHash: string): Promise<boolean> {
    return this.q.isFac.get(sessionId, tokenHash) === 1;
  }

  async addParticipant(sessionId: string, p: Participant, tokenHash: string): Promise<void> {
    this.q.addParticipant.run(p.id, sessionId, p.name, p.groupId, tokenHash, p.joinedAt);
  }

  async participantByToken(sessionId: string, tokenHash: string): Promise<Participant | null> {
    const row = this.q.participantByToken.get(sessionId, tokenHash) as ParticipantRow | undefined;
    return row ? toParticipant(row) : null;
  }

  async participants(sessionId: string): Promise<Participant[]> {
    return (this.q.participants.all(sessionId) as ParticipantRow[]).map(toParticipant);
  }

  async participantCount(sessionId: string): Promise<number> {
    return this.q.participantCount.get(sessionId) as number;
  }

  async putBallot(b: BallotWrite): Promise<void> {
    this.db.transaction(() => {
      if (this.q.voteOpen.get(b.round, b.sessionId) !== 1) throw new RoundClosed(b.sessionId, null, b.round);
      this.q.putBallot.run(b.sessionId, b.round, b.participantId, JSON.stringify(b.allocation), Date.now());
      this.putRequest(b.sessionId, b.request);
    }).immediate();
  }

  async ballots(sessionId: string, round: number): Promise<Allocation[]> {
    return (this.q.ballots.all(sessionId, round) as string[]).map((s) => JSON.parse(s) as Allocation);
  }

  async ballot(sessionId: string, round: number, participantId: string): Promise<Allocation | null> {
    const raw = this.q.ballot.get(sessionId, round, participantId) as string | undefined;
    return raw ? (JSON.parse(raw) as Allocation) : null;
  }

  async ballotCount(sessionId: string, round: number): Promise<number> {
    return this.q.ballotCount.get(sessionId, round) as number;
  }

  async putAnswer(w: AnswerWrite): Promise<void> {
    this.db.transaction(() => {
      if (this.q.ballotOpen.get(w.sessionId, w.ballotId, w.round) !== 1) throw new RoundClosed(w.sessionId, w.ballotId, w.round);
      if (w.answer) {
        this.q.putAnswer.run(w.sessionId, w.ballotId, w.round, w.voter, w.participantId, JSON.stringify(w.answer), w.request.rid, w.at);
      } else this.q.dropAnswer.run(w.sessionId, w.ballotId, w.round, w.voter);
      this.putRequest(w.sessionId, w.request);
    }).immediate();
  }

  async answers(sessionId: string, ballotId: string, round: number): Promise<StoredAnswer[]> {
    const rows = this.q.answers.all(sessionId, ballotId, round) as { voter: string; participant_id: string | null; answer: string }[];
    return rows.map((r) => ({ voter: r.voter, participantId: r.participant_id, answer: JSON.parse(r.answer) as BallotAnswer }));
  }

  async answerCount(sessionId: string, ballotId: string, round: number): Promise<number> {
    return this.q.answerCount.get(sessionId, ballotId, round) as number;
  }

  async ballotSecret(sessionId: string): Promise<Buffer> {
    const found = this.q.secret.get(sessionId) as Buffer | undefined;
    if (found) return found;
    this.q.putSecret.run(sessionId, randomBytes(32));
    return this.q.secret.get(sessionId) as Buffer;
  }

  async appendUpdate(docName: string, update: Uint8Array): Promise<number> {
    return Number(this.q.appendUpdate.run(docName, Buffer.from(update.buffer, update.byteOffset, update.byteLength)).lastInsertRowid);
  }

  async loadDoc(docName: string): Promise<StoredDoc> {
    // One read transaction, so a fold by another process cannot fall between the two reads.
    return this.db.transaction(() => this.readDoc(docName))();
  }

  private readDoc(docName: string): StoredDoc {
    const snap = this.q.snapshot.get(docName) as { data: Buffer; upto: number } | undefined;
    const rows = this.q.updates.all(docName) as { id: number; data: Buffer }[];
    return {
      snapshot: snap ? new Uint8Array(snap.data) : null,
      updates: rows.map((r) => new Uint8Array(r.data)),
      ids: rows.map((r) => r.id),
      stamp: snap ? snap.upto : null,
    };
  }

  async compactDoc(docName: string, snapshot: Uint8Array, fold: Fold): Promise<number | null> {
    // Immediate: the write lock is taken before the snapshot is compared, so another
    // process sharing the file cannot fold in between.
    return this.db.transaction((): number | null => {
      const data = Buffer.from(snapshot);
      const { changes } = fold.stamp === null ? this.q.firstSnapshot.run(docName, data) : this.q.nextSnapshot.run(data, docName, fold.stamp);
      if (changes !== 1) return null;
      for (const id of fold.ids) this.q.dropUpdate.run(docName, id);
      return fold.stamp === null ? 1 : fold.stamp + 1;
    }).immediate();
  }

  private templateQueries?: ReturnType<typeof prepareTemplateQueries>;
  private get tq() {
    return (this.templateQueries ??= prepareTemplateQueries(this.db));
  }

  async saveTemplate(t: SavedTemplate, ownerHash: string | null): Promise<void> {
    this.tq.insert.run(t.id, t.template.name, JSON.stringify(t.template), t.createdAt, ownerHash);
  }

  async template(id: string): Promise<SavedTemplate | null> {
    const row = this.tq.one.get(id) as TemplateRow | undefined;
    return row ? toTemplate(row) : null;
  }

  async templates(): Promise<SavedTemplate[]> {
    return (this.tq.all.all() as TemplateRow[]).map(toTemplate);
  }

  async templateCount(): Promise<number> {
    return this.tq.count.get() as number;
  }

  async templateOwner(id: string): Promise<string | null> {
    return (this.tq.owner.get(id) as string | null | undefined) ?? null;
  }

  async deleteTemplate(id: string, ownerHash: string): Promise<TemplateDeletion> {
    return this.db.transaction((): TemplateDeletion => {
      if (this.tq.remove.run(id, ownerHash).changes === 1) return 'deleted';
      return this.tq.one.get(id) ? 'forbidden' : 'missing';
    })();
  }

  async importSession(s: SessionImport): Promise<void> {
    this.db.transaction(() => {
      // Statements, not the public methods: those may become asynchronous and would escape the transaction.
      const { state } = s;
      this.q.insertSession.run(state.id, state.code, JSON.stringify(state), state.version, state.createdAt);
      this.q.addFacToken.run(state.id, s.facilitatorTokenHash, Date.now());
      for (const { participant: p, tokenHash } of s.participants) {
        this.q.addParticipant.run(p.id, state.id, p.name, p.groupId, tokenHash, p.joinedAt);
      }
      for (const d of s.docs) this.q.putSnapshot.run(d.name, Buffer.from(d.snapshot), 0);
    })();
  }

  async sessionIds(): Promise<string[]> {
    return this.db.prepare('SELECT id FROM sessions ORDER BY created_at, id').pluck().all() as string[];
  }

  async dumpSession(sessionId: string): Promise<SessionDump | null> {
    return this.db.transaction(() => {
      if (!this.q.state.get(sessionId)) return null;
      const tables: Record<string, Row[]> = {};
      for (const t of SESSION_TABLES) {
        const where = t.scope === 'id' ? 'id = ?' : t.scope === 'session' ? 'session_id = ?' : 'doc >= ? AND doc < ?';
        const args = t.scope === 'doc' ? docRange(sessionId) : [sessionId];
        const rows = this.db.prepare(`SELECT ${t.columns.join(', ')} FROM ${t.name} WHERE ${where} ORDER BY ${t.orderBy}`).all(...args) as Row[];
        tables[t.name] = t.name === 'yjs_snapshots' ? rows.map((r) => ({ ...r, upto: 0 })) : rows;
      }
      return { sessionId, tables };
    })();
  }

  async restoreSession(dump: SessionDump): Promise<boolean> {
    return this.db.transaction(() => {
      if (this.q.state.get(dump.sessionId)) return false;
      for (const t of SESSION_TABLES) {
        const insert = this.db.prepare(`INSERT INTO ${t.name} (${t.columns.join(', ')}) VALUES (${t.columns.map(() => '?').join(', ')})`);
        for (const row of dump.tables[t.name] ?? []) insert.run(...t.columns.map((c) => row[c] ?? null));
      }
      return true;
    })();
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

interface TemplateRow {
  id: string;
  body: string;
  created_at: number;
}

const toTemplate = (r: TemplateRow): SavedTemplate => ({ id: r.id, createdAt: r.created_at, template: JSON.parse(r.body) as SavedTemplate['template'] });

function prepareTemplateQueries(db: Database.Database) {
  return {
    insert: db.prepare('INSERT INTO templates (id, name, body, created_at, owner_hash) VALUES (?, ?, ?, ?, ?)'),
    one: db.prepare('SELECT id, body, created_at FROM templates WHERE id = ?'),
    all: db.prepare('SELECT id, body, created_at FROM templates ORDER BY created_at DESC, id'),
    count: db.prepare('SELECT COUNT(*) FROM templates').pluck(),
    owner: db.prepare('SELECT owner_hash FROM templates WHERE id = ?').pluck(),
    // NULL never equals a hash: a template without an owner is never deleted.
    remove: db.prepare('DELETE FROM templates WHERE id = ? AND owner_hash = ?'),
  };
}
