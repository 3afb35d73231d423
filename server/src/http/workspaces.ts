import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  builtinTemplate,
  canInvite,
  canManageWorkspace,
  canSetRoles,
  createSessionFromTemplate,
  normalizeCode,
  TEMPLATE_IDS,
  TEMPLATE_LIMITS,
  type Invitation,
  type SavedTemplate,
  type SessionState,
  type SessionTemplate,
  type TemplateId,
  type Workspace,
} from '@kenes/shared';
import {
  createInvitationSchema,
  createSessionSchema,
  createWorkspaceSchema,
  patchWorkspaceSchema,
  sessionTemplateSchema,
  setRoleSchema,
  startFromTemplateSchema,
} from '@kenes/shared/schemas';
import { requireMember, requireRole } from '../auth/access.js';
import { requireAccount } from '../auth/session.js';
import { errorBody } from '../realtime/hub.js';
import type { SessionLink } from '../store/workspace.js';
import { hashToken, newCode, newId, newToken } from '../tokens.js';
import { sendError } from './errors.js';
import { publicOrigin } from './origin.js';
import type { RouteDeps } from './routes.js';
import { createdSession, startsFromTemplate } from './templates.js';

type WsParams = { Params: { ws: string } };
const DAY_MS = 24 * 60 * 60 * 1000;

/** Whether an invitation can still be taken at `now`. */
export const invitationValid = (inv: Invitation, now: number) => !inv.revoked && inv.expiresAt > now && inv.uses < inv.maxUses;

/**
 * A workspace, its members and invitations, and the sessions and templates that belong
 * to it. Every route wants a signed-in member (reads included); changes want the csrf
 * header and the role `permissions.ts` names. A refusal writes nothing.
 */
