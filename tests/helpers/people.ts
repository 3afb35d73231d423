import WebSocket from 'ws';
import { createSession, joinSession, openBoard, SessionClient, type BoardConnection } from '@kenes/shared/client';
import type { CreatedSession, CreateSessionBody } from '@kenes/shared';

export interface Facilitator {
  created: CreatedSession;
  client: SessionClient;
}

export interface Teacher {
  name: string;
  participantId: string;
  sessionId: string;
  token: string;
  client: SessionClient;
}

export async function newFacilitator(url: string, body: Partial<CreateSessionBody> = {}): Promise<Facilitator> {
  const created = await createSession(url, { title: 'Кейс', template: 'case-method', locale: 'ru', ...body });
  const client = new SessionClient({ url, code: created.code, token: created.facilitatorToken });
  await client.ready();
  return { created, client };
}

export async function newTeacher(url: string, code: string, name: string): Promise<Teacher> {
  const joined = await joinSession(url, code, name);
  const client = new SessionClient({ url, code, token: joined.token });
  await client.ready();
  return { name, ...joined, client };
}

/** Reconnect as an already-joined teacher, as a reloaded tab would. */
export async function rejoin(url: string, code: string, t: Teacher): Promise<Teacher> {
  const client = new SessionClient({ url, code, token: t.token });
  await client.ready();
  return { ...t, client };
}

export function board(url: string, sessionId: string, boardId: string, token?: string): BoardConnection {
  return openBoard({ url, sessionId, boardId, token, WebSocketPolyfill: WebSocket });
}
