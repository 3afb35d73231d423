import { canManageWorkspace, type Council, type Invitation, type Member, type Workspace, type WorkspaceRole } from '@kenes/shared';
import type { CouncilBody, CreatedInvitation, InvitationBody, WorkspaceSession } from '@kenes/shared/client';
import { account } from './account.svelte';

/** One workspace as its dashboard shows it: members, invitations, sessions and councils. */
export class WorkspaceState {
  workspace = $state<Workspace | null>(null);
  role = $state<WorkspaceRole | null>(null);
  members = $state<Member[]>([]);
  invitations = $state<Invitation[]>([]);
  sessions = $state<WorkspaceSession[]>([]);
  councils = $state<Council[]>([]);
  /** The link of the invitation made last: its token is shown only once. */
  fresh = $state<CreatedInvitation | null>(null);

  constructor(readonly id: string) {}

  get manages(): boolean {
    return canManageWorkspace(this.role);
  }

  /** Names by account id, for councils and decisions that keep only ids. */
  get names(): Record<string, string> {
    return Object.fromEntries(this.members.map((m) => [m.accountId, m.name]));
  }

  async load(): Promise<void> {
    const c = account.client;
    const detail = await c.workspace(this.id);
    this.workspace = detail.workspace;
    this.role = detail.role;
    this.members = detail.members;
    const [councils, sessions, invitations] = await Promise.all([
      c.councils(this.id),
      c.workspaceSessions(this.id),
      this.manages ? c.invitations(this.id) : Promise.resolve([]),
    ]);
    this.councils = councils;
    this.sessions = sessions;
    this.invitations = invitations;
  }

  async invite(body: InvitationBody): Promise<CreatedInvitation> {
    const made = await account.client.invite(this.id, body);
    this.fresh = made;
    this.invitations = await account.client.invitations(this.id);
    return made;
  }

  async revoke(id: string): Promise<void> {
    await account.client.revokeInvitation(this.id, id);
    this.invitations = await account.client.invitations(this.id);
  }

  async setRole(accountId: string, role: WorkspaceRole): Promise<void> {
    const m = await account.client.setRole(this.id, accountId, role);
    this.members = this.members.map((x) => (x.accountId === accountId ? m : x));
  }

  async removeMember(accountId: string): Promise<void> {
    await account.client.removeMember(this.id, accountId);
    this.members = this.members.filter((x) => x.accountId !== accountId);
  }

  async createCouncil(body: CouncilBody): Promise<Council> {
    const council = await account.client.createCouncil(this.id, body);
    this.councils = [...this.councils, council];
    return council;
  }

  async refreshSessions(): Promise<void> {
    this.sessions = await account.client.workspaceSessions(this.id);
  }
}