export function registerWorkspaceRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { store, limiter } = deps;
  const ws = store.workspaces;
  const origin = (req: FastifyRequest) => publicOrigin(deps.links, req.protocol, req.host);

  app.post('/api/workspaces', async (req, reply) => {
    const who = await requireAccount(ws, req, reply);
    if (!who) return reply;
    const body = createWorkspaceSchema.safeParse(req.body);
    if (!body.success) return sendError(reply, 400, 'bad_request');
    const workspace: Workspace = { id: newId(), ...body.data, createdAt: Date.now() };
    await ws.createWorkspace(workspace, who.account.id);
    return reply.code(201).send({ workspace, role: 'owner' });
  });

  app.get<WsParams>('/api/workspaces/:ws', async (req, reply) => {
    const m = await requireMember(ws, req, reply, req.params.ws);
    if (!m) return reply;
    return { workspace: m.workspace, role: m.role, members: await ws.members(m.workspace.id) };
  });

  app.patch<WsParams>('/api/workspaces/:ws', async (req, reply) => {
    const m = await requireRole(ws, req, reply, req.params.ws, (x) => canManageWorkspace(x.role));
    if (!m) return reply;
    const body = patchWorkspaceSchema.safeParse(req.body);
    if (!body.success) return sendError(reply, 400, 'bad_request');
    const workspace: Workspace = { ...m.workspace, ...body.data };
    await ws.updateWorkspace(workspace);
    return workspace;
  });

  app.put<{ Params: { ws: string; account: string } }>('/api/workspaces/:ws/members/:account', async (req, reply) => {
    const m = await requireRole(ws, req, reply, req.params.ws, (x) => canSetRoles(x.role));
    if (!m) return reply;
    const body = setRoleSchema.safeParse(req.body);
    if (!body.success) return sendError(reply, 400, 'bad_request');
    const outcome = await ws.setRole(m.workspace.id, req.params.account, body.data.role);
    if (outcome === 'missing') return sendError(reply, 404, 'not_found');
    if (outcome === 'last_owner') return sendError(reply, 409, 'last_owner');
    const member = (await ws.members(m.workspace.id)).find((x) => x.accountId === req.params.account);
    return member ?? sendError(reply, 404, 'not_found');
  });

  // An owner removes anyone; anyone may leave.
  app.delete<{ Params: { ws: string; account: string } }>('/api/workspaces/:ws/members/:account', async (req, reply) => {
    const m = await requireRole(ws, req, reply, req.params.ws, (x) => x.role === 'owner' || x.account.id === req.params.account);
    if (!m) return reply;
    const outcome = await ws.removeMember(m.workspace.id, req.params.account);
    if (outcome === 'missing') return sendError(reply, 404, 'not_found');
    if (outcome === 'last_owner') return sendError(reply, 409, 'last_owner');
    return reply.code(204).send();
  });

  app.post<WsParams>('/api/workspaces/:ws/invitations', async (req, reply) => {
    const m = await requireRole(ws, req, reply, req.params.ws, (x) => canManageWorkspace(x.role));
    if (!m) return reply;
    const body = createInvitationSchema.safeParse(req.body ?? {});
    if (!body.success) return sendError(reply, 400, 'bad_request');
    if (!canInvite(m.role, body.data.role)) return sendError(reply, 403, 'forbidden');
    const now = Date.now();
    const invitation: Invitation = {
      id: newId(),
      workspaceId: m.workspace.id,
      role: body.data.role,
      createdBy: m.account.id,
      createdAt: now,
      expiresAt: now + body.data.days * DAY_MS,
      maxUses: body.data.maxUses,
      uses: 0,
      revoked: false,
    };
    const token = newToken();
    await ws.createInvitation(invitation, hashToken(token));
    return reply.code(201).send({ invitation, token, url: `${origin(req)}/invite/${token}` });
  });

  app.get<WsParams>('/api/workspaces/:ws/invitations', async (req, reply) => {
    const m = await requireRole(ws, req, reply, req.params.ws, (x) => canManageWorkspace(x.role));
    if (!m) return reply;
    return ws.invitations(m.workspace.id);
  });

  app.delete<{ Params: { ws: string; id: string } }>('/api/workspaces/:ws/invitations/:id', async (req, reply) => {
    const m = await requireRole(ws, req, reply, req.params.ws, (x) => canManageWorkspace(x.role));
    if (!m) return reply;
    if (!(await ws.revokeInvitation(m.workspace.id, req.params.id))) return sendError(reply, 404, 'not_found');
    return reply.code(204).send();
  });

  // Tokens are long and random, but misses still count against the address, as room codes do.
  app.get<{ Params: { token: string } }>('/api/invitations/:token', async (req, reply) => {
    if (limiter.blocked(req.ip)) return sendError(reply, 429, 'rate_limited');
    const inv = await ws.invitationByToken(hashToken(req.params.token));
    const workspace = inv && (await ws.workspace(inv.workspaceId));
    if (!inv || !workspace) {
      limiter.miss(req.ip);
      return sendError(reply, 404, 'not_found');
    }
    return { workspace: { name: workspace.name, organisation: workspace.organisation }, role: inv.role, valid: invitationValid(inv, Date.now()) };
  });

  app.post<{ Params: { token: string } }>('/api/invitations/:token/accept', async (req, reply) => {
    const who = await requireAccount(ws, req, reply);
    if (!who) return reply;
    if (limiter.blocked(req.ip)) return sendError(reply, 429, 'rate_limited');
    const accepted = await ws.acceptInvitation(hashToken(req.params.token), who.account.id, Date.now());
    if (accepted.result === 'invalid') {
      limiter.miss(req.ip);
      return sendError(reply, 410, 'invitation_invalid');
    }
    const workspace = await ws.workspace(accepted.workspaceId);
    return { workspace, role: accepted.role, result: accepted.result };
  });

  app.post<WsParams>('/api/workspaces/:ws/sessions', async (req, reply) => {
    const m = await requireRole(ws, req, reply, req.params.ws, (x) => canManageWorkspace(x.role));
    if (!m) return reply;
    const made = await newSession(deps, req.body);
    if ('error' in made) return reply.code(made.status).send({ error: made.error });
    await ws.linkSession(m.workspace.id, { sessionId: made.state.id, kind: 'session', createdBy: m.account.id, createdAt: Date.now() });
    return reply.code(201).send(createdSession(origin(req), made.state, made.facilitatorToken));
  });

  app.get<WsParams>('/api/workspaces/:ws/sessions', async (req, reply) => {
    const m = await requireMember(ws, req, reply, req.params.ws);
    if (!m) return reply;
    const links = [...(await ws.workspaceSessions(m.workspace.id))].sort((a, b) => b.createdAt - a.createdAt);
    const out = [];
    for (const link of links) {
      const state = await store.loadState(link.sessionId);
      if (!state) continue;
      out.push({ ...sessionLine(link, state), participants: await store.participantCount(link.sessionId) });
    }
    return out;
  });

  app.post<{ Params: { ws: string; code: string } }>('/api/workspaces/:ws/sessions/:code/facilitator', async (req, reply) => {
    const m = await requireRole(ws, req, reply, req.params.ws, (x) => canManageWorkspace(x.role));
    if (!m) return reply;
    const code = normalizeCode(req.params.code);
    const sessionId = await store.sessionIdByCode(code);
    if (!sessionId || (await ws.sessionWorkspace(sessionId)) !== m.workspace.id) return sendError(reply, 404, 'not_found');
    const facilitatorToken = newToken();
    await store.addFacilitatorToken(sessionId, hashToken(facilitatorToken));
    return { facilitatorToken, consoleUrl: consoleUrl(origin(req), code, facilitatorToken) };
  });

  app.get<WsParams>('/api/workspaces/:ws/templates', async (req, reply) => {
    const m = await requireMember(ws, req, reply, req.params.ws);
    if (!m) return reply;
    const out: SavedTemplate[] = [];
    for (const id of await ws.workspaceTemplates(m.workspace.id)) {
      const t = await store.template(id);
      if (t) out.push(t);
    }
    return out;
  });

  app.post<WsParams>('/api/workspaces/:ws/templates', { bodyLimit: 1 << 20 }, async (req, reply) => {
    const m = await requireRole(ws, req, reply, req.params.ws, (x) => canManageWorkspace(x.role));
    if (!m) return reply;
    const body = req.body as { template?: unknown } | null;
    const parsed = sessionTemplateSchema.safeParse(body?.template);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const detail = issue ? `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}` : undefined;
      return reply.code(400).send({ error: { ...errorBody('bad_template'), detail } });
    }
    if ((await store.templateCount()) >= TEMPLATE_LIMITS.saved) return sendError(reply, 400, 'too_large');
    const saved: SavedTemplate = { id: `t-${newId()}`, createdAt: Date.now(), template: parsed.data };
    // No owner token: the workspace's managers look after it, not whoever holds a link.
    await store.saveTemplate(saved, null);
    await ws.linkTemplate(m.workspace.id, saved.id, saved.createdAt);
    return reply.code(201).send(saved);
  });
}

