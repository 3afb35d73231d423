import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  applyMeetingOp,
  canManageWorkspace,
  councilProtocolOutline,
  editsCouncil,
  isLocale,
  isoDay,
  newMeeting,
  openDecisionIds,
  quorumView,
  registerEntries,
  runsMeeting,
  translate,
  TEMPLATE_FORMAT,
  TEMPLATE_VERSION,
  type Council,
  type ErrorCode,
  type Meeting,
  type MeetingOp,
  type RegisterEntry,
  type SessionTemplate,
  type Workspace,
} from '@kenes/shared';
import { councilSchema, createMeetingSchema, meetingOpRequestSchema, updateCouncilSchema } from '@kenes/shared/schemas';
import { memberOf, requireRole, type MemberAccess } from '../auth/access.js';
import { requireAccount } from '../auth/session.js';
import { isProtocolFormat, sendProtocolDocument } from '../export/council.js';
import { errorBody } from '../realtime/hub.js';
import { Serial } from '../serial.js';
import type { WorkspaceStore } from '../store/workspace.js';
import { hashToken, newId, newToken } from '../tokens.js';
import { sendError } from './errors.js';
import { validTimeZone } from './timezone.js';
import { publicOrigin } from './origin.js';
import type { RouteDeps } from './routes.js';
import { consoleUrl, storeSession } from './workspaces.js';

/** What a meeting page shows: the meeting with everything needed to draw it. */
export interface MeetingView {
  meeting: Meeting;
  council: Council;
  members: { accountId: string; name: string }[];
  quorum: ReturnType<typeof quorumView>;
  review: RegisterEntry[];
  canRun: boolean;
}

/** How often an op without a version is applied again after another node wrote first. */
const OP_RETRIES = 5;

const turns = new Map<string, { serial: Serial; queued: number }>();

/**
 * Changes to one meeting, one at a time on this node: a dozen members asking for the floor
 * at once are applied in turn instead of racing each other into retries. Writes from other
 * nodes are still caught by the store's version check.
 */
function inTurn<T>(meetingId: string, task: () => Promise<T>): Promise<T> {
  let turn = turns.get(meetingId);
  if (!turn) turns.set(meetingId, (turn = { serial: new Serial(), queued: 0 }));
  const t = turn;
  t.queued++;
  return t.serial.run(task).finally(() => {
    if (--t.queued === 0) turns.delete(meetingId);
  });
}

/** The HTTP status each refusal of a meeting op answers with. */
const OP_STATUS: Partial<Record<ErrorCode, number>> = {
  forbidden: 403,
  conflict: 409,
  meeting_closed: 409,
  duplicate_id: 409,
  unknown_item: 404,
  unknown_speaker: 404,
  unknown_decision: 404,
};

/**
 * Councils, their meetings and the changes to a meeting, the live room of a meeting and
 * its protocol. Meetings change only through ops (`applyMeetingOp`) written with a version
 * check, so two secretaries at one table never overwrite each other.
 */
