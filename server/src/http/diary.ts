import type { FastifyInstance } from 'fastify';
import { normalizeCode, renderDiaryMarkdown } from '@kenes/shared';
import type { SessionHub } from '../realtime/hub.js';
import type { Store } from '../store/store.js';
import { hashToken } from '../tokens.js';
import { sendError } from './errors.js';
import type { MissLimiter } from './ratelimit.js';

/**
 * `GET /api/sessions/:code/diary?format=md` with the teacher's token as Bearer:
 * the caller's own diary entries as Markdown in the session's language.
 * 401 without a token; 403 for any other token (a facilitator's included).
 */
export function registerDiaryRoutes(app: FastifyInstance, deps: { hub: SessionHub; store: Store; limiter: MissLimiter }): void {
  const { hub, store, limiter } = deps;
  app.get<{ Params: { code: string }; Querystring: { format?: string; tz?: string } }>(
    '/api/sessions/:code/diary',
    async (req, reply) => {
      if (limiter.blocked(req.ip)) return sendError(reply, 429, 'rate_limited');
      const room = await hub.byCode(normalizeCode(req.params.code));
      if (!room) {
        limiter.miss(req.ip);
        return sendError(reply, 404, 'not_found');
      }
      const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
      if (!auth) return sendError(reply, 401, 'unauthorized');
      const me = await store.participantByToken(room.id, hashToken(auth[1]!));
      if (!me) return sendError(reply, 403, 'forbidden');
      if ((req.query.format ?? 'md') !== 'md') return sendError(reply, 400, 'bad_request');
      let timeZone: string | undefined;
      try {
        timeZone = req.query.tz ? new Intl.DateTimeFormat('en', { timeZone: req.query.tz }).resolvedOptions().timeZone : undefined;
      } catch {
        timeZone = undefined;
      }
      const md = renderDiaryMarkdown({
        locale: room.state.locale,
        sessionTitle: room.state.title,
        name: me.name,
        entries: await store.diary.entries(room.id, me.id),
        timeZone,
      });
      return reply
        .type('text/markdown; charset=utf-8')
        .header('content-disposition', `attachment; filename="diary-${room.state.code}.md"`)
        .header('cache-control', 'no-store')
        .send(md);
    },
  );
}
