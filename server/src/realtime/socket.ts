import type { Server as HttpServer } from 'node:http';
import { Server, type ServerOptions, type Socket } from 'socket.io';
import { EVENTS, normalizeCode, type ErrorCode } from '@kenes/shared';
import { commandRequestSchema, commandSchema, inviteSchema, pingSchema, voteRequestSchema } from '@kenes/shared/schemas';
import { ballotAnswerRequestSchema, ballotAnswersRequestSchema } from '@kenes/shared/schemas';
import { publicOrigin, type LinkOptions } from '../http/origin.js';
import type { MissLimiter } from '../http/ratelimit.js';
import type { Inflight } from '../ops/inflight.js';
import { OTHER, type Metrics } from '../ops/metrics.js';
import type { Logger } from '../ops/logger.js';
import { channels, type Broadcaster } from './broadcaster.js';
import { errorBody, type Identity, type SessionHub } from './hub.js';
import type { Room } from './room.js';
import { StoreUnavailable } from '../store/guard.js';

interface SocketData {
  room: Room;
  who: Identity;
  joinOrigin: string;
}

type Ack = (answer: unknown) => void;

/** Socket.IO payloads are small commands; a pasted case is the largest. */
const MAX_MESSAGE_BYTES = 256 * 1024;

/** What the handlers report to: logs, metrics, and the count of requests in flight (for a graceful shutdown). */
export interface SocketOps {
  log: Logger;
  metrics: Metrics;
  inflight: Inflight;
}

const COMMAND_TYPES = new Set<string>(commandSchema.options.map((o) => o.shape.type.value));

/**
 * `wsEngine`: the ws server class engine.io should use (one that keeps its sockets, for a going-away close).
 * `adapter`: across nodes in cluster mode (server/src/cluster); Socket.IO's in-memory one otherwise.
 */
export function createSocketServer(http: HttpServer, wsEngine?: unknown, adapter?: ServerOptions['adapter']): Server {
  return new Server(http, {
    ...(wsEngine ? { wsEngine } : {}),
    ...(adapter && { adapter }),
    // The upgrade router hands /socket.io to engine.io and /yjs to the Yjs endpoint.
    destroyUpgrade: false,
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    serveClient: false,
    cors: { origin: true },
  });
}

export function socketBroadcaster(io: Server): Broadcaster {
  return {
    toSession: (id, event, payload) => io.to(channels.session(id)).emit(event, payload),
    toStaff: (id, event, payload) => io.to(channels.staff(id)).emit(event, payload),
    toFacilitators: (id, event, payload) => io.to(channels.facilitators(id)).emit(event, payload),
    toParticipant: (id, pid, event, payload) => io.to(channels.participant(id, pid)).emit(event, payload),
  };
}

const refusal = (code: ErrorCode) => Object.assign(new Error(code), { data: errorBody(code) });

export function attachHandlers(io: Server, hub: SessionHub, limiter: MissLimiter, links: LinkOptions, ops: SocketOps): void {
  const refused = (code: ErrorCode) => {
    ops.log.info({ code }, 'socket refused');
    return refusal(code);
  };
  io.use((socket, next) => {
    const address = socket.handshake.address;
    const auth = socket.handshake.auth as { code?: unknown; token?: unknown };
    if (limiter.blocked(address)) return next(refused('rate_limited'));
    const code = typeof auth.code === 'string' ? normalizeCode(auth.code) : '';
    const token = typeof auth.token === 'string' && auth.token.length <= 100 ? auth.token : undefined;
    const admit = async (): Promise<ErrorCode | null> => {
      const room = code ? await hub.byCode(code) : null;
      if (!room) {
        limiter.miss(address);
        return 'not_found';
      }
      const who = await hub.identify(room, token);
      if (!who) return 'unauthorized';
      const secure = (socket.handshake as { secure?: boolean }).secure === true;
      const joinOrigin = publicOrigin(links, secure ? 'https' : 'http', socket.handshake.headers.host);
      (socket.data as SocketData) = { room, who, joinOrigin };
      return null;
    };
    admit().then(
      (problem) => next(problem ? refused(problem) : undefined),
      (err: unknown) => {
        const code = failureCode(err);
        ops.log.error({ err }, 'socket admission failed');
        next(refused(code));
      },
    );
  });

  io.on('connection', (socket) => {
    const { room, who, joinOrigin } = socket.data as SocketData;
    void socket.join(roomsFor(room.id, who));
    if (who.role === 'participant') hub.connected(room, who.participantId);
    const log = ops.log.child({ session: room.id, role: who.role });
    hub.welcome(room, who).then(
      (welcome) => socket.emit(EVENTS.welcome, { ...welcome, joinOrigin }),
      // Without its snapshot a screen cannot start: drop it, and it reconnects.
      (err: unknown) => {
        log.error({ err, code: failureCode(err) }, 'welcome failed');
        socket.disconnect(true);
      },
    );
    register(socket, room, who, hub, joinOrigin, ops);
    log.info({ transport: socket.conn.transport.name }, 'socket connected');
    socket.on('disconnect', (reason) => {
      if (who.role === 'participant') hub.disconnected(room, who.participantId);
      log.info({ reason }, 'socket disconnected');
    });
  });
}