export function registerCouncilRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { store } = deps;
  const ws = store.workspaces;
  const origin = (req: FastifyRequest) => publicOrigin(deps.links, req.protocol, req.host);

  /** The signed-in member and the council named in the URL, or the refusal sent. */
  async function councilAccess(req: FastifyRequest, reply: FastifyReply, id: string): Promise<{ m: MemberAccess; council: Council } | null> {
    const who = await requireAccount(ws, req, reply);
    if (!who) return null;
    const council = await ws.council(id);
    if (!council) {
      await sendError(reply, 404, 'not_found');
      return null;
    }
    const m = await memberOf(ws, reply, who, council.workspaceId);
    return m && { m, council };
  }

  async function meetingAccess(
    req: FastifyRequest,
    reply: FastifyReply,
    id: string,
  ): Promise<{ m: MemberAccess; council: Council; meeting: Meeting } | null> {
    const who = await requireAccount(ws, req, reply);
    if (!who) return null;
    const meeting = await ws.meeting(id);
    const council = meeting && (await ws.council(meeting.councilId));
    if (!meeting || !council) {
      await sendError(reply, 404, 'not_found');
      return null;
    }
    const m = await memberOf(ws, reply, who, meeting.workspaceId);
    return m && { m, council, meeting };
  }

  app.post<{ Params: { ws: string } }>('/api/workspaces/:ws/councils', async (req, reply) => {
    const m = await requireRole(ws, req, reply, req.params.ws, (x) => canManageWorkspace(x.role));
    if (!m) return reply;
    const body = councilSchema.safeParse(req.body);
    if (!body.success) return sendError(reply, 400, 'bad_request');
    const people = await councilPeople(ws, m.workspace.id, body.data);
    if (!people) return sendError(reply, 400, 'unknown_member');
    const council: Council = { id: newId(), workspaceId: m.workspace.id, ...body.data, ...people, createdAt: Date.now(), version: 1 };
    await ws.createCouncil(council);
    return reply.code(201).send(council);
  });

  app.get<{ Params: { ws: string } }>('/api/workspaces/:ws/councils', async (req, reply) => {
    const m = await requireRole(ws, req, reply, req.params.ws, () => true);
    if (!m) return reply;
    return ws.councils(m.workspace.id);
  });

  app.get<{ Params: { id: string } }>('/api/councils/:id', async (req, reply) => {
    const a = await councilAccess(req, reply, req.params.id);
    if (!a) return reply;
    return { council: a.council, meetings: await ws.meetings(a.council.id) };
  });

  app.put<{ Params: { id: string } }>('/api/councils/:id', async (req, reply) => {
    const a = await councilAccess(req, reply, req.params.id);
    if (!a) return reply;
    if (!editsCouncil(a.m.role, a.m.account.id, a.council)) return sendError(reply, 403, 'forbidden');
    const body = updateCouncilSchema.safeParse(req.body);
    if (!body.success) return sendError(reply, 400, 'bad_request');
    const { version, ...fields } = body.data;
    if (version !== a.council.version) return reply.code(409).send({ error: errorBody('conflict'), council: a.council });
    const people = await councilPeople(ws, a.council.workspaceId, fields);
    if (!people) return sendError(reply, 400, 'unknown_member');
    const next: Council = { ...a.council, ...fields, ...people, version: version + 1 };
    if (!(await ws.updateCouncil(next, version))) return reply.code(409).send({ error: errorBody('conflict'), council: await ws.council(a.council.id) });
    return next;
  });

  app.post<{ Params: { id: string } }>('/api/councils/:id/meetings', async (req, reply) => {
    const a = await councilAccess(req, reply, req.params.id);
    if (!a) return reply;
    if (!runsMeeting(a.m.role, a.m.account.id, a.council)) return sendError(reply, 403, 'forbidden');
    const body = createMeetingSchema.safeParse(req.body ?? {});
    if (!body.success) return sendError(reply, 400, 'bad_request');
    const entries = await workspaceRegister(ws, a.council.workspaceId);
    const draft = newMeeting({
      id: newId(),
      council: a.council,
      date: body.data.date,
      time: body.data.time,
      place: body.data.place || a.m.workspace.place,
      items: body.data.items.map((i) => ({ id: newId(), title: i.title, reporter: i.reporter })),
      review: body.data.review,
      reviewItemId: newId(),
      openDecisionIds: openDecisionIds(entries),
      now: Date.now(),
    });
    return reply.code(201).send(await ws.createMeeting(draft));
  });

  app.get<{ Params: { id: string } }>('/api/meetings/:id', async (req, reply) => {
    const a = await meetingAccess(req, reply, req.params.id);
    if (!a) return reply;
    return meetingView(ws, a.m, a.council, a.meeting);
  });

  // `attendance.fromSession` takes its accounts from the meeting's live room, not from the body.
  app.post<{ Params: { id: string } }>('/api/meetings/:id/ops', async (req, reply) => {
    const a = await meetingAccess(req, reply, req.params.id);
    if (!a) return reply;
    const body = meetingOpRequestSchema.safeParse(req.body);
    if (!body.success) return sendError(reply, 400, 'bad_request');
    const { version } = body.data;
    return inTurn(a.meeting.id, async () => {
      let meeting = (await ws.meeting(a.meeting.id)) ?? a.meeting;
      let council = a.council;
      for (let attempt = 0; ; attempt++) {
        if (version !== undefined && meeting.version !== version) {
          return reply.code(409).send({ error: errorBody('conflict'), view: await meetingView(ws, a.m, council, meeting) });
        }
        const op = await withSessionAccounts(ws, body.data.op as MeetingOp, meeting);
        const names = Object.fromEntries((await ws.members(meeting.workspaceId)).map((x) => [x.accountId, x.name]));
        const result = applyMeetingOp(meeting, op, {
          actorId: a.m.account.id,
          runs: runs(a.m, council, meeting),
          now: Date.now(),
          openDecisionIds: op.type === 'item.addReview' ? openDecisionIds(await workspaceRegister(ws, meeting.workspaceId), meeting.id) : [],
          names,
        });
        if (!result.ok) return sendError(reply, OP_STATUS[result.error] ?? 400, result.error);
        const next: Meeting = { ...result.meeting, version: meeting.version + 1 };
        if (await ws.saveMeeting(next, meeting.version)) return meetingView(ws, a.m, council, next);
        // Another write came first: read it again, and apply to it unless the client named a version.
        const fresh = await ws.meeting(meeting.id);
        if (!fresh) return sendError(reply, 404, 'not_found');
        meeting = fresh;
        council = (await ws.council(meeting.councilId)) ?? council;
        if (version === undefined && attempt + 1 >= OP_RETRIES) {
          return reply.code(409).send({ error: errorBody('conflict'), view: await meetingView(ws, a.m, council, meeting) });
        }
      }
    });
  });

  app.post<{ Params: { id: string } }>('/api/meetings/:id/session', async (req, reply) => {
    const a = await meetingAccess(req, reply, req.params.id);
    if (!a) return reply;
    if (!runs(a.m, a.council, a.meeting)) return sendError(reply, 403, 'forbidden');
    const base = origin(req);
    // Opened already: a new facilitator link to the same room, so those who joined stay in it.
    if (a.meeting.sessionId && a.meeting.sessionCode && (await store.loadState(a.meeting.sessionId))) {
      const facilitatorToken = newToken();
      await store.addFacilitatorToken(a.meeting.sessionId, hashToken(facilitatorToken));
      return { code: a.meeting.sessionCode, facilitatorToken, consoleUrl: consoleUrl(base, a.meeting.sessionCode, facilitatorToken) };
    }
    const { state, facilitatorToken } = await storeSession(deps, meetingTemplate(a.m.workspace, a.council, a.meeting), {
      title: `${a.council.name} — ${a.meeting.number}/${a.meeting.year}`,
      facilitator: a.m.account.name,
      locale: a.m.workspace.locale,
    });
    await ws.linkSession(a.meeting.workspaceId, { sessionId: state.id, kind: 'meeting', createdBy: a.m.account.id, createdAt: Date.now() });
    await inTurn(a.meeting.id, async () => {
      for (let attempt = 0; attempt < OP_RETRIES; attempt++) {
        const meeting = await ws.meeting(a.meeting.id);
        if (!meeting) return;
        const next: Meeting = { ...meeting, sessionId: state.id, sessionCode: state.code, version: meeting.version + 1 };
        if (await ws.saveMeeting(next, meeting.version)) return;
      }
    });
    return { code: state.code, facilitatorToken, consoleUrl: consoleUrl(base, state.code, facilitatorToken) };
  });

  app.get<{ Params: { id: string }; Querystring: { format?: string; lang?: string; tz?: string } }>(
    '/api/meetings/:id/protocol',
    async (req, reply) => {
      const a = await meetingAccess(req, reply, req.params.id);
      if (!a) return reply;
      const format = req.query.format ?? 'md';
      if (!isProtocolFormat(format)) return sendError(reply, 400, 'bad_request');
      if (req.query.lang !== undefined && !isLocale(req.query.lang)) return sendError(reply, 400, 'bad_request');
      const locale = req.query.lang ?? a.m.workspace.locale;
      const view = await meetingView(ws, a.m, a.council, a.meeting);
      const names = Object.fromEntries((await ws.members(a.meeting.workspaceId)).map((x) => [x.accountId, x.name]));
      const outline = councilProtocolOutline({
        workspace: a.m.workspace,
        council: a.council,
        meeting: a.meeting,
        names,
        review: view.review,
        locale,
        timeZone: validTimeZone(req.query.tz),
        generatedAt: Date.now(),
      });
      return sendProtocolDocument(reply, format, outline, `protocol-${a.meeting.number}-${a.meeting.year}`, deps.files);
    },
  );
}

