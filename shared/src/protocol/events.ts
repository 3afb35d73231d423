import type { Command } from '../flow/commands.js';
import type { Allocation, Locale, Participant, SessionState, TemplateId } from '../model/types.js';
import type { ErrorBody } from './errors.js';
import type { StateDiff } from './patch.js';
import type { BallotAnswer, BallotResults } from '../ballots/types.js';

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
  /** s→c (a teacher): who is in their group now, `GroupMates`, after anyone joins or leaves it. */
  mates: 'group.mates',
  /** s→c (facilitators): `{ round, ballots }` ballots cast so far. */
  progress: 'vote.progress',
  /** s→c: `ErrorBody`, for a refused unknown or malformed event without an ack. */
  failure: 'failure',
  /** c→s (teachers) `BallotAnswerRequest`, ack `BallotAnswerAck`. */
  ballotAnswer: 'ballot.answer',
  /** c→s `{ ballotId }`, ack `BallotAnswersAck`: the round's individual answers (facilitators; teachers only for a revealed named ballot). */
  ballotAnswers: 'ballot.answers',
  /** s→c (facilitators): `BallotProgress`, how many answers — never whose. */
  ballotProgress: 'ballot.progress',
  /** s→c (everyone): `LiveResults` of an open ballot whose results are live. */
  ballotResults: 'ballot.results',
  /** s→c (one teacher's tabs): `MyAnswer`, after they answered from another tab. */
  ballotMine: 'ballot.mine',
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
  /** Teachers only: the members of their group (themselves included), for role pickers and the like. */
  mates?: GroupMate[];
  /** Teachers only: their ballot in the current round. */
  ballot?: Allocation | null;
  /** Facilitators and the projector. */
  roster?: Participant[];
  /** Facilitators only. */
  ballots?: number;
  /** Teachers only: their own answers to the open ballots, by ballot id. */
  myAnswers?: Record<string, MyAnswer>;
  /** Teachers only: their answers to the previous round of each open Delphi ballot (round ≥ 2), by ballot id. */
  myPreviousAnswers?: Record<string, MyAnswer>;
  /** Facilitators only: answers so far in each non-draft ballot's current round, by ballot id. */
  answerCounts?: Record<string, number>;
  /** The running tally of each open live ballot, by ballot id. */
  liveResults?: Record<string, BallotResults>;
}

/** A member of a teacher's group, as a groupmate sees them: a name, nothing more. */
export interface GroupMate {
  id: string;
  name: string;
}

export interface GroupMates {
  groupId: string | null;
  members: GroupMate[];
}

/** A teacher's own answer to one round of a ballot. */
export interface MyAnswer {
  ballotId: string;
  round: number;
  answer: BallotAnswer;
}

export interface BallotProgress {
  ballotId: string;
  round: number;
  answers: number;
}

export interface LiveResults {
  ballotId: string;
  round: number;
  results: BallotResults;
}

export interface BallotAnswerRequest {
  rid: string;
  ballotId: string;
  /** null withdraws the answer. */
  answer: BallotAnswer | null;
}

/** `answer`: as stored (normalised), or null after a withdrawal. */
export type BallotAnswerAck = Ack<{ ballotId: string; round: number; answer: BallotAnswer | null }>;

/** One answer in a facilitator's list; `expert` matches the numbering in the results' agreement. */
export interface ListedAnswer {
  expert: number;
  /** Absent for anonymous ballots. */
  participantId?: string;
  name?: string;
  answer: BallotAnswer;
}

export type BallotAnswersAck = Ack<{ ballotId: string; round: number; answers: ListedAnswer[] }>;

/** What changed in SessionState (see StateDiff), taking a client from `from` to `version`. */
export interface StatePatch extends StateDiff {
  from: number;
  version: number;
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
