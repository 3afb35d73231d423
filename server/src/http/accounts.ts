import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Account } from '@kenes/shared';
import { loginSchema, registerAccountSchema } from '@kenes/shared/schemas';
import { clearAuthCookie, AUTH_COOKIE, readCookie } from '../auth/cookies.js';
import { checkPassword, hashPassword, spendOneCheck } from '../auth/password.js';
import { csrfMatches, requireAccount, signedIn, startAuthSession } from '../auth/session.js';
import type { Store } from '../store/store.js';
import { newId } from '../tokens.js';
import { sendError } from './errors.js';
import { participationOf } from './project-views.js';
import { MissLimiter } from './ratelimit.js';

export interface AccountRouteDeps {
  store: Store;
  /** Failed logins per address and minute before 429 `rate_limited`. */
  loginFailuresPerMinute?: number;
}

/**
 * Accounts: registering, signing in and out, who is signed in, and the sessions they
 * joined. A refused login says only `bad_credentials`, whether the login exists or not,
 * and takes as long either way.
 */
export function registerAccountRoutes(app: FastifyInstance, deps: AccountRouteDeps): void {
  const ws = deps.store.workspaces;
  const failures = new MissLimiter(deps.loginFailuresPerMinute ?? 20);

  app.post('/api/auth/register', async (req, reply) => {
    const body = registerAccountSchema.safeParse(req.body);
    if (!body.success) return sendError(reply, 400, 'bad_request');
    const account: Account = { id: newId(), login: body.data.login, name: body.data.name, createdAt: Date.now() };
    const outcome = await ws.createAccount(account, await hashPassword(body.data.password));
    if (outcome === 'login_taken') return sendError(reply, 409, 'login_taken');
    const csrf = await startAuthSession(ws, req, reply, account.id);
    return reply.code(201).send({ account, csrf });
  });

  app.post('/api/auth/login', async (req, reply) => {
    if (failures.blocked(req.ip)) return sendError(reply, 429, 'rate_limited');
    const body = loginSchema.safeParse(req.body);
    if (!body.success) return sendError(reply, 400, 'bad_request');
    const found = await ws.accountByLogin(body.data.login);
    const ok = found ? await checkPassword(found.passwordHash, body.data.password) : (await spendOneCheck(body.data.password), false);
    if (!found || !ok) {
      failures.miss(req.ip);
      return sendError(reply, 401, 'bad_credentials');
    }
    const csrf = await startAuthSession(ws, req, reply, found.account.id);
    return { account: found.account, csrf };
  });

  app.post('/api/auth/logout', async (req, reply) => {
    const who = await requireAccount(ws, req, reply);
    if (!who) return reply;
    await ws.deleteAuthSession(who.session.idHash);
    clearAuthCookie(req, reply);
    return reply.code(204).send();
  });

  app.get('/api/auth/me', async (req, reply) => {
    const who = await signedIn(ws, req);
    if (!who) return sendError(reply, 401, 'unauthorized');
    return { account: who.account, csrf: who.session.csrf, workspaces: await ws.workspacesOf(who.account.id) };
  });

  app.get('/api/me/participation', async (req, reply) => {
    const who = await signedIn(ws, req);
    if (!who) return sendError(reply, 401, 'unauthorized');
    return participationOf(deps.store, who.account.id);
  });
}

/**
 * A teacher joining a session with a live cookie and its csrf header: the participant
 * record becomes the account's. Without the header the join is an ordinary one — a page on
 * another site must not be able to tie someone's account to a room.
 */
export async function linkIfSignedIn(store: Store, req: FastifyRequest, sessionId: string, participantId: string): Promise<void> {
  if (!readCookie(req, AUTH_COOKIE)) return;
  const who = await signedIn(store.workspaces, req);
  if (!who || !csrfMatches(req, who.session)) return;
  await store.workspaces.linkParticipant({ sessionId, participantId, accountId: who.account.id, linkedAt: Date.now() });
}

