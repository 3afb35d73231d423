import type Database from 'better-sqlite3';
import type { Account, Council, DecisionExecution, Invitation, Meeting, Member, Workspace, WorkspaceRole } from '@kenes/shared';
import type { Acceptance, AuthSession, MembershipChange, ParticipationLink, SessionLink, WorkspaceDump, WorkspaceStore } from './workspace.js';

/** Rows as both engines read them; JSON bodies are text in SQLite and already parsed from JSONB in PostgreSQL. */
export interface AccountRow {
  id: string;
  login: string;
  name: string;
  password_hash: string;
  created_at: number;
}

export interface MemberRow {
  account_id: string;
  name: string;
  login: string;
  role: string;
  joined_at: number;
}

export interface InvitationRow {
  id: string;
  workspace_id: string;
  token_hash: string;
  role: string;
  created_by: string;
  created_at: number;
  expires_at: number;
  max_uses: number;
  uses: number;
  revoked: number | boolean;
}

export interface AuthSessionRow {
  id_hash: string;
  account_id: string;
  csrf: string;
  created_at: number;
  expires_at: number;
}

export interface MeetingRow {
  body: unknown;
  year: number;
  number: number;
  version: number;
}

export interface CouncilRow {
  body: unknown;
  version: number;
}

export interface SessionLinkRow {
  session_id: string;
  workspace_id: string;
  kind: string;
  created_by: string;
  created_at: number;
}

export interface ParticipationRow {
  session_id: string;
  participant_id: string;
  account_id: string;
  linked_at: number;
}

/** A JSON body: text from SQLite, an object from PostgreSQL's JSONB. */
export const body = <T>(raw: unknown): T => (typeof raw === 'string' ? JSON.parse(raw) : raw) as T;

export const toAccount = (r: AccountRow): Account => ({ id: r.id, login: r.login, name: r.name, createdAt: r.created_at });

export const toInvitation = (r: InvitationRow): Invitation => ({
  id: r.id,
  workspaceId: r.workspace_id,
  role: r.role as WorkspaceRole,
  createdBy: r.created_by,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  maxUses: r.max_uses,
  uses: r.uses,
  revoked: r.revoked === true || r.revoked === 1,
});

export const toAuthSession = (r: AuthSessionRow): AuthSession => ({
  idHash: r.id_hash,
  accountId: r.account_id,
  csrf: r.csrf,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
});

/** The columns are the truth for what never changes in the body (number, year) and for the version. */
export const toMeeting = (r: MeetingRow): Meeting => ({ ...body<Meeting>(r.body), year: r.year, number: r.number, version: r.version });

export const toCouncil = (r: CouncilRow): Council => ({ ...body<Council>(r.body), version: r.version });

export const toSessionLink = (r: SessionLinkRow): SessionLink => ({
  sessionId: r.session_id,
  kind: r.kind as SessionLink['kind'],
  createdBy: r.created_by,
  createdAt: r.created_at,
});

export const toParticipation = (r: ParticipationRow): ParticipationLink => ({
  sessionId: r.session_id,
  participantId: r.participant_id,
  accountId: r.account_id,
  linkedAt: r.linked_at,
});

const collator = new Intl.Collator('ru');

/**
 * Members by name as people read it (not by code point, and alike on both engines,
 * whatever the database's collation), then by account id for a stable order.
 */
export const toMembers = (rows: MemberRow[]): Member[] =>
  rows
    .map((r) => ({ accountId: r.account_id, name: r.name, login: r.login, role: r.role as WorkspaceRole, joinedAt: r.joined_at }))
    .sort((a, b) => collator.compare(a.name, b.name) || (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0));

/** Whether an invitation still lets someone in at `now`. */
export const invitationValid = (r: InvitationRow, now: number) => !toInvitation(r).revoked && r.expires_at > now && r.uses < r.max_uses;

/**
 * What a membership change does to the owners: `last_owner` when it would take the role
 * from the only one. `members` are the workspace's memberships as read in the writing transaction.
 */