/** Whoever runs the council's meetings, or this meeting's own chair or secretary (a stand-in for one sitting). */
const runs = (m: MemberAccess, council: Council, meeting: Meeting) =>
  runsMeeting(m.role, m.account.id, council) || runsMeeting(m.role, m.account.id, meeting);

/** The members who joined the meeting's live room signed in, in place of whatever the client sent. */
async function withSessionAccounts(ws: WorkspaceStore, op: MeetingOp, meeting: Meeting): Promise<MeetingOp> {
  if (op.type !== 'attendance.fromSession') return op;
  const links = meeting.sessionId ? await ws.sessionAccounts(meeting.sessionId) : [];
  return { type: 'attendance.fromSession', accountIds: [...new Set(links.map((l) => l.accountId))] };
}

/**
 * The council's member list checked against the workspace: every id a member, the chair and
 * the secretary on the council too (added when left out). Null: someone is not a member.
 */
async function councilPeople(
  ws: WorkspaceStore,
  workspaceId: string,
  body: Pick<Council, 'memberIds' | 'chairId' | 'secretaryId'>,
): Promise<Pick<Council, 'memberIds' | 'chairId' | 'secretaryId'> | null> {
  const known = new Set((await ws.members(workspaceId)).map((x) => x.accountId));
  const ids = [...new Set([...body.memberIds, ...[body.chairId, body.secretaryId].filter((x): x is string => x !== null)])];
  if (!ids.every((id) => known.has(id))) return null;
  return { memberIds: ids, chairId: body.chairId, secretaryId: body.secretaryId };
}

