import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  buildMinutes,
  withRosterNames,
  groupBoardId,
  normalizeCode,
  personalBoardId,
  PLENARY_BOARD_ID,
  readCards,
  readClusters,
  readNotes,
  boardDocName,
  stageTitle,
  type Joined,
  type MinutesBoard,
  resultsCsv,
  sessionArchive,
  type SessionArchive,
  type SessionSummary,
} from '@kenes/shared';
import { createSessionSchema, joinSchema } from '@kenes/shared/schemas';
import type { SessionHub } from '../realtime/hub.js';
import type { Room } from '../realtime/room.js';
import { StoreUnavailable } from '../store/guard.js';
import type { Store } from '../store/store.js';
import { hashToken } from '../tokens.js';
import type { YjsEndpoint } from '../yjs/endpoint.js';
import { isMinutesFormat, sendMinutesDocument, unknownFormatError } from '../export/minutes.js';
import type { RenderPool } from '../export/render-pool.js';
import { sendError } from './errors.js';
import { validTimeZone } from './timezone.js';
import { registerDiaryRoutes } from './diary.js';
import { linkIfSignedIn, registerAccountRoutes } from './accounts.js';
import { registerWorkspaceRoutes } from './workspaces.js';
import { registerCouncilRoutes } from './councils.js';
import { registerRegisterRoutes } from './register.js';
import { createdSession, registerTemplateRoutes, startFromTemplate, startsFromTemplate } from './templates.js';
import { publicOrigin, type LinkOptions } from './origin.js';
import type { MissLimiter } from './ratelimit.js';

export interface RouteDeps {
  hub: SessionHub;
  store: Store;
  yjs: YjsEndpoint;
  limiter: MissLimiter;
  links: LinkOptions;
  /** Worker threads that render DOCX and PDF minutes. */
  files: RenderPool;
}

export function registerRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { hub, store, yjs, limiter } = deps;
  const origin = (req: FastifyRequest) => publicOrigin(deps.links, req.protocol, req.host);

  /** Find the room named in the URL, counting misses against the caller's address. */
  const roomFor = async (req: FastifyRequest<{ Params: { code: string } }>): Promise<Room | 'blocked' | null> => {
    if (limiter.blocked(req.ip)) return 'blocked';
    const room = await hub.byCode(normalizeCode(req.params.code));
    if (!room) limiter.miss(req.ip);
    return room;
  };

  // The store could not answer: 503 with a clear code, nothing was changed. Any other fault is Fastify's to answer.
  app.setErrorHandler((err, _req, reply) => {
    if (!(err instanceof StoreUnavailable)) throw err;
    reply.log.error(err);
    return sendError(reply, 503, 'unavailable');
  });

  app.get('/healthz', async () => ({ ok: true }));
  registerDiaryRoutes(app, { hub, store, limiter });
  registerTemplateRoutes(app, { hub, store, limiter, links: deps.links });
  registerAccountRoutes(app, { store });
  registerWorkspaceRoutes(app, deps);
  registerCouncilRoutes(app, deps);
  registerRegisterRoutes(app, deps);

  app.post('/api/sessions', async (req, reply) => {
    if (startsFromTemplate(req.body)) return startFromTemplate({ hub, store, limiter, links: deps.links }, req, reply);
    const body = createSessionSchema.safeParse(req.body);
    if (!body.success) return sendError(reply, 400, 'bad_request');
    const { state, facilitatorToken } = await hub.create(body.data);
    return reply.code(201).send(createdSession(origin(req), state, facilitatorToken));
  });

  app.get<{ Params: { code: string } }>('/api/sessions/:code', async (req, reply) => {
    const room = await roomFor(req);
    if (room === 'blocked') return sendError(reply, 429, 'rate_limited');
    if (!room) return sendError(reply, 404, 'not_found');
    const s = room.state;
    const stage = s.stages[s.stageIndex]!;
    const summary: SessionSummary = {
      code: s.code,
      title: s.title,
      locale: s.locale,
      template: s.template,
      stage: { index: s.stageIndex, id: stage.id, title: stageTitle(stage, s.locale) },
      participants: room.roster.size,
    };
    return summary;
  });

  app.post<{ Params: { code: string } }>('/api/sessions/:code/participants', async (req, reply) => {
    const room = await roomFor(req);
    if (room === 'blocked') return sendError(reply, 429, 'rate_limited');
    if (!room) return sendError(reply, 404, 'not_found');
    const body = joinSchema.safeParse(req.body);
    if (!body.success) return sendError(reply, 400, 'bad_request');
    const { participant, token } = await hub.join(room, body.data.name);
    await linkIfSignedIn(store, req, room.id, participant.id);
    const joined: Joined = { sessionId: room.id, participantId: participant.id, token };
    return reply.code(201).send(joined);
  });

  app.get<{ Params: { code: string }; Querystring: { format?: string; tz?: string } }>(
    '/api/sessions/:code/minutes',
    async (req, reply) => {
      const room = await roomFor(req);
      if (room === 'blocked') return sendError(reply, 429, 'rate_limited');
      if (!room) return sendError(reply, 404, 'not_found');
      const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
      if (!auth) return sendError(reply, 401, 'unauthorized');
      if (!(await store.isFacilitator(room.id, hashToken(auth[1]!)))) return sendError(reply, 403, 'forbidden');
      const format = req.query.format ?? 'md';
      if (!isMinutesFormat(format)) return reply.code(400).send(unknownFormatError(format));
      const code = room.state.code;
      if (format === 'csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="results-${code}.csv"`)
          .send(resultsCsv(room.state));
      }
      const participants = [...room.roster.values()];
      const boardIds = [
        ...room.state.groups.map((g) => groupBoardId(g.id)),
        ...participants.map((p) => personalBoardId(p.id)),
        PLENARY_BOARD_ID,
      ];
      const boards: MinutesBoard[] = [];
      for (const boardId of boardIds) {
        const view = await yjs.peek(boardDocName(room.id, boardId));
        if (!view) continue;
        try {
          boards.push({ boardId, notes: readNotes(view.doc), clusters: readClusters(view.doc), cards: readCards(view.doc) });
        } finally {
          view.release();
        }
      }
      if (format === 'json') {
        return reply
          .type('application/json; charset=utf-8')
          .header('content-disposition', `attachment; filename="session-${code}.json"`)
          .send(JSON.stringify(sessionArchive(room.state, participants, boards.map(withBoardParts), Date.now()), null, 2));
      }
      const model = buildMinutes({
        state: room.state,
        participants,
        boards,
        generatedAt: Date.now(),
        timeZone: validTimeZone(req.query.tz),
        interview: withRosterNames(await store.interview.answers(room.id), (id) => room.roster.get(id)?.name),
      });
      return sendMinutesDocument(reply, format, model, deps.files);
    },
  );
}

/** Every board part, present or not, as the archive's format promises. */
function withBoardParts(b: MinutesBoard): SessionArchive['boards'][number] {
  return { boardId: b.boardId, notes: b.notes, clusters: b.clusters ?? [], cards: b.cards ?? [] };
}

