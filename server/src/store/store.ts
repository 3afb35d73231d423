import type { DiaryStore } from './diary.js';
import type { Allocation, Assignment, BallotAnswer, Participant, SavedTemplate, SessionState } from '@kenes/shared';

/** A change accepted by the rules, written in one transaction before it is acknowledged. */
export interface Commit {
  sessionId: string;
  state?: SessionState;
  assign?: Assignment[];
  /** Groups that no longer exist: their members become ungrouped unless `assign` places them. */
  dissolved?: string[];
  /** The idempotency record: a repeat of `rid` by `actor` is answered with `response`. */
  request?: RequestRecord;
  /** Deleted general ballots: every stored answer of theirs goes in the same transaction. */
  deleteBallots?: string[];
}

export interface RequestRecord {
  actor: string;
  rid: string;
  response: string;
}

export interface BallotWrite {
  sessionId: string;
  round: number;
  participantId: string;
  allocation: Allocation;
  request: RequestRecord;
}

/** One teacher's answer to one round of a general ballot (upserted per voter and round). */
export interface AnswerWrite {
  sessionId: string;
  ballotId: string;
  round: number;
  /** The participant id, or for an anonymous ballot a keyed hash that no stored data links to a name. */
  voter: string;
  /** Null for anonymous ballots. */
  participantId: string | null;
  /** Null withdraws the answer (the row is deleted). */
  answer: BallotAnswer | null;
  /** Null for anonymous ballots, so not even timing links an answer to other records. */
  at: number | null;
  request: RequestRecord;
}

export interface StoredAnswer {
  voter: string;
  participantId: string | null;
  answer: BallotAnswer;
}

/** A session rebuilt from its archive, written all or nothing. */
export interface SessionImport {
  state: SessionState;
  facilitatorTokenHash: string;
  /** Each teacher with the hash of a token nobody holds: they are on the roster but cannot sign in. */
  participants: { participant: Participant; tokenHash: string }[];
  /** Each board's whole document as one Yjs update, stored as its snapshot. */
  docs: { name: string; snapshot: Uint8Array }[];
}

export interface StoredDoc {
  snapshot: Uint8Array | null;
  updates: Uint8Array[];
  /** Id of the last update read, for compaction. */
  lastId: number;
}

/**
 * Everything Kenes keeps. Synchronous on purpose: the embedded default (SQLite)
 * answers in microseconds, and "written, then acknowledged" stays trivially true.
 */
export interface Store {
  createSession(state: SessionState, facilitatorTokenHash: string): void;
  sessionIdByCode(code: string): string | null;
  loadState(sessionId: string): SessionState | null;
  /** Sessions whose state mentions a ballot deadline (Delphi), to re-arm their timers after a restart. */
  sessionsWithDeadlines(): string[];
  commit(c: Commit): void;
  findRequest(sessionId: string, actor: string, rid: string): string | null;

  addFacilitatorToken(sessionId: string, tokenHash: string): void;
  isFacilitator(sessionId: string, tokenHash: string): boolean;

  addParticipant(sessionId: string, p: Participant, tokenHash: string): void;
  participantByToken(sessionId: string, tokenHash: string): Participant | null;
  participants(sessionId: string): Participant[];
  participantCount(sessionId: string): number;

  putBallot(b: BallotWrite): void;
  ballots(sessionId: string, round: number): Allocation[];
  ballot(sessionId: string, round: number, participantId: string): Allocation | null;
  ballotCount(sessionId: string, round: number): number;

  /** Upsert (or withdraw) an answer and record the request, in one transaction. */
  putAnswer(w: AnswerWrite): void;
  answers(sessionId: string, ballotId: string, round: number): StoredAnswer[];
  answerCount(sessionId: string, ballotId: string, round: number): number;
  /** The session's random key for hashing anonymous voters; created on first use. */
  ballotSecret(sessionId: string): Buffer;

  /** Append one Yjs update; returns its id. */
  appendUpdate(docName: string, update: Uint8Array): number;
  loadDoc(docName: string): StoredDoc;
  /** Replace the snapshot and drop the updates it covers. */
  compactDoc(docName: string, snapshot: Uint8Array, uptoId: number): void;

  /** The reflection diary (see `DiaryStore`). */
  readonly diary: DiaryStore;

  /** Keep a session template (its id is new). */
  saveTemplate(t: SavedTemplate): Promise<void>;
  template(id: string): Promise<SavedTemplate | null>;
  /** Every saved template, newest first. */
  templates(): Promise<SavedTemplate[]>;
  templateCount(): Promise<number>;
  /** A whole session at once (from an archive): state, facilitator token, teachers and boards, in one transaction. */
  importSession(s: SessionImport): Promise<void>;

  close(): void;
}