function roomsFor(sessionId: string, who: Identity): string[] {
  const rooms = [channels.session(sessionId)];
  if (who.role !== 'participant') rooms.push(channels.staff(sessionId));
  if (who.role === 'facilitator') rooms.push(channels.facilitators(sessionId));
  if (who.role === 'participant') rooms.push(channels.participant(sessionId, who.participantId));
  return rooms;
}

function register(socket: Socket, room: Room, who: Identity, hub: SessionHub, joinOrigin: string, ops: SocketOps): void {
  const handlers: Record<string, (payload: unknown) => unknown> = {
    [EVENTS.ping]: (payload) => {
      pingSchema.parse(payload);
      return { t1: Date.now() };
    },
    [EVENTS.sync]: async () => ({ ...(await hub.welcome(room, who)), joinOrigin }),
    [EVENTS.command]: (payload) => {
      const { rid, cmd } = commandRequestSchema.parse(payload);
      return hub.command(room, who, rid, cmd);
    },
    [EVENTS.vote]: (payload) => {
      const { rid, allocation } = voteRequestSchema.parse(payload);
      if (who.role !== 'participant') return { ok: false, error: errorBody('forbidden') };
      return hub.vote(room, who.participantId, rid, allocation);
    },
    [EVENTS.ballotAnswer]: (payload) => {
      const { rid, ballotId, answer } = ballotAnswerRequestSchema.parse(payload);
      if (who.role !== 'participant' || !who.voterKey) return { ok: false, error: errorBody('forbidden') };
      return hub.ballots.answer(room, { participantId: who.participantId, voterKey: who.voterKey }, rid, ballotId, answer);
    },
    [EVENTS.ballotAnswers]: (payload) => {
      const { ballotId } = ballotAnswersRequestSchema.parse(payload);
      return hub.ballots.list(room, who.role, ballotId);
    },
    [EVENTS.invite]: (payload) => {
      inviteSchema.parse(payload);
      if (who.role !== 'facilitator') return { ok: false, error: errorBody('forbidden') };
      return hub.inviteFacilitator(room).then((token) => ({ ok: true, token }));
    },
    ...hub.diary.handlers(room, who),
    ...hub.interview.handlers(room, who),
  };

  // One entry point for every event, so an unknown one is refused rather than ignored.
  // Handlers are called at once, in arrival order (each queues its work in the room's turn);
  // the ack goes out only when the answer, and so every write it needed, is settled.
  socket.onAny((event: string, ...args: unknown[]) => {
    const ack = typeof args[args.length - 1] === 'function' ? (args.pop() as Ack) : null;
    const reply = (answer: unknown) => (ack ? ack(answer) : socket.emit(EVENTS.failure, (answer as { error?: unknown }).error));
    const handler = Object.hasOwn(handlers, event) ? handlers[event] : undefined;
    const name = handler ? event : OTHER;
    ops.metrics.eventReceived(name);
    // Without an ack a refusal still reaches the sender, as a failure event.
    const finish = (answer: unknown) => {
      if (report(ops, room, who, name, args[0], answer) !== 'ok' || ack) reply(answer);
    };
    const fail = (err: unknown) => {
      const code = failureCode(err);
      if (code !== 'bad_request') ops.log.error({ err, session: room.id, on: name }, 'event handler failed');
      finish({ ok: false, error: errorBody(code) });
    };
    if (!handler) return finish({ ok: false, error: errorBody('unknown_event') });
    try {
      // Answers are promises when they wait for the store: the ack goes out once they settle.
      const answer = ops.inflight.track(() => ops.metrics.arrived(() => handler(args[0])));
      if (answer instanceof Promise) answer.then(finish, fail);
      else finish(answer);
    } catch (err) {
      fail(err);
    }
  });
}

/** Count an answer and log a refusal (codes only, never the payload); returns `ok` or the error code. */
function report(ops: SocketOps, room: Room, who: Identity, event: string, payload: unknown, answer: unknown): string {
  const error = (answer as { error?: { code?: unknown } } | null)?.error;
  const outcome = typeof error?.code === 'string' ? error.code : 'ok';
  ops.metrics.answered(event, outcome);
  let type: string | undefined;
  if (event === EVENTS.command) {
    const sent = (payload as { cmd?: { type?: unknown } } | null)?.cmd?.type;
    type = typeof sent === 'string' && COMMAND_TYPES.has(sent) ? sent : 'invalid';
    ops.metrics.command(type, outcome);
  }
  if (outcome !== 'ok') ops.log.info({ session: room.id, role: who.role, on: event, type, code: outcome }, 'request refused');
  return outcome;
}

/** The error code for a failed request: a bad payload, the store out of reach, or a fault. */
function failureCode(err: unknown): ErrorCode {
  if ((err as { name?: string }).name === 'ZodError') return 'bad_request';
  return err instanceof StoreUnavailable ? 'unavailable' : 'internal';
}
