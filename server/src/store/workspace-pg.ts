import type { Pool, PoolClient, QueryResultRow } from 'pg';
import type { Account, Council, DecisionExecution, Invitation, Meeting, Member, Workspace, WorkspaceRole } from '@kenes/shared';
import type { Acceptance, AuthSession, MembershipChange, ParticipationLink, SessionLink, WorkspaceDump, WorkspaceStore } from './workspace.js';
import {
  dumpRows,
  invitationValid,
  ownerCheck,
  toAccount,
  toAuthSession,
  toCouncil,
  toInvitation,
  toMeeting,
  toMembers,
  toParticipation,
  toSessionLink,
  WORKSPACE_TABLES,
  type AccountRow,
  type AuthSessionRow,
  type CouncilRow,
  type InvitationRow,
  type MeetingRow,
  type MemberRow,
  type ParticipationRow,
  type SessionLinkRow,
} from './workspace-sqlite.js';

type Queryable = Pick<Pool, 'query'> | PoolClient;
type Tx = <T>(fn: (c: PoolClient) => Promise<T>, begin?: string) => Promise<T>;

const INVITATION_COLS = 'id, workspace_id, token_hash, role, created_by, created_at, expires_at, max_uses, uses, revoked';
const MEMBER_COLS = 'm.account_id, a.name, a.login, m.role, m.joined_at';
const MEETING_COLS = 'body, year, number, version';
/** Columns holding JSONB: their parameters are sent as JSON text and cast. */
const JSONB = new Set(['body']);

/** Two meetings numbered at once: the second insert meets the first's number and is tried again. */
const NUMBER_TAKEN = 'meetings_number';
const NUMBER_TRIES = 50;

const isNumberTaken = (err: unknown) =>
  typeof err === 'object' && err !== null && (err as { code?: string }).code === '23505' && (err as { constraint?: string }).constraint === NUMBER_TAKEN;

/** The workspace tables in PostgreSQL: the same rows and transactions as `SQLiteWorkspaces`, with row locks where two nodes may race. */
export class PostgresWorkspaces implements WorkspaceStore {
  constructor(
    private readonly pool: Pool,
    private readonly tx: Tx,
  ) {}

  private async one<T extends QueryResultRow>(q: Queryable, sql: string, args: unknown[]): Promise<T | undefined> {
    return (await q.query<T>(sql, args)).rows[0];
  }

  private async all<T extends QueryResultRow>(sql: string, args: unknown[]): Promise<T[]> {
    return (await this.pool.query<T>(sql, args)).rows;
  }

  async createAccount(a: Account, passwordHash: string): Promise<'created' | 'login_taken'> {
    const { rowCount } = await this.pool.query(
      'INSERT INTO accounts (id, login, name, password_hash, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (login) DO NOTHING',
      [a.id, a.login, a.name, passwordHash, a.createdAt],
    );
    return rowCount === 1 ? 'created' : 'login_taken';
  }

  async accountByLogin(login: string): Promise<{ account: Account; passwordHash: string } | null> {
    const r = await this.one<AccountRow>(this.pool, 'SELECT id, login, name, password_hash, created_at FROM accounts WHERE login = $1', [login]);
    return r ? { account: toAccount(r), passwordHash: r.password_hash } : null;
  }

  async account(id: string): Promise<Account | null> {
    const r = await this.one<AccountRow>(this.pool, 'SELECT id, login, name, password_hash, created_at FROM accounts WHERE id = $1', [id]);
    return r ? toAccount(r) : null;
  }

  async setPasswordHash(accountId: string, passwordHash: string): Promise<void> {
    await this.pool.query('UPDATE accounts SET password_hash = $1 WHERE id = $2', [passwordHash, accountId]);
  }

  async createAuthSession(s: AuthSession): Promise<void> {
    await this.pool.query('DELETE FROM auth_sessions WHERE account_id = $1 AND expires_at <= $2', [s.accountId, s.createdAt]);
    await this.pool.query('INSERT INTO auth_sessions (id_hash, account_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)', [
      s.idHash,
      s.accountId,
      s.csrf,
      s.createdAt,
      s.expiresAt,
    ]);
  }

