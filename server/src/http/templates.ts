import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import * as Y from 'yjs';
import {
  boardDocName,
  builtinSummary,
  builtinTemplate,
  createSessionFromTemplate,
  isLocale,
  LIMITS,
  normalizeCode,
  restoreSession,
  savedSummary,
  templateFromState,
  TEMPLATE_IDS,
  TEMPLATE_LIMITS,
  writeBoard,
  type CreatedSession,
  type ErrorCode,
  type OwnedTemplate,
  type SavedTemplate,
  type SessionState,
  type SessionTemplate,
  type TemplateId,
  type TemplateList,
} from '@kenes/shared';
import {
  saveTemplateSchema,
  sessionArchiveSchema,
  sessionTemplateSchema,
  startFromTemplateSchema,
  type ValidArchive,
} from '@kenes/shared/schemas';
import type { SessionHub } from '../realtime/hub.js';
import type { Store } from '../store/store.js';
import { hashToken, newCode, newId, newToken } from '../tokens.js';
import { errorBody } from '../realtime/hub.js';
import { sendError } from './errors.js';
import { publicOrigin, type LinkOptions } from './origin.js';
import type { MissLimiter } from './ratelimit.js';

export interface TemplateRouteDeps {
  hub: SessionHub;
  store: Store;
  limiter: MissLimiter;
  links: LinkOptions;
}

/** A template file is small; a session archive carries every board, so it may be far larger than other bodies. */
const TEMPLATE_BODY_LIMIT = 1 << 20;
const ARCHIVE_BODY_LIMIT = 8 << 20;

const isBuiltin = (id: string): id is TemplateId => (TEMPLATE_IDS as readonly string[]).includes(id);

/**
 * Session templates: the built-in methods and saved agendas, their export and import,
 * saving a session's agenda, deleting a saved one by whoever saved it, and bringing a
 * session archive back as a new session or as a template. Every refusal stores nothing.
 */
