import type { FastifyReply } from 'fastify';
import type { ErrorCode } from '@kenes/shared';
import { errorBody } from '../realtime/hub.js';

export function sendError(reply: FastifyReply, status: number, code: ErrorCode) {
  return reply.code(status).send({ error: errorBody(code) });
}