/** The decision register of a workspace as of today (the server's calendar day). */
export async function workspaceRegister(ws: WorkspaceStore, workspaceId: string): Promise<RegisterEntry[]> {
  const [meetings, councils, executions] = await Promise.all([ws.workspaceMeetings(workspaceId), ws.councils(workspaceId), ws.executions(workspaceId)]);
  return registerEntries(meetings, councils, executions, isoDay(Date.now()));
}

async function meetingView(ws: WorkspaceStore, m: MemberAccess, council: Council, meeting: Meeting): Promise<MeetingView> {
  const members = await ws.members(meeting.workspaceId);
  const name = new Map(members.map((x) => [x.accountId, x.name]));
  const reviewed = new Set(meeting.items.filter((i) => i.kind === 'execution').flatMap((i) => i.reviewed));
  const review = reviewed.size ? (await workspaceRegister(ws, meeting.workspaceId)).filter((e) => reviewed.has(e.decision.id)) : [];
  const ids = [...new Set([...meeting.memberIds, ...council.memberIds])];
  return {
    meeting,
    council,
    members: ids.map((accountId) => ({ accountId, name: name.get(accountId) ?? '' })),
    quorum: quorumView(meeting),
    review,
    canRun: runs(m, council, meeting),
  };
}

/** A live room whose stages are the meeting's agenda items, in order. */
function meetingTemplate(workspace: Workspace, council: Council, meeting: Meeting): SessionTemplate {
  const t = (key: string) => translate(workspace.locale, key);
  const titles = meeting.items.map((i) => i.title || (i.kind === 'execution' ? t('register.reviewItem') : ''));
  return {
    format: TEMPLATE_FORMAT,
    version: TEMPLATE_VERSION,
    method: 'expert-assessment',
    name: council.name,
    description: '',
    locale: workspace.locale,
    groups: 0,
    groupMode: 'assigned',
    dots: { dots: 3, maxPerOption: 2 },
    case: null,
    stages: (titles.length ? titles : [council.name]).map((title) => ({
      key: 'meeting.item',
      title,
      instructions: '',
      plannedMin: 15,
      layout: 'free',
      privateWriting: false,
      showAuthors: true,
    })),
    ballots: [],
  };
}

