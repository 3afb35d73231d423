import type {
  Account,
  Council,
  DecisionExecution,
  Invitation,
  Meeting,
  Member,
  Workspace,
  WorkspaceRole,
} from '@kenes/shared';

/** A signed-in browser: the cookie's token is kept only as a hash. */
export interface AuthSession {
  idHash: string;
  accountId: string;
  /** Sent back in the `x-kenes-csrf` header of every change the cookie authorises. */
  csrf: string;
  createdAt: number;
  expiresAt: number;
}

/** What became of a membership change: `last_owner` would leave the workspace without an owner, and writes nothing. */
export type MembershipChange = 'ok' | 'last_owner' | 'missing';

/** An invitation taken: the workspace joined and with which role (an existing member keeps theirs). */
export type Acceptance =
  | { result: 'joined' | 'already_member'; workspaceId: string; role: WorkspaceRole }
  | { result: 'invalid' };

export interface SessionLink {
  sessionId: string;
  /** `meeting`: the live room of a council meeting. */
  kind: 'session' | 'meeting';
  createdBy: string;
  createdAt: number;
}

export interface ParticipationLink {
  sessionId: string;
  participantId: string;
  accountId: string;
  linkedAt: number;
}

/** Every row of the workspace tables, for copying between stores (`migrate-store`). */
export interface WorkspaceDump {
  accounts: { account: Account; passwordHash: string }[];
  workspaces: Workspace[];
  memberships: { workspaceId: string; accountId: string; role: WorkspaceRole; joinedAt: number }[];
  invitations: { invitation: Invitation; tokenHash: string }[];
  councils: Council[];
  meetings: Meeting[];
  executions: { workspaceId: string; execution: DecisionExecution }[];
  sessions: ({ workspaceId: string } & SessionLink)[];
  templates: { workspaceId: string; templateId: string; createdAt: number }[];
  participation: ParticipationLink[];
}

/**
 * Accounts, workspaces, councils, meetings and the decision register, in the same
 * database as the sessions (SQLite or PostgreSQL). Every method answers with a promise;
 * nothing is acknowledged before it resolved. Auth sessions are not copied between
 * stores: a move signs everyone out, nothing else.
 */
export interface WorkspaceStore {
  /** `login_taken` writes nothing. */
  createAccount(a: Account, passwordHash: string): Promise<'created' | 'login_taken'>;
  accountByLogin(login: string): Promise<{ account: Account; passwordHash: string } | null>;
  account(id: string): Promise<Account | null>;
  setPasswordHash(accountId: string, passwordHash: string): Promise<void>;

  /** Also drops the account's sign-ins that expired by `s.createdAt`, so the table does not grow with every login. */
  createAuthSession(s: AuthSession): Promise<void>;
  /** The session while it has not expired at `now`, else null. */
  authSession(idHash: string, now: number): Promise<AuthSession | null>;
  deleteAuthSession(idHash: string): Promise<void>;

  /** The workspace and its owner's membership, in one transaction. */
  createWorkspace(w: Workspace, ownerId: string): Promise<void>;
  workspace(id: string): Promise<Workspace | null>;
  updateWorkspace(w: Workspace): Promise<void>;
  workspacesOf(accountId: string): Promise<{ workspace: Workspace; role: WorkspaceRole }[]>;
  members(workspaceId: string): Promise<Member[]>;
  role(workspaceId: string, accountId: string): Promise<WorkspaceRole | null>;
  /** Change a member's role; refuses (`last_owner`) to take the role from the only owner. */
  setRole(workspaceId: string, accountId: string, role: WorkspaceRole): Promise<MembershipChange>;
  /** Remove a member; refuses (`last_owner`) to remove the only owner. */
  removeMember(workspaceId: string, accountId: string): Promise<MembershipChange>;

  createInvitation(inv: Invitation, tokenHash: string): Promise<void>;
  invitations(workspaceId: string): Promise<Invitation[]>;
  invitationByToken(tokenHash: string): Promise<Invitation | null>;
  /**
   * In one transaction: the invitation is still valid at `now` (not revoked, not expired,
   * uses left), the account becomes a member with its role (an existing member keeps their
   * role and uses nothing up), and a use is counted. `invalid` writes nothing.
   */
  acceptInvitation(tokenHash: string, accountId: string, now: number): Promise<Acceptance>;
  /** false: no such invitation in that workspace. */
  revokeInvitation(workspaceId: string, id: string): Promise<boolean>;

  createCouncil(c: Council): Promise<void>;
  council(id: string): Promise<Council | null>;
  councils(workspaceId: string): Promise<Council[]>;
  /** Write `c` (its `version` already raised) only while the stored version is `expectedVersion`; false writes nothing. */
  updateCouncil(c: Council, expectedVersion: number): Promise<boolean>;

  /**
   * Insert a meeting numbered next in its council and year (1 for the first), in one
   * transaction, so two meetings created at once never share a number. Resolves to the
   * meeting as stored (with its number).
   */
  createMeeting(m: Omit<Meeting, 'number'>): Promise<Meeting>;
  meeting(id: string): Promise<Meeting | null>;
  /** A council's meetings, newest first (year, then number). */
  meetings(councilId: string): Promise<Meeting[]>;
  /** Every meeting of a workspace, oldest first (for the register). */
  workspaceMeetings(workspaceId: string): Promise<Meeting[]>;
  /** Write `m` (its `version` already raised) only while the stored version is `expectedVersion`; false writes nothing. */
  saveMeeting(m: Meeting, expectedVersion: number): Promise<boolean>;

  executions(workspaceId: string): Promise<DecisionExecution[]>;
  /** Insert or replace the execution record of one decision. */
  putExecution(workspaceId: string, e: DecisionExecution): Promise<void>;

  linkSession(workspaceId: string, link: SessionLink): Promise<void>;
  workspaceSessions(workspaceId: string): Promise<SessionLink[]>;
  /** The workspace a session belongs to (null: a session without one). */
  sessionWorkspace(sessionId: string): Promise<string | null>;
  linkTemplate(workspaceId: string, templateId: string, createdAt: number): Promise<void>;
  /** The workspace's template ids, newest first. */
  workspaceTemplates(workspaceId: string): Promise<string[]>;
  /** A teacher who joined signed in: their participant record is theirs (idempotent). */
  linkParticipant(link: ParticipationLink): Promise<void>;
  /** Every session an account took part in, newest first. */
  participationOf(accountId: string): Promise<ParticipationLink[]>;
  /** The accounts linked to a session's participants. */
  sessionAccounts(sessionId: string): Promise<ParticipationLink[]>;

  dump(): Promise<WorkspaceDump>;
  /** Write what the target lacks (rows whose key is already there are skipped), in one transaction. Resolves to the rows written. */
  restore(dump: WorkspaceDump): Promise<number>;
}
