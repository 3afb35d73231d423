import type { Command } from '../flow/commands.js';
import type { Allocation, Locale, Participant, SessionState, TemplateId } from '../model/types.js';
import type { ErrorBody } from './errors.js';

/** Socket.IO event names. Anything else a client emits is refused with `unknown_event`. */
export const EVENTS = {
  /** c→s `{ rid, cmd }`, ack `CommandAck`. */
  command: 'command',
  /** c→s `{ rid, allocation }`, ack `VoteAck`. */
  vote: 'vote.cast',
  /** c→s `{ t0 }`, ack `{ t1 }` (server clock). */
  ping: 'time.ping',
  /** c→s `{}`, ack `Welcome`: a full snapshot, for a client that fell behind. */
  sync: 'sync',
  /** c→s `{ rid }` (facilitator), ack `{ ok, token }`: a co-facilitator token. */
  invite: 'facilitator.invite',
  /** s→c on connect: `Welcome`. */
  welcome: 'welcome',
  /** s→c after each change: `StatePatch`. */
  patch: 'state.patch',
  /** s→c (facilitators, projector): `RosterPatch`. */
  roster: 'roster.patch',
  /** s→c (a teacher): their own participant record, `Participant`. */
  me: 'me',
  /** s→c (facilitators): `{ round, ballots }` ballots cast so far. */
  progress: 'vote.progress',
  /** s→c: `ErrorBody`, for a refused unknown or malformed event without an ack. */
  failure: 'failure',
} as const;

export type Role = 'facilitator' | 'participant' | 'screen';

/** What the Socket.IO handshake carries in `auth`. */
export interface HandshakeAuth {
  code: string;
  token?: string;
}

export interface Welcome {
  role: Role;
  state: SessionState;
  serverTime: number;
  /** The origin teachers should open (the LAN address when the facilitator browses on localhost). */
  joinOrigin?: string;
  /** Teachers only. */
  me?: Participant;
  /** Teachers only: their ballot in the current round. */
  ballot?: Allocation | null;
  /** Facilitators and the projector. */
  roster?: Participant[];
  /** Facilitators only. */
  ballots?: number;
}

/** Top-level keys of SessionState that changed, taking a client from `from` to `version`. */
export interface StatePatch {
  from: number;
  version: number;
  set: Partial<SessionState>;
}

export interface RosterPatch {
  upsert: Participant[];
  remove: string[];
}

export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: ErrorBody };
export type CommandAck = Ack<{ version: number }>;
export type VoteAck = Ack<{ ballot: Allocation }>;

export interface CommandRequest {
  rid: string;
  cmd: Command;
}

export interface VoteRequest {
  rid: string;
  allocation: Allocation;
}

/** HTTP bodies. */
export interface CreateSessionBody {
  title: string;
  template: TemplateId;
  locale: Locale;
  facilitator?: string;
}

export interface CreatedSession {
  id: string;
  code: string;
  facilitatorToken: string;
  joinUrl: string;
  screenUrl: string;
  facilitatorUrl: string;
}

export interface SessionSummary {
  code: string;
  title: string;
  locale: Locale;
  template: TemplateId;
  stage: { index: number; id: string; title: string };
  participants: number;
}

export interface JoinBody {
  name: string;
}

export interface Joined {
  sessionId: string;
  participantId: string;
  token: string;
}
