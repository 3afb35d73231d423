import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Account } from '@kenes/shared';
import type { AuthSession, WorkspaceStore } from '../store/workspace.js';
import { hashToken, newToken } from '../tokens.js';
import { sendError } from '../http/errors.js';
import { AUTH_COOKIE, AUTH_MS, readCookie, setAuthCookie } from './cookies.js';

/** The header every change the cookie authorises must carry. */
export const CSRF_HEADER = 'x-kenes-csrf';

export interface SignedIn {
  session: AuthSession;
  account: Account;
}

/** The account the request's cookie belongs to, while its auth session lives; null otherwise. */
export async function signedIn(ws: WorkspaceStore, req: FastifyRequest): Promise<SignedIn | null> {
  const token = readCookie(req, AUTH_COOKIE);
  if (!token) return null;
  const session = await ws.authSession(hashToken(token), Date.now());
  if (!session) return null;
  const account = await ws.account(session.accountId);
  return account ? { session, account } : null;
}

/** Whether the request carries the session's csrf value; compared in constant time. */
export function csrfMatches(req: FastifyRequest, session: AuthSession): boolean {
  const header = req.headers[CSRF_HEADER];
  if (typeof header !== 'string') return false;
  const a = Buffer.from(header);
  const b = Buffer.from(session.csrf);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The signed-in account, or the refusal already sent: 401 `unauthorized` without a live
 * cookie, and for anything but a read 403 `csrf` without the matching header — a form on
 * another site can make the browser send the cookie, never the header.
 */
export async function requireAccount(ws: WorkspaceStore, req: FastifyRequest, reply: FastifyReply): Promise<SignedIn | null> {
  const who = await signedIn(ws, req);
  if (!who) {
    await sendError(reply, 401, 'unauthorized');
    return null;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD' && !csrfMatches(req, who.session)) {
    await sendError(reply, 403, 'csrf');
    return null;
  }
  return who;
}

/** A new auth session for `accountId`: its token goes in the cookie, its hash in the store; resolves to the csrf value. */
export async function startAuthSession(ws: WorkspaceStore, req: FastifyRequest, reply: FastifyReply, accountId: string): Promise<string> {
  const token = newToken();
  const now = Date.now();
  const session: AuthSession = { idHash: hashToken(token), accountId, csrf: newToken(), createdAt: now, expiresAt: now + AUTH_MS };
  await ws.createAuthSession(session);
  setAuthCookie(req, reply, token);
  return session.csrf;
}
