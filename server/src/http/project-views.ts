import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  assessmentSummaries,
  indicatorProgress,
  isoDay,
  projectCan,
  type Participation,
  type PortfolioDiaryEntry,
  type PortfolioRecord,
  type PortfolioSession,
  type PortfolioView,
  type Project,
  type ProjectView,
  type WorkspaceRole,
} from '@kenes/shared';
import { memberOf, type MemberAccess } from '../auth/access.js';
import { requireAccount } from '../auth/session.js';
import type { Store } from '../store/store.js';
import type { WorkspaceStore } from '../store/workspace.js';
import { sendError } from './errors.js';

/** What the views are drawn from: the store, with its workspace, project and diary parts. */
export interface ViewDeps {
  store: Store;
}

/** Account id → full name, for every member of a workspace. */
export async function memberNames(ws: WorkspaceStore, workspaceId: string): Promise<Record<string, string>> {
  return Object.fromEntries((await ws.members(workspaceId)).map((m) => [m.accountId, m.name]));
}

/** The members of each council of a workspace, for the project rules (null: no such council). */
export async function councilMembersOf(ws: WorkspaceStore, workspaceId: string): Promise<(councilId: string) => readonly string[] | null> {
  const councils = new Map((await ws.councils(workspaceId)).map((c) => [c.id, c.memberIds]));
  return (id) => councils.get(id) ?? null;
}

/** Every account a project names: its manager, team, reporters, experts and status changes. */
function namedIn(project: Project): Set<string> {
  const ids = new Set<string>();
  if (project.managerId) ids.add(project.managerId);
  for (const m of project.team) if (m.accountId) ids.add(m.accountId);
  for (const h of project.history) ids.add(h.by);
  for (const r of project.reports) {
    ids.add(r.submittedBy);
    for (const s of r.assessment?.scores ?? []) ids.add(s.expertId);
  }
  return ids;
}

/**
 * A project as its page shows it to `actorId` with `role` in the project's workspace: the
 * attachments' metadata, each assessment's result, each indicator's progress, what the
 * caller may do, and the names of the members the project names.
 */
export async function buildProjectView(deps: ViewDeps, project: Project, actorId: string, role: WorkspaceRole | null): Promise<ProjectView> {
  const ws = deps.store.workspaces;
  const [all, councilMembers] = await Promise.all([memberNames(ws, project.workspaceId), councilMembersOf(ws, project.workspaceId)]);
  const names: Record<string, string> = {};
  for (const id of namedIn(project)) if (all[id] !== undefined) names[id] = all[id]!;
  const fileIds = [...new Set(project.reports.flatMap((r) => r.attachmentIds))];
  return {
    project,
    files: fileIds.length ? await deps.store.projects.blobMetas(fileIds) : [],
    assessments: assessmentSummaries(project, (id) => all[id] ?? ''),
    progress: indicatorProgress(project),
    can: projectCan(role, actorId, project, councilMembers),
    names,
  };
}

/**
 * The signed-in caller and the project named in the URL, read by any member of its
 * workspace; or the refusal sent: 401 / 403 `csrf`, 404 `not_found`, 403 `forbidden`.
 */
export async function requireProjectMember(
  deps: ViewDeps,
  req: FastifyRequest,
  reply: FastifyReply,
  projectId: string,
): Promise<{ m: MemberAccess; project: Project } | null> {
  const ws = deps.store.workspaces;
  const who = await requireAccount(ws, req, reply);
  if (!who) return null;
  const project = await deps.store.projects.project(projectId);
  if (!project) {
    await sendError(reply, 404, 'not_found');
    return null;
  }
  const m = await memberOf(ws, reply, who, project.workspaceId);
  return m && { m, project };
}

/** A teacher's portfolio before they first saved it. */
export const emptyPortfolio = (accountId: string): PortfolioRecord => ({
  accountId,
  particulars: { position: '', school: '', subject: '', category: '', experience: '' },
  note: '',
  products: [],
  certificates: [],
  videos: [],
  selfRatings: [],
  version: 0,
});

/** Every session an account joined signed in and that is still stored, newest first, with their group and group role. */
export async function attendedSessions(store: Store, accountId: string): Promise<PortfolioSession[]> {
  const out: PortfolioSession[] = [];
  for (const link of await store.workspaces.participationOf(accountId)) {
    const state = await store.loadState(link.sessionId);
    if (!state) continue;
    const participant = (await store.participants(link.sessionId)).find((p) => p.id === link.participantId);
    const groupIndex = state.groups.findIndex((g) => g.id === participant?.groupId);
    const group = state.groups[groupIndex];
    const role = group ? Object.entries(group.roles).find(([, pid]) => pid === link.participantId)?.[0] : undefined;
    const joinedAt = participant?.joinedAt ?? link.linkedAt;
    out.push({
      sessionId: link.sessionId,
      participantId: link.participantId,
      code: state.code,
      title: state.title,
      template: state.template,
      workspaceId: await store.workspaces.sessionWorkspace(link.sessionId),
      groupName: group ? group.name || `#${groupIndex + 1}` : null,
      joinedAt,
      date: isoDay(joinedAt),
      groupRole: role ?? null,
    });
  }
  return out;
}

/** `attendedSessions` as the participation list of `GET /api/me/participation`. */
export async function participationOf(store: Store, accountId: string): Promise<Participation[]> {
  return (await attendedSessions(store, accountId)).map(({ date: _d, groupRole: _r, ...p }) => p);
}

/** The teacher's diary entries across the sessions they attended, oldest first; `sharedOnly` for anyone but the teacher. */
async function portfolioDiary(store: Store, sessions: PortfolioSession[], sharedOnly: boolean): Promise<PortfolioDiaryEntry[]> {
  const out: PortfolioDiaryEntry[] = [];
  for (const s of sessions) {
    for (const e of await store.diary.entries(s.sessionId, s.participantId)) {
      if (sharedOnly && !e.shared) continue;
      out.push({ id: e.id, sessionId: s.sessionId, code: s.code, sessionTitle: s.title, kind: e.kind, text: e.text, shared: e.shared, createdAt: e.createdAt });
    }
  }
  return out.sort((a, b) => a.createdAt - b.createdAt);
}

/** Ids of the files a portfolio record refers to, once each. */
export const portfolioFileIds = (record: Pick<PortfolioRecord, 'products' | 'certificates'>): string[] => [
  ...new Set([...record.products, ...record.certificates].map((x) => x.fileId).filter((id): id is string => id !== null)),
];

/**
 * A teacher's portfolio: the record they keep, the sessions they attended with their group
 * and role, their diary (to a manager, `viewer: 'manager'`, only the entries they shared)
 * and the metadata of the files the record refers to. `accountId` is an existing account
 * (the caller, or a member of a workspace): there is always one.
 */
export async function buildPortfolioView(deps: ViewDeps, accountId: string, opts: { viewer: 'self' | 'manager' }): Promise<PortfolioView> {
  const { store } = deps;
  const account = await store.workspaces.account(accountId);
  if (!account) throw new Error(`no account ${accountId}`);
  const record = (await store.projects.portfolio(accountId)) ?? emptyPortfolio(accountId);
  const sessions = await attendedSessions(store, accountId);
  const fileIds = portfolioFileIds(record);
  return {
    record,
    account,
    sessions,
    diary: await portfolioDiary(store, sessions, opts.viewer !== 'self'),
    files: fileIds.length ? await store.projects.blobMetas(fileIds) : [],
  };
}