export function ownerCheck(members: { account_id: string; role: string }[], accountId: string, newRole: WorkspaceRole | null): MembershipChange {
  const target = members.find((m) => m.account_id === accountId);
  if (!target) return 'missing';
  if (target.role !== 'owner' || newRole === 'owner') return 'ok';
  return members.filter((m) => m.role === 'owner').length > 1 ? 'ok' : 'last_owner';
}

/** Workspace tables in dump order, parents first, with their keys (a restore skips rows whose key is there). */
export const WORKSPACE_TABLES = {
  accounts: { columns: ['id', 'login', 'name', 'password_hash', 'created_at'], key: ['id'] },
  workspaces: { columns: ['id', 'body', 'created_at'], key: ['id'] },
  memberships: { columns: ['workspace_id', 'account_id', 'role', 'joined_at'], key: ['workspace_id', 'account_id'] },
  invitations: {
    columns: ['id', 'workspace_id', 'token_hash', 'role', 'created_by', 'created_at', 'expires_at', 'max_uses', 'uses', 'revoked'],
    key: ['id'],
  },
  councils: { columns: ['id', 'workspace_id', 'body', 'version', 'created_at'], key: ['id'] },
  meetings: { columns: ['id', 'workspace_id', 'council_id', 'year', 'number', 'body', 'version', 'created_at'], key: ['id'] },
  decision_executions: { columns: ['workspace_id', 'decision_id', 'body'], key: ['workspace_id', 'decision_id'] },
  workspace_sessions: { columns: ['session_id', 'workspace_id', 'kind', 'created_by', 'created_at'], key: ['session_id'] },
  workspace_templates: { columns: ['template_id', 'workspace_id', 'created_at'], key: ['template_id'] },
  participant_accounts: { columns: ['session_id', 'participant_id', 'account_id', 'linked_at'], key: ['session_id', 'participant_id'] },
} as const;

export type WorkspaceTable = keyof typeof WORKSPACE_TABLES;
/** A row to write: each column's value, JSON bodies as objects (each engine stores them its way). */
export type WorkspaceRow = Record<string, string | number | boolean | object | null>;

/** A dump as rows, table by table in `WORKSPACE_TABLES` order: what `restore` writes on either engine. */
export function dumpRows(d: WorkspaceDump): [WorkspaceTable, WorkspaceRow[]][] {
  return [
    ['accounts', d.accounts.map(({ account: a, passwordHash }) => ({ id: a.id, login: a.login, name: a.name, password_hash: passwordHash, created_at: a.createdAt }))],
    ['workspaces', d.workspaces.map((w) => ({ id: w.id, body: w, created_at: w.createdAt }))],
    ['memberships', d.memberships.map((m) => ({ workspace_id: m.workspaceId, account_id: m.accountId, role: m.role, joined_at: m.joinedAt }))],
    [
      'invitations',
      d.invitations.map(({ invitation: i, tokenHash }) => ({
        id: i.id,
        workspace_id: i.workspaceId,
        token_hash: tokenHash,
        role: i.role,
        created_by: i.createdBy,
        created_at: i.createdAt,
        expires_at: i.expiresAt,
        max_uses: i.maxUses,
        uses: i.uses,
        revoked: i.revoked,
      })),
    ],
    ['councils', d.councils.map((c) => ({ id: c.id, workspace_id: c.workspaceId, body: c, version: c.version, created_at: c.createdAt }))],
    [
      'meetings',
      d.meetings.map((m) => ({
        id: m.id,
        workspace_id: m.workspaceId,
        council_id: m.councilId,
        year: m.year,
        number: m.number,
        body: m,
        version: m.version,
        created_at: m.createdAt,
      })),
    ],
    ['decision_executions', d.executions.map(({ workspaceId, execution: e }) => ({ workspace_id: workspaceId, decision_id: e.decisionId, body: e }))],
    [
      'workspace_sessions',
      d.sessions.map((s) => ({ session_id: s.sessionId, workspace_id: s.workspaceId, kind: s.kind, created_by: s.createdBy, created_at: s.createdAt })),
    ],
    ['workspace_templates', d.templates.map((t) => ({ template_id: t.templateId, workspace_id: t.workspaceId, created_at: t.createdAt }))],
    [
      'participant_accounts',
      d.participation.map((p) => ({ session_id: p.sessionId, participant_id: p.participantId, account_id: p.accountId, linked_at: p.linkedAt })),
    ],
  ];
}

