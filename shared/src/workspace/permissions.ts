import type { Council, MeetingDecision, WorkspaceRole } from './types.js';

/** Owners and methodologists run the workspace: sessions, councils, meetings, invitations. */
export function canManageWorkspace(role: WorkspaceRole | null): boolean {
  return role === 'owner' || role === 'methodologist';
}

/** An owner may invite anyone; a methodologist everyone but owners and methodologists. */
export function canInvite(role: WorkspaceRole | null, invited: WorkspaceRole): boolean {
  if (role === 'owner') return true;
  if (role === 'methodologist') return invited === 'expert' || invited === 'teacher';
  return false;
}

/** Only owners change roles. */
export function canSetRoles(role: WorkspaceRole | null): boolean {
  return role === 'owner';
}

/** Who runs a council's meetings: the workspace's managers and the council's chair and secretary. */
export function runsMeeting(
  role: WorkspaceRole | null,
  accountId: string,
  council: Pick<Council, 'chairId' | 'secretaryId'>,
): boolean {
  if (role === null) return false;
  return canManageWorkspace(role) || council.chairId === accountId || council.secretaryId === accountId;
}

/** Who may change a council itself: managers and its chair. */
export function editsCouncil(role: WorkspaceRole | null, accountId: string, council: Pick<Council, 'chairId'>): boolean {
  if (role === null) return false;
  return canManageWorkspace(role) || council.chairId === accountId;
}

/** Whoever runs the council's meetings, and the person responsible for the decision, may record its execution. */
export function mayReportExecution(
  role: WorkspaceRole | null,
  accountId: string,
  council: Pick<Council, 'chairId' | 'secretaryId'>,
  decision: Pick<MeetingDecision, 'responsibleId'>,
): boolean {
  if (role === null) return false;
  return runsMeeting(role, accountId, council) || decision.responsibleId === accountId;
}