export function registerTemplateRoutes(app: FastifyInstance, deps: TemplateRouteDeps): void {
  const { store, limiter } = deps;

  app.get('/api/templates', async (): Promise<TemplateList> => ({
    builtIn: TEMPLATE_IDS.map(builtinSummary),
    saved: (await store.templates()).map(savedSummary),
  }));

  app.post(
    '/api/templates',
    { bodyLimit: TEMPLATE_BODY_LIMIT, errorHandler: bodyErrors('bad_template') },
    async (req, reply) => {
      const parsed = sessionTemplateSchema.safeParse(req.body);
      if (!parsed.success) return refuse(reply, 'bad_template', parsed.error);
      return keep(reply, parsed.data);
    },
  );

  app.get<{ Params: { id: string }; Querystring: { locale?: string } }>('/api/templates/:id', async (req, reply) => {
    const { id } = req.params;
    let template: SessionTemplate | undefined;
    if (isBuiltin(id)) template = builtinTemplate(id, isLocale(req.query.locale) ? req.query.locale : 'ru');
    else template = (await store.template(id))?.template;
    if (!template) return sendError(reply, 404, 'not_found');
    return reply
      .type('application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="template-${id}.json"`)
      .send(JSON.stringify(template, null, 2));
  });

  // Only with the token its saving answered. A built-in is part of Kenes, not something saved: 400.
  app.delete<{ Params: { id: string } }>('/api/templates/:id', async (req, reply) => {
    if (isBuiltin(req.params.id)) return sendError(reply, 400, 'bad_request');
    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    if (!auth) return sendError(reply, 401, 'unauthorized');
    const outcome = await store.deleteTemplate(req.params.id, hashToken(auth[1]!));
    if (outcome === 'missing') return sendError(reply, 404, 'not_found');
    if (outcome === 'forbidden') return sendError(reply, 403, 'forbidden');
    return reply.code(204).send();
  });

  app.post<{ Params: { code: string } }>('/api/sessions/:code/template', { errorHandler: bodyErrors('bad_request') }, async (req, reply) => {
    if (limiter.blocked(req.ip)) return sendError(reply, 429, 'rate_limited');
    const room = await deps.hub.byCode(normalizeCode(req.params.code));
    if (!room) {
      limiter.miss(req.ip);
      return sendError(reply, 404, 'not_found');
    }
    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    if (!auth) return sendError(reply, 401, 'unauthorized');
    if (!(await store.isFacilitator(room.id, hashToken(auth[1]!)))) return sendError(reply, 403, 'forbidden');
    const body = saveTemplateSchema.safeParse(req.body ?? {});
    if (!body.success) return sendError(reply, 400, 'bad_request');
    // Through the import schema too, so whatever is saved can be imported again.
    const parsed = sessionTemplateSchema.safeParse(templateFromState(room.state, body.data));
    if (!parsed.success) return refuse(reply, 'bad_template', parsed.error);
    return keep(reply, parsed.data);
  });

  app.post<{ Querystring: { as?: string; name?: string } }>(
    '/api/sessions/import',
    { bodyLimit: ARCHIVE_BODY_LIMIT, errorHandler: bodyErrors('bad_archive') },
    async (req, reply) => {
      // The archive file as it was downloaded (`?as=`), or `{ as, archive, name? }`.
      const wrapper = isRecord(req.body) && req.body.format === undefined && 'archive' in req.body ? req.body : null;
      const as = (wrapper ? wrapper.as : req.query.as) ?? 'session';
      const name = wrapper ? wrapper.name : req.query.name;
      if (name !== undefined && (typeof name !== 'string' || name.length > LIMITS.title)) return sendError(reply, 400, 'bad_request');
      if (as !== 'session' && as !== 'template') return sendError(reply, 400, 'bad_request');
      const parsed = sessionArchiveSchema.safeParse(wrapper ? wrapper.archive : req.body);
      if (!parsed.success) return refuse(reply, 'bad_archive', parsed.error);
      if (as === 'template') {
        const state = restoreSession(parsed.data, { id: parsed.data.state.id, code: parsed.data.state.code, participantId: newId }).state;
        const template = sessionTemplateSchema.safeParse(templateFromState(state, { name }));
        if (!template.success) return refuse(reply, 'bad_template', template.error);
        return keep(reply, template.data);
      }
      return importSession(req, reply, parsed.data);
    },
  );

  /**
   * Store a validated template under a new id, with the hash of a new owner token that
   * the answer carries this once; refused once the server keeps its maximum.
   */
  async function keep(reply: FastifyReply, template: SessionTemplate) {
    if ((await store.templateCount()) >= TEMPLATE_LIMITS.saved) return sendError(reply, 400, 'too_large');
    const saved: SavedTemplate = { id: `t-${newId()}`, createdAt: Date.now(), template };
    const ownerToken = newToken();
    await store.saveTemplate(saved, hashToken(ownerToken));
    const answer: OwnedTemplate = { ...saved, ownerToken };
    return reply.code(201).send(answer);
  }

  async function importSession(req: FastifyRequest, reply: FastifyReply, archive: ValidArchive) {
    const restored = restoreSession(archive, { id: newId(), code: await freshCode(store), participantId: newId });
    const docs: { name: string; snapshot: Uint8Array }[] = [];
    // Every archived board, empty ones too, so the new session's archive lists the same boards.
    for (const board of restored.boards) {
      const doc = new Y.Doc();
      writeBoard(doc, board);
      const snapshot = Y.encodeStateAsUpdate(doc);
      doc.destroy();
      if (snapshot.byteLength > LIMITS.boardBytes) return sendError(reply, 400, 'too_large');
      docs.push({ name: boardDocName(restored.state.id, board.boardId), snapshot });
    }
    const facilitatorToken = newToken();
    await store.importSession({
      state: restored.state,
      facilitatorTokenHash: hashToken(facilitatorToken),
      participants: restored.participants.map((participant) => ({ participant, tokenHash: hashToken(newToken()) })),
      docs,
    });
    return reply.code(201).send(createdSession(publicOrigin(deps.links, req.protocol, req.host), restored.state, facilitatorToken));
  }
}

/** `POST /api/sessions` with `templateId` or an inline `template` (an object, not a method id) starts from a template. */
export function startsFromTemplate(body: unknown): boolean {
  return isRecord(body) && ('templateId' in body || isRecord(body.template));
}

export async function startFromTemplate(deps: TemplateRouteDeps, req: FastifyRequest, reply: FastifyReply) {
  const body = startFromTemplateSchema.safeParse(req.body);
  if (!body.success) return sendError(reply, 400, 'bad_request');
  const { templateId, title, facilitator, locale } = body.data;
  let template: SessionTemplate;
  if (templateId !== undefined) {
    const found = isBuiltin(templateId) ? builtinTemplate(templateId, locale ?? 'ru') : (await deps.store.template(templateId))?.template;
    if (!found) return sendError(reply, 404, 'not_found');
    template = found;
  } else {
    const parsed = sessionTemplateSchema.safeParse(body.data.template);
    if (!parsed.success) return refuse(reply, 'bad_template', parsed.error);
    template = parsed.data;
  }
  const state = createSessionFromTemplate(template, { id: newId(), code: await freshCode(deps.store), title, facilitator, locale, now: Date.now() });
  const facilitatorToken = newToken();
  await deps.store.createSession(state, hashToken(facilitatorToken));
  return reply.code(201).send(createdSession(publicOrigin(deps.links, req.protocol, req.host), state, facilitatorToken));
}

/** What POST /api/sessions answers: the room, the facilitator's token and the links built on them. */
export function createdSession(base: string, state: SessionState, facilitatorToken: string): CreatedSession {
  return {
    id: state.id,
    code: state.code,
    facilitatorToken,
    joinUrl: `${base}/join/${state.code}`,
    screenUrl: `${base}/s/${state.code}/screen`,
    // In the fragment, so the token never reaches a server or proxy log.
    facilitatorUrl: `${base}/s/${state.code}/facilitate#token=${facilitatorToken}`,
  };
}

async function freshCode(store: Store): Promise<string> {
  let code = newCode();
  while (await store.sessionIdByCode(code)) code = newCode();
  return code;
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** 400 with the file's own error code and where it first went wrong. */
function refuse(reply: FastifyReply, code: ErrorCode, error: { issues: { path: PropertyKey[]; message: string }[] }) {
  const issue = error.issues[0];
  const detail = issue ? `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}` : undefined;
  return reply.code(400).send({ error: { ...errorBody(code), detail } });
}

/**
 * A body that is not JSON at all is refused like a bad file, and one over the route's
 * limit as `too_large` — in the API's error shape rather than Fastify's.
 */
function bodyErrors(code: ErrorCode) {
  return (err: FastifyError, _req: FastifyRequest, reply: FastifyReply) => {
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendError(reply, 413, 'too_large');
    if (err.statusCode === 415) return sendError(reply, 415, 'bad_request');
    if (err.statusCode && err.statusCode < 500) return sendError(reply, 400, code);
    reply.log.error(err);
    return sendError(reply, 500, 'internal');
  };
}