  async authSession(idHash: string, now: number): Promise<AuthSession | null> {
    const r = await this.one<AuthSessionRow>(
      this.pool,
      'SELECT id_hash, account_id, csrf, created_at, expires_at FROM auth_sessions WHERE id_hash = $1 AND expires_at > $2',
      [idHash, now],
    );
    return r ? toAuthSession(r) : null;
  }

  async deleteAuthSession(idHash: string): Promise<void> {
    await this.pool.query('DELETE FROM auth_sessions WHERE id_hash = $1', [idHash]);
  }

  async createWorkspace(w: Workspace, ownerId: string): Promise<void> {
    await this.tx(async (q) => {
      await q.query('INSERT INTO workspaces (id, body, created_at) VALUES ($1, $2::jsonb, $3)', [w.id, JSON.stringify(w), w.createdAt]);
      await q.query("INSERT INTO memberships (workspace_id, account_id, role, joined_at) VALUES ($1, $2, 'owner', $3)", [w.id, ownerId, w.createdAt]);
    });
  }

  async workspace(id: string): Promise<Workspace | null> {
    const r = await this.one<{ body: Workspace }>(this.pool, 'SELECT body FROM workspaces WHERE id = $1', [id]);
    return r ? r.body : null;
  }

  async updateWorkspace(w: Workspace): Promise<void> {
    await this.pool.query('UPDATE workspaces SET body = $1::jsonb WHERE id = $2', [JSON.stringify(w), w.id]);
  }

  async workspacesOf(accountId: string): Promise<{ workspace: Workspace; role: WorkspaceRole }[]> {
    const rows = await this.all<{ body: Workspace; role: WorkspaceRole }>(
      `SELECT w.body, m.role FROM memberships m JOIN workspaces w ON w.id = m.workspace_id
       WHERE m.account_id = $1 ORDER BY w.created_at, w.id`,
      [accountId],
    );
    return rows.map((r) => ({ workspace: r.body, role: r.role }));
  }

  async members(workspaceId: string): Promise<Member[]> {
    return toMembers(await this.all<MemberRow>(`SELECT ${MEMBER_COLS} FROM memberships m JOIN accounts a ON a.id = m.account_id WHERE m.workspace_id = $1`, [workspaceId]));
  }

  async role(workspaceId: string, accountId: string): Promise<WorkspaceRole | null> {
    const r = await this.one<{ role: WorkspaceRole }>(this.pool, 'SELECT role FROM memberships WHERE workspace_id = $1 AND account_id = $2', [
      workspaceId,
      accountId,
    ]);
    return r?.role ?? null;
  }

  /**
   * The workspace's memberships, locked until the transaction ends (in one order, so two
   * changes never deadlock): two owners demoting each other at once are decided one after
   * the other, and the second sees the first's change.
   */
  private async lockedMembers(q: PoolClient, workspaceId: string): Promise<{ account_id: string; role: string }[]> {
    return (await q.query<{ account_id: string; role: string }>('SELECT account_id, role FROM memberships WHERE workspace_id = $1 ORDER BY account_id FOR UPDATE', [workspaceId])).rows;
  }

  async setRole(workspaceId: string, accountId: string, role: WorkspaceRole): Promise<MembershipChange> {
    return this.tx(async (q) => {
      const change = ownerCheck(await this.lockedMembers(q, workspaceId), accountId, role);
      if (change === 'ok') await q.query('UPDATE memberships SET role = $1 WHERE workspace_id = $2 AND account_id = $3', [role, workspaceId, accountId]);
      return change;
    });
  }

  async removeMember(workspaceId: string, accountId: string): Promise<MembershipChange> {
    return this.tx(async (q) => {
      const change = ownerCheck(await this.lockedMembers(q, workspaceId), accountId, null);
      if (change === 'ok') await q.query('DELETE FROM memberships WHERE workspace_id = $1 AND account_id = $2', [workspaceId, accountId]);
      return change;
    });
  }