/** The facilitator console's link; the token in the fragment never reaches a log. */
export const consoleUrl = (base: string, code: string, token: string) => `${base}/s/${code}/facilitate#token=${token}`;

function sessionLine(link: SessionLink, state: SessionState) {
  return { sessionId: link.sessionId, code: state.code, title: state.title, template: state.template, kind: link.kind, createdAt: link.createdAt };
}

type NewSession = { state: SessionState; facilitatorToken: string } | { status: number; error: ReturnType<typeof errorBody> };

/** A session made from the body `POST /api/sessions` takes (a method, or a template by id or inline); nothing stored on a refusal. */
async function newSession(deps: RouteDeps, raw: unknown): Promise<NewSession> {
  if (!startsFromTemplate(raw)) {
    const body = createSessionSchema.safeParse(raw);
    if (!body.success) return { status: 400, error: errorBody('bad_request') };
    return deps.hub.create(body.data);
  }
  const body = startFromTemplateSchema.safeParse(raw);
  if (!body.success) return { status: 400, error: errorBody('bad_request') };
  const { templateId, title, facilitator, locale } = body.data;
  let template: SessionTemplate | undefined;
  if (templateId !== undefined) {
    template = (TEMPLATE_IDS as readonly string[]).includes(templateId)
      ? builtinTemplate(templateId as TemplateId, locale ?? 'ru')
      : (await deps.store.template(templateId))?.template;
    if (!template) return { status: 404, error: errorBody('not_found') };
  } else {
    const parsed = sessionTemplateSchema.safeParse(body.data.template);
    if (!parsed.success) return { status: 400, error: errorBody('bad_template') };
    template = parsed.data;
  }
  return storeSession(deps, template, { title, facilitator, locale });
}

/** Store a new session with `template`'s agenda under a fresh room code, with a new facilitator token. */
export async function storeSession(
  deps: Pick<RouteDeps, 'store'>,
  template: SessionTemplate,
  opts: { title: string; facilitator?: string; locale?: SessionTemplate['locale'] },
): Promise<{ state: SessionState; facilitatorToken: string }> {
  let code = newCode();
  while (await deps.store.sessionIdByCode(code)) code = newCode();
  const state = createSessionFromTemplate(template, { id: newId(), code, now: Date.now(), ...opts });
  const facilitatorToken = newToken();
  await deps.store.createSession(state, hashToken(facilitatorToken));
  return { state, facilitatorToken };
}

