import { canManageWorkspace } from '../workspace/permissions.js';
import type { WorkspaceRole } from '../workspace/types.js';
import type { Assessment, Project } from './types.js';
import type { ProjectCan } from './views.js';

/** The project's manager and team members: they report on it, and never assess it. */
export function onProjectTeam(accountId: string, project: Pick<Project, 'managerId' | 'team'>): boolean {
  return project.managerId === accountId || project.team.some((m) => m.accountId === accountId);
}

/** Owners and methodologists change a project and open or close its assessments. */
export function editsProject(role: WorkspaceRole | null): boolean {
  return canManageWorkspace(role);
}

/** Whoever edits the project, and its manager and team, submit reports and change the status. */
export function reportsOnProject(role: WorkspaceRole | null, accountId: string, project: Pick<Project, 'managerId' | 'team'>): boolean {
  if (role === null) return false;
  return editsProject(role) || onProjectTeam(accountId, project);
}

/**
 * An expert of an assessment: a member of its council (`councilMembers`), or with no
 * council any owner, methodologist or expert of the workspace — but never someone on the
 * project's own team, who would be judging their own work.
 */
export function assessesProject(
  role: WorkspaceRole | null,
  accountId: string,
  project: Pick<Project, 'managerId' | 'team'>,
  assessment: Pick<Assessment, 'councilId'>,
  councilMembers: readonly string[] | null,
): boolean {
  if (role === null || onProjectTeam(accountId, project)) return false;
  if (assessment.councilId !== null) return councilMembers?.includes(accountId) ?? false;
  return role === 'owner' || role === 'methodologist' || role === 'expert';
}

/** What the caller may do, for the screens (the rules themselves are checked per op). */
export function projectCan(
  role: WorkspaceRole | null,
  accountId: string,
  project: Project,
  councilMembers: (councilId: string) => readonly string[] | null,
): ProjectCan {
  const open = project.reports.map((r) => r.assessment).filter((a) => a !== null && a.closedAt === null);
  return {
    edit: editsProject(role),
    report: reportsOnProject(role, accountId, project),
    score: open.some((a) => assessesProject(role, accountId, project, a!, a!.councilId ? councilMembers(a!.councilId) : null)),
  };
}