  async createInvitation(inv: Invitation, tokenHash: string): Promise<void> {
    await this.pool.query(`INSERT INTO invitations (${INVITATION_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, [
      inv.id,
      inv.workspaceId,
      tokenHash,
      inv.role,
      inv.createdBy,
      inv.createdAt,
      inv.expiresAt,
      inv.maxUses,
      inv.uses,
      inv.revoked,
    ]);
  }

  async invitations(workspaceId: string): Promise<Invitation[]> {
    return (await this.all<InvitationRow>(`SELECT ${INVITATION_COLS} FROM invitations WHERE workspace_id = $1 ORDER BY created_at DESC, id`, [workspaceId])).map(
      toInvitation,
    );
  }

  async invitationByToken(tokenHash: string): Promise<Invitation | null> {
    const r = await this.one<InvitationRow>(this.pool, `SELECT ${INVITATION_COLS} FROM invitations WHERE token_hash = $1`, [tokenHash]);
    return r ? toInvitation(r) : null;
  }

  async acceptInvitation(tokenHash: string, accountId: string, now: number): Promise<Acceptance> {
    return this.tx(async (q): Promise<Acceptance> => {
      // The invitation's row is locked: two accepts racing for its last use go one after the other.
      const inv = await this.one<InvitationRow>(q, `SELECT ${INVITATION_COLS} FROM invitations WHERE token_hash = $1 FOR UPDATE`, [tokenHash]);
      if (!inv || !invitationValid(inv, now)) return { result: 'invalid' };
      const held = await this.one<{ role: WorkspaceRole }>(q, 'SELECT role FROM memberships WHERE workspace_id = $1 AND account_id = $2', [
        inv.workspace_id,
        accountId,
      ]);
      if (held) return { result: 'already_member', workspaceId: inv.workspace_id, role: held.role };
      const { rowCount } = await q.query(
        `INSERT INTO memberships (workspace_id, account_id, role, joined_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (workspace_id, account_id) DO NOTHING`,
        [inv.workspace_id, accountId, inv.role, now],
      );
      if (rowCount !== 1) {
        // Joined meanwhile by another way in: a member, and the invitation is not used up.
        const role = (await this.one<{ role: WorkspaceRole }>(q, 'SELECT role FROM memberships WHERE workspace_id = $1 AND account_id = $2', [inv.workspace_id, accountId]))!;
        return { result: 'already_member', workspaceId: inv.workspace_id, role: role.role };
      }
      await q.query('UPDATE invitations SET uses = uses + 1 WHERE id = $1', [inv.id]);
      return { result: 'joined', workspaceId: inv.workspace_id, role: inv.role as WorkspaceRole };
    });
  }

  async revokeInvitation(workspaceId: string, id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('UPDATE invitations SET revoked = TRUE WHERE workspace_id = $1 AND id = $2', [workspaceId, id]);
    return rowCount === 1;
  }

  async createCouncil(c: Council): Promise<void> {
    await this.pool.query('INSERT INTO councils (id, workspace_id, body, version, created_at) VALUES ($1, $2, $3::jsonb, $4, $5)', [
      c.id,
      c.workspaceId,
      JSON.stringify(c),
      c.version,
      c.createdAt,
    ]);
  }

  async council(id: string): Promise<Council | null> {
    const r = await this.one<CouncilRow>(this.pool, 'SELECT body, version FROM councils WHERE id = $1', [id]);
    return r ? toCouncil(r) : null;
  }

  async councils(workspaceId: string): Promise<Council[]> {
    return (await this.all<CouncilRow>('SELECT body, version FROM councils WHERE workspace_id = $1 ORDER BY created_at, id', [workspaceId])).map(toCouncil);
  }

  async updateCouncil(c: Council, expectedVersion: number): Promise<boolean> {
    const { rowCount } = await this.pool.query('UPDATE councils SET body = $1::jsonb, version = $2 WHERE id = $3 AND version = $4', [
      JSON.stringify(c),
      c.version,
      c.id,
      expectedVersion,
    ]);
    return rowCount === 1;
  }

  async createMeeting(m: Omit<Meeting, 'number'>): Promise<Meeting> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.tx(async (q) => {
          const next = await this.one<{ n: number }>(q, 'SELECT COALESCE(MAX(number), 0) + 1 AS n FROM meetings WHERE council_id = $1 AND year = $2', [
            m.councilId,
            m.year,
          ]);
          const meeting: Meeting = { ...m, number: next!.n };
          await q.query(
            'INSERT INTO meetings (id, workspace_id, council_id, year, number, body, version, created_at) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8)',
            [meeting.id, meeting.workspaceId, meeting.councilId, meeting.year, meeting.number, JSON.stringify(meeting), meeting.version, meeting.createdAt],
          );
          return meeting;
        });
      } catch (err) {
        if (!isNumberTaken(err) || attempt >= NUMBER_TRIES) throw err;
        // Another meeting took this number a moment ago: read the last number again.
        await new Promise((r) => setTimeout(r, Math.random() * 5 * Math.min(attempt, 10)));
      }
    }
  }

  async meeting(id: string): Promise<Meeting | null> {
    const r = await this.one<MeetingRow>(this.pool, `SELECT ${MEETING_COLS} FROM meetings WHERE id = $1`, [id]);
    return r ? toMeeting(r) : null;
  }

  async meetings(councilId: string): Promise<Meeting[]> {
    return (await this.all<MeetingRow>(`SELECT ${MEETING_COLS} FROM meetings WHERE council_id = $1 ORDER BY year DESC, number DESC`, [councilId])).map(toMeeting);
  }

  async workspaceMeetings(workspaceId: string): Promise<Meeting[]> {
    // Dates are YYYY-MM-DD: compared bytewise, whatever the database's collation.
    const rows = await this.all<MeetingRow>(
      `SELECT ${MEETING_COLS} FROM meetings WHERE workspace_id = $1 ORDER BY year, (body->>'date') COLLATE "C", created_at, id`,
      [workspaceId],
    );
    return rows.map(toMeeting);
  }

  async saveMeeting(m: Meeting, expectedVersion: number): Promise<boolean> {
    const { rowCount } = await this.pool.query('UPDATE meetings SET body = $1::jsonb, version = $2 WHERE id = $3 AND version = $4', [
      JSON.stringify(m),
      m.version,
      m.id,
      expectedVersion,
    ]);
    return rowCount === 1;
  }

  async executions(workspaceId: string): Promise<DecisionExecution[]> {
    const rows = await this.all<{ body: DecisionExecution }>('SELECT body FROM decision_executions WHERE workspace_id = $1 ORDER BY decision_id COLLATE "C"', [
      workspaceId,
    ]);
    return rows.map((r) => r.body);
  }

  async putExecution(workspaceId: string, e: DecisionExecution): Promise<void> {
    await this.pool.query(
      `INSERT INTO decision_executions (workspace_id, decision_id, body) VALUES ($1, $2, $3::jsonb)
       ON CONFLICT (workspace_id, decision_id) DO UPDATE SET body = excluded.body`,
      [workspaceId, e.decisionId, JSON.stringify(e)],
    );
  }

  async linkSession(workspaceId: string, link: SessionLink): Promise<void> {
    await this.pool.query(
      'INSERT INTO workspace_sessions (session_id, workspace_id, kind, created_by, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (session_id) DO NOTHING',
      [link.sessionId, workspaceId, link.kind, link.createdBy, link.createdAt],
    );
  }

  async workspaceSessions(workspaceId: string): Promise<SessionLink[]> {
    const rows = await this.all<SessionLinkRow>(
      'SELECT session_id, workspace_id, kind, created_by, created_at FROM workspace_sessions WHERE workspace_id = $1 ORDER BY created_at DESC, session_id COLLATE "C"',
      [workspaceId],
    );
    return rows.map(toSessionLink);
  }

  async sessionWorkspace(sessionId: string): Promise<string | null> {
    return (await this.one<{ workspace_id: string }>(this.pool, 'SELECT workspace_id FROM workspace_sessions WHERE session_id = $1', [sessionId]))?.workspace_id ?? null;
  }

  async linkTemplate(workspaceId: string, templateId: string, createdAt: number): Promise<void> {
    await this.pool.query('INSERT INTO workspace_templates (template_id, workspace_id, created_at) VALUES ($1, $2, $3) ON CONFLICT (template_id) DO NOTHING', [
      templateId,
      workspaceId,
      createdAt,
    ]);
  }

  async workspaceTemplates(workspaceId: string): Promise<string[]> {
    const rows = await this.all<{ template_id: string }>(
      'SELECT template_id FROM workspace_templates WHERE workspace_id = $1 ORDER BY created_at DESC, template_id COLLATE "C"',
      [workspaceId],
    );
    return rows.map((r) => r.template_id);
  }

  async linkParticipant(link: ParticipationLink): Promise<void> {
    await this.pool.query(
      `INSERT INTO participant_accounts (session_id, participant_id, account_id, linked_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (session_id, participant_id) DO NOTHING`,
      [link.sessionId, link.participantId, link.accountId, link.linkedAt],
    );
  }

  async participationOf(accountId: string): Promise<ParticipationLink[]> {
    const rows = await this.all<ParticipationRow>(
      'SELECT session_id, participant_id, account_id, linked_at FROM participant_accounts WHERE account_id = $1 ORDER BY linked_at DESC, session_id COLLATE "C"',
      [accountId],
    );
    return rows.map(toParticipation);
  }

  async sessionAccounts(sessionId: string): Promise<ParticipationLink[]> {
    const rows = await this.all<ParticipationRow>(
      'SELECT session_id, participant_id, account_id, linked_at FROM participant_accounts WHERE session_id = $1 ORDER BY linked_at, participant_id COLLATE "C"',
      [sessionId],
    );
    return rows.map(toParticipation);
  }

  async dump(): Promise<WorkspaceDump> {
    // One snapshot of every table, so the dump is consistent while others write.
    return this.tx(async (q) => {
      const all = async <T extends QueryResultRow>(sql: string) => (await q.query<T>(sql)).rows;
      return {
        accounts: (await all<AccountRow>('SELECT id, login, name, password_hash, created_at FROM accounts ORDER BY created_at, id')).map((r) => ({
          account: toAccount(r),
          passwordHash: r.password_hash,
        })),
        workspaces: (await all<{ body: Workspace }>('SELECT body FROM workspaces ORDER BY created_at, id')).map((r) => r.body),
        memberships: (
          await all<{ workspace_id: string; account_id: string; role: WorkspaceRole; joined_at: number }>(
            'SELECT workspace_id, account_id, role, joined_at FROM memberships ORDER BY workspace_id, joined_at, account_id',
          )
        ).map((r) => ({ workspaceId: r.workspace_id, accountId: r.account_id, role: r.role, joinedAt: r.joined_at })),
        invitations: (await all<InvitationRow>(`SELECT ${INVITATION_COLS} FROM invitations ORDER BY created_at, id`)).map((r) => ({
          invitation: toInvitation(r),
          tokenHash: r.token_hash,
        })),
        councils: (await all<CouncilRow>('SELECT body, version FROM councils ORDER BY created_at, id')).map(toCouncil),
        meetings: (await all<MeetingRow>(`SELECT ${MEETING_COLS} FROM meetings ORDER BY council_id, year, number`)).map(toMeeting),
        executions: (await all<{ workspace_id: string; body: DecisionExecution }>('SELECT workspace_id, body FROM decision_executions ORDER BY workspace_id, decision_id')).map(
          (r) => ({ workspaceId: r.workspace_id, execution: r.body }),
        ),
        sessions: (
          await all<SessionLinkRow>('SELECT session_id, workspace_id, kind, created_by, created_at FROM workspace_sessions ORDER BY created_at, session_id')
        ).map((r) => ({ workspaceId: r.workspace_id, ...toSessionLink(r) })),
        templates: (
          await all<{ template_id: string; workspace_id: string; created_at: number }>(
            'SELECT template_id, workspace_id, created_at FROM workspace_templates ORDER BY created_at, template_id',
          )
        ).map((r) => ({ workspaceId: r.workspace_id, templateId: r.template_id, createdAt: r.created_at })),
        participation: (
          await all<ParticipationRow>('SELECT session_id, participant_id, account_id, linked_at FROM participant_accounts ORDER BY linked_at, session_id, participant_id')
        ).map(toParticipation),
      };
    }, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  }

  async restore(dump: WorkspaceDump): Promise<number> {
    return this.tx(async (q) => {
      let written = 0;
      for (const [table, rows] of dumpRows(dump)) {
        const { columns, key } = WORKSPACE_TABLES[table];
        const slots = columns.map((c, i) => (JSONB.has(c) ? `$${i + 1}::jsonb` : `$${i + 1}`)).join(', ');
        // Only a key already there is skipped: any other clash (a login taken by another account) fails the whole restore.
        const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${slots}) ON CONFLICT (${key.join(', ')}) DO NOTHING`;
        for (const row of rows) {
          const { rowCount } = await q.query(sql, columns.map((c) => (JSONB.has(c) ? JSON.stringify(row[c]) : (row[c] ?? null))));
          written += rowCount ?? 0;
        }
      }
      return written;
    });
  }
}
