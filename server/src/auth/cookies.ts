import type { FastifyReply, FastifyRequest } from 'fastify';

/** The signed-in browser's cookie: a random token whose SHA-256 names the auth session. */
export const AUTH_COOKIE = 'kenes_auth';
export const AUTH_DAYS = 30;
export const AUTH_MS = AUTH_DAYS * 24 * 60 * 60 * 1000;

/** The value of one cookie of the request's `Cookie` header, or null. */
export function readCookie(req: FastifyRequest, name: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const raw = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(raw) || null;
    } catch {
      return null;
    }
  }
  return null;
}

// Unreadable by scripts, not sent by cross-site forms, over HTTPS only when the request came so
// (a LAN install over plain HTTP must still sign in).
function attributes(req: FastifyRequest, maxAge: number): string {
  return `HttpOnly; SameSite=Lax; Path=/; Max-Age=${maxAge}${req.protocol === 'https' ? '; Secure' : ''}`;
}

export function setAuthCookie(req: FastifyRequest, reply: FastifyReply, token: string): void {
  reply.header('set-cookie', `${AUTH_COOKIE}=${encodeURIComponent(token)}; ${attributes(req, AUTH_DAYS * 24 * 60 * 60)}`);
}

export function clearAuthCookie(req: FastifyRequest, reply: FastifyReply): void {
  reply.header('set-cookie', `${AUTH_COOKIE}=; ${attributes(req, 0)}`);
}
