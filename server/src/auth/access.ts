import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Workspace, WorkspaceRole } from '@kenes/shared';
import type { WorkspaceStore } from '../store/workspace.js';
import { sendError } from '../http/errors.js';
import { requireAccount, type SignedIn } from './session.js';

/** A signed-in member of one workspace, as the request found them. */
export interface MemberAccess extends SignedIn {
  workspace: Workspace;
  role: WorkspaceRole;
}

/**
 * The signed-in caller as a member of `workspaceId`, or the refusal already sent:
 * 401 / 403 `csrf` (see `requireAccount`), 404 `not_found` for no such workspace and
 * 403 `forbidden` for anyone not a member — reads included.
 */
export async function requireMember(
  ws: WorkspaceStore,
  req: FastifyRequest,
  reply: FastifyReply,
  workspaceId: string,
): Promise<MemberAccess | null> {
  const who = await requireAccount(ws, req, reply);
  return who && memberOf(ws, reply, who, workspaceId);
}

/** The signed-in `who` as a member of `workspaceId`, or 404 / 403 already sent. */
export async function memberOf(ws: WorkspaceStore, reply: FastifyReply, who: SignedIn, workspaceId: string): Promise<MemberAccess | null> {
  const workspace = await ws.workspace(workspaceId);
  if (!workspace) {
    await sendError(reply, 404, 'not_found');
    return null;
  }
  const role = await ws.role(workspaceId, who.account.id);
  if (!role) {
    await sendError(reply, 403, 'forbidden');
    return null;
  }
  return { ...who, workspace, role };
}

/** `requireMember`, then a test of the role (and of the account): 403 `forbidden` when it fails. */
export async function requireRole(
  ws: WorkspaceStore,
  req: FastifyRequest,
  reply: FastifyReply,
  workspaceId: string,
  allowed: (m: MemberAccess) => boolean,
): Promise<MemberAccess | null> {
  const m = await requireMember(ws, req, reply, workspaceId);
  if (!m) return null;
  if (!allowed(m)) {
    await sendError(reply, 403, 'forbidden');
    return null;
  }
  return m;
}