const INVITATION_COLS = 'id, workspace_id, token_hash, role, created_by, created_at, expires_at, max_uses, uses, revoked';
const MEMBER_COLS = 'm.account_id, a.name, a.login, m.role, m.joined_at';
const MEETING_COLS = 'body, year, number, version';

/** The workspace tables in the SQLite file: every write transaction takes the write lock first (immediate). */
export class SQLiteWorkspaces implements WorkspaceStore {
  private readonly q;

  constructor(private readonly db: Database.Database) {
    this.q = {
      createAccount: db.prepare(
        'INSERT INTO accounts (id, login, name, password_hash, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (login) DO NOTHING',
      ),
      accountByLogin: db.prepare('SELECT id, login, name, password_hash, created_at FROM accounts WHERE login = ?'),
      account: db.prepare('SELECT id, login, name, password_hash, created_at FROM accounts WHERE id = ?'),
      setPasswordHash: db.prepare('UPDATE accounts SET password_hash = ? WHERE id = ?'),
      createAuthSession: db.prepare('INSERT INTO auth_sessions (id_hash, account_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)'),
      authSession: db.prepare('SELECT id_hash, account_id, csrf, created_at, expires_at FROM auth_sessions WHERE id_hash = ? AND expires_at > ?'),
      deleteAuthSession: db.prepare('DELETE FROM auth_sessions WHERE id_hash = ?'),
      dropExpired: db.prepare('DELETE FROM auth_sessions WHERE account_id = ? AND expires_at <= ?'),
      insertWorkspace: db.prepare('INSERT INTO workspaces (id, body, created_at) VALUES (?, ?, ?)'),
      workspace: db.prepare('SELECT body FROM workspaces WHERE id = ?').pluck(),
      updateWorkspace: db.prepare('UPDATE workspaces SET body = ? WHERE id = ?'),
      workspacesOf: db.prepare(
        `SELECT w.body, m.role FROM memberships m JOIN workspaces w ON w.id = m.workspace_id
         WHERE m.account_id = ? ORDER BY w.created_at, w.id`,
      ),
      members: db.prepare(`SELECT ${MEMBER_COLS} FROM memberships m JOIN accounts a ON a.id = m.account_id WHERE m.workspace_id = ?`),
      memberships: db.prepare('SELECT account_id, role FROM memberships WHERE workspace_id = ?'),
      role: db.prepare('SELECT role FROM memberships WHERE workspace_id = ? AND account_id = ?').pluck(),
      insertMember: db.prepare(
        'INSERT INTO memberships (workspace_id, account_id, role, joined_at) VALUES (?, ?, ?, ?) ON CONFLICT (workspace_id, account_id) DO NOTHING',
      ),
      setRole: db.prepare('UPDATE memberships SET role = ? WHERE workspace_id = ? AND account_id = ?'),
      removeMember: db.prepare('DELETE FROM memberships WHERE workspace_id = ? AND account_id = ?'),
      createInvitation: db.prepare(`INSERT INTO invitations (${INVITATION_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      invitations: db.prepare(`SELECT ${INVITATION_COLS} FROM invitations WHERE workspace_id = ? ORDER BY created_at DESC, id`),
      invitationByToken: db.prepare(`SELECT ${INVITATION_COLS} FROM invitations WHERE token_hash = ?`),
      useInvitation: db.prepare('UPDATE invitations SET uses = uses + 1 WHERE id = ?'),
      revokeInvitation: db.prepare('UPDATE invitations SET revoked = 1 WHERE workspace_id = ? AND id = ?'),
      createCouncil: db.prepare('INSERT INTO councils (id, workspace_id, body, version, created_at) VALUES (?, ?, ?, ?, ?)'),
      council: db.prepare('SELECT body, version FROM councils WHERE id = ?'),
      councils: db.prepare('SELECT body, version FROM councils WHERE workspace_id = ? ORDER BY created_at, id'),
      updateCouncil: db.prepare('UPDATE councils SET body = ?, version = ? WHERE id = ? AND version = ?'),
      nextNumber: db.prepare('SELECT COALESCE(MAX(number), 0) + 1 FROM meetings WHERE council_id = ? AND year = ?').pluck(),
      insertMeeting: db.prepare(
        'INSERT INTO meetings (id, workspace_id, council_id, year, number, body, version, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      meeting: db.prepare(`SELECT ${MEETING_COLS} FROM meetings WHERE id = ?`),
      meetings: db.prepare(`SELECT ${MEETING_COLS} FROM meetings WHERE council_id = ? ORDER BY year DESC, number DESC`),
      workspaceMeetings: db.prepare(
        `SELECT ${MEETING_COLS} FROM meetings WHERE workspace_id = ? ORDER BY year, json_extract(body, '$.date'), created_at, id`,
      ),
      saveMeeting: db.prepare('UPDATE meetings SET body = ?, version = ? WHERE id = ? AND version = ?'),
      executions: db.prepare('SELECT body FROM decision_executions WHERE workspace_id = ? ORDER BY decision_id').pluck(),
      putExecution: db.prepare(
        `INSERT INTO decision_executions (workspace_id, decision_id, body) VALUES (?, ?, ?)
         ON CONFLICT (workspace_id, decision_id) DO UPDATE SET body = excluded.body`,
      ),
      linkSession: db.prepare(
        'INSERT INTO workspace_sessions (session_id, workspace_id, kind, created_by, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (session_id) DO NOTHING',
      ),
      workspaceSessions: db.prepare(
        'SELECT session_id, workspace_id, kind, created_by, created_at FROM workspace_sessions WHERE workspace_id = ? ORDER BY created_at DESC, session_id',
      ),
      sessionWorkspace: db.prepare('SELECT workspace_id FROM workspace_sessions WHERE session_id = ?').pluck(),
      linkTemplate: db.prepare(
        'INSERT INTO workspace_templates (template_id, workspace_id, created_at) VALUES (?, ?, ?) ON CONFLICT (template_id) DO NOTHING',
      ),
      workspaceTemplates: db.prepare('SELECT template_id FROM workspace_templates WHERE workspace_id = ? ORDER BY created_at DESC, template_id').pluck(),
      linkParticipant: db.prepare(
        `INSERT INTO participant_accounts (session_id, participant_id, account_id, linked_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (session_id, participant_id) DO NOTHING`,
      ),
      participationOf: db.prepare(
        'SELECT session_id, participant_id, account_id, linked_at FROM participant_accounts WHERE account_id = ? ORDER BY linked_at DESC, session_id',
      ),
      sessionAccounts: db.prepare(
        'SELECT session_id, participant_id, account_id, linked_at FROM participant_accounts WHERE session_id = ? ORDER BY linked_at, participant_id',
      ),
    };
  }

  async createAccount(a: Account, passwordHash: string): Promise<'created' | 'login_taken'> {
    return this.q.createAccount.run(a.id, a.login, a.name, passwordHash, a.createdAt).changes === 1 ? 'created' : 'login_taken';
  }

  async accountByLogin(login: string): Promise<{ account: Account; passwordHash: string } | null> {
    const r = this.q.accountByLogin.get(login) as AccountRow | undefined;
    return r ? { account: toAccount(r), passwordHash: r.password_hash } : null;
  }

  async account(id: string): Promise<Account | null> {
    const r = this.q.account.get(id) as AccountRow | undefined;
    return r ? toAccount(r) : null;
  }

  async setPasswordHash(accountId: string, passwordHash: string): Promise<void> {
    this.q.setPasswordHash.run(passwordHash, accountId);
  }

  async createAuthSession(s: AuthSession): Promise<void> {
    this.db.transaction(() => {
      this.q.dropExpired.run(s.accountId, s.createdAt);
      this.q.createAuthSession.run(s.idHash, s.accountId, s.csrf, s.createdAt, s.expiresAt);
    })();
  }

  async authSession(idHash: string, now: number): Promise<AuthSession | null> {
    const r = this.q.authSession.get(idHash, now) as AuthSessionRow | undefined;
    return r ? toAuthSession(r) : null;
  }

  async deleteAuthSession(idHash: string): Promise<void> {
    this.q.deleteAuthSession.run(idHash);
  }

  async createWorkspace(w: Workspace, ownerId: string): Promise<void> {
    this.db.transaction(() => {
      this.q.insertWorkspace.run(w.id, JSON.stringify(w), w.createdAt);
      this.q.insertMember.run(w.id, ownerId, 'owner', w.createdAt);
    }).immediate();
  }

  async workspace(id: string): Promise<Workspace | null> {
    const raw = this.q.workspace.get(id) as string | undefined;
    return raw ? body<Workspace>(raw) : null;
  }

  async updateWorkspace(w: Workspace): Promise<void> {
    this.q.updateWorkspace.run(JSON.stringify(w), w.id);
  }

  async workspacesOf(accountId: string): Promise<{ workspace: Workspace; role: WorkspaceRole }[]> {
    const rows = this.q.workspacesOf.all(accountId) as { body: string; role: string }[];
    return rows.map((r) => ({ workspace: body<Workspace>(r.body), role: r.role as WorkspaceRole }));
  }

  async members(workspaceId: string): Promise<Member[]> {
    return toMembers(this.q.members.all(workspaceId) as MemberRow[]);
  }

  async role(workspaceId: string, accountId: string): Promise<WorkspaceRole | null> {
    return (this.q.role.get(workspaceId, accountId) as WorkspaceRole | undefined) ?? null;
  }

  async setRole(workspaceId: string, accountId: string, role: WorkspaceRole): Promise<MembershipChange> {
    return this.db.transaction((): MembershipChange => {
      const change = ownerCheck(this.q.memberships.all(workspaceId) as { account_id: string; role: string }[], accountId, role);
      if (change === 'ok') this.q.setRole.run(role, workspaceId, accountId);
      return change;
    }).immediate();
  }

  async removeMember(workspaceId: string, accountId: string): Promise<MembershipChange> {
    return this.db.transaction((): MembershipChange => {
      const change = ownerCheck(this.q.memberships.all(workspaceId) as { account_id: string; role: string }[], accountId, null);
      if (change === 'ok') this.q.removeMember.run(workspaceId, accountId);
      return change;
    }).immediate();
  }

  async createInvitation(inv: Invitation, tokenHash: string): Promise<void> {
    this.q.createInvitation.run(
      inv.id,
      inv.workspaceId,
      tokenHash,
      inv.role,
      inv.createdBy,
      inv.createdAt,
      inv.expiresAt,
      inv.maxUses,
      inv.uses,
      inv.revoked ? 1 : 0,
    );
  }

  async invitations(workspaceId: string): Promise<Invitation[]> {
    return (this.q.invitations.all(workspaceId) as InvitationRow[]).map(toInvitation);
  }

  async invitationByToken(tokenHash: string): Promise<Invitation | null> {
    const r = this.q.invitationByToken.get(tokenHash) as InvitationRow | undefined;
    return r ? toInvitation(r) : null;
  }

  async acceptInvitation(tokenHash: string, accountId: string, now: number): Promise<Acceptance> {
    return this.db.transaction((): Acceptance => {
      const inv = this.q.invitationByToken.get(tokenHash) as InvitationRow | undefined;
      if (!inv || !invitationValid(inv, now)) return { result: 'invalid' };
      const held = this.q.role.get(inv.workspace_id, accountId) as WorkspaceRole | undefined;
      if (held) return { result: 'already_member', workspaceId: inv.workspace_id, role: held };
      this.q.insertMember.run(inv.workspace_id, accountId, inv.role, now);
      this.q.useInvitation.run(inv.id);
      return { result: 'joined', workspaceId: inv.workspace_id, role: inv.role as WorkspaceRole };
    }).immediate();
  }

  async revokeInvitation(workspaceId: string, id: string): Promise<boolean> {
    return this.q.revokeInvitation.run(workspaceId, id).changes === 1;
  }

  async createCouncil(c: Council): Promise<void> {
    this.q.createCouncil.run(c.id, c.workspaceId, JSON.stringify(c), c.version, c.createdAt);
  }

  async council(id: string): Promise<Council | null> {
    const r = this.q.council.get(id) as CouncilRow | undefined;
    return r ? toCouncil(r) : null;
  }

  async councils(workspaceId: string): Promise<Council[]> {
    return (this.q.councils.all(workspaceId) as CouncilRow[]).map(toCouncil);
  }

  async updateCouncil(c: Council, expectedVersion: number): Promise<boolean> {
    return this.q.updateCouncil.run(JSON.stringify(c), c.version, c.id, expectedVersion).changes === 1;
  }

  async createMeeting(m: Omit<Meeting, 'number'>): Promise<Meeting> {
    // Immediate: the write lock is held from reading the last number to inserting the next.
    return this.db.transaction((): Meeting => {
      const meeting: Meeting = { ...m, number: this.q.nextNumber.get(m.councilId, m.year) as number };
      this.q.insertMeeting.run(meeting.id, meeting.workspaceId, meeting.councilId, meeting.year, meeting.number, JSON.stringify(meeting), meeting.version, meeting.createdAt);
      return meeting;
    }).immediate();
  }

  async meeting(id: string): Promise<Meeting | null> {
    const r = this.q.meeting.get(id) as MeetingRow | undefined;
    return r ? toMeeting(r) : null;
  }

  async meetings(councilId: string): Promise<Meeting[]> {
    return (this.q.meetings.all(councilId) as MeetingRow[]).map(toMeeting);
  }

  async workspaceMeetings(workspaceId: string): Promise<Meeting[]> {
    return (this.q.workspaceMeetings.all(workspaceId) as MeetingRow[]).map(toMeeting);
  }

  async saveMeeting(m: Meeting, expectedVersion: number): Promise<boolean> {
    return this.q.saveMeeting.run(JSON.stringify(m), m.version, m.id, expectedVersion).changes === 1;
  }

  async executions(workspaceId: string): Promise<DecisionExecution[]> {
    return (this.q.executions.all(workspaceId) as string[]).map((raw) => body<DecisionExecution>(raw));
  }

  async putExecution(workspaceId: string, e: DecisionExecution): Promise<void> {
    this.q.putExecution.run(workspaceId, e.decisionId, JSON.stringify(e));
  }

  async linkSession(workspaceId: string, link: SessionLink): Promise<void> {
    this.q.linkSession.run(link.sessionId, workspaceId, link.kind, link.createdBy, link.createdAt);
  }

  async workspaceSessions(workspaceId: string): Promise<SessionLink[]> {
    return (this.q.workspaceSessions.all(workspaceId) as SessionLinkRow[]).map(toSessionLink);
  }

  async sessionWorkspace(sessionId: string): Promise<string | null> {
    return (this.q.sessionWorkspace.get(sessionId) as string | undefined) ?? null;
  }

  async linkTemplate(workspaceId: string, templateId: string, createdAt: number): Promise<void> {
    this.q.linkTemplate.run(templateId, workspaceId, createdAt);
  }

  async workspaceTemplates(workspaceId: string): Promise<string[]> {
    return this.q.workspaceTemplates.all(workspaceId) as string[];
  }

  async linkParticipant(link: ParticipationLink): Promise<void> {
    this.q.linkParticipant.run(link.sessionId, link.participantId, link.accountId, link.linkedAt);
  }

  async participationOf(accountId: string): Promise<ParticipationLink[]> {
    return (this.q.participationOf.all(accountId) as ParticipationRow[]).map(toParticipation);
  }

  async sessionAccounts(sessionId: string): Promise<ParticipationLink[]> {
    return (this.q.sessionAccounts.all(sessionId) as ParticipationRow[]).map(toParticipation);
  }

  async dump(): Promise<WorkspaceDump> {
    // One read transaction: a consistent picture even if another process writes meanwhile.
    return this.db.transaction(() => {
      const all = <T>(sql: string) => this.db.prepare(sql).all() as T[];
      return {
        accounts: all<AccountRow>('SELECT id, login, name, password_hash, created_at FROM accounts ORDER BY created_at, id').map((r) => ({
          account: toAccount(r),
          passwordHash: r.password_hash,
        })),
        workspaces: all<{ body: string }>('SELECT body FROM workspaces ORDER BY created_at, id').map((r) => body<Workspace>(r.body)),
        memberships: all<{ workspace_id: string; account_id: string; role: string; joined_at: number }>(
          'SELECT workspace_id, account_id, role, joined_at FROM memberships ORDER BY workspace_id, joined_at, account_id',
        ).map((r) => ({ workspaceId: r.workspace_id, accountId: r.account_id, role: r.role as WorkspaceRole, joinedAt: r.joined_at })),
        invitations: all<InvitationRow>(`SELECT ${INVITATION_COLS} FROM invitations ORDER BY created_at, id`).map((r) => ({
          invitation: toInvitation(r),
          tokenHash: r.token_hash,
        })),
        councils: all<CouncilRow>('SELECT body, version FROM councils ORDER BY created_at, id').map(toCouncil),
        meetings: all<MeetingRow>(`SELECT ${MEETING_COLS} FROM meetings ORDER BY council_id, year, number`).map(toMeeting),
        executions: all<{ workspace_id: string; body: string }>('SELECT workspace_id, body FROM decision_executions ORDER BY workspace_id, decision_id').map(
          (r) => ({ workspaceId: r.workspace_id, execution: body<DecisionExecution>(r.body) }),
        ),
        sessions: all<SessionLinkRow>('SELECT session_id, workspace_id, kind, created_by, created_at FROM workspace_sessions ORDER BY created_at, session_id').map(
          (r) => ({ workspaceId: r.workspace_id, ...toSessionLink(r) }),
        ),
        templates: all<{ template_id: string; workspace_id: string; created_at: number }>(
          'SELECT template_id, workspace_id, created_at FROM workspace_templates ORDER BY created_at, template_id',
        ).map((r) => ({ workspaceId: r.workspace_id, templateId: r.template_id, createdAt: r.created_at })),
        participation: all<ParticipationRow>(
          'SELECT session_id, participant_id, account_id, linked_at FROM participant_accounts ORDER BY linked_at, session_id, participant_id',
        ).map(toParticipation),
      };
    })();
  }

  async restore(dump: WorkspaceDump): Promise<number> {
    return this.db.transaction((): number => {
      let written = 0;
      for (const [table, rows] of dumpRows(dump)) {
        const { columns, key } = WORKSPACE_TABLES[table];
        // Only a key already there is skipped: any other clash (a login taken by another account) fails the whole restore.
        const insert = this.db.prepare(
          `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ON CONFLICT (${key.join(', ')}) DO NOTHING`,
        );
        for (const row of rows) written += insert.run(...columns.map((c) => sqliteValue(row[c]))).changes;
      }
      return written;
    }).immediate();
  }
}

/** A value as SQLite binds it: JSON bodies as text, booleans as 0/1. */
const sqliteValue = (v: WorkspaceRow[string] | undefined) =>
  v === undefined ? null : typeof v === 'boolean' ? (v ? 1 : 0) : v !== null && typeof v === 'object' ? JSON.stringify(v) : v;
