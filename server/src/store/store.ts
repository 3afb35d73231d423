import type { Allocation, Assignment, Participant, SessionState } from '@kenes/shared';

/** A change accepted by the rules, written in one transaction before it is acknowledged. */
export interface Commit {
  sessionId: string;
  state?: SessionState;
  assign?: Assignment[];
  /** Groups that no longer exist: their members become ungrouped unless `assign` places them. */
  dissolved?: string[];
  /** The idempotency record: a repeat of `rid` by `actor` is answered with `response`. */
  request?: RequestRecord;
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

  /** Append one Yjs update; returns its id. */
  appendUpdate(docName: string, update: Uint8Array): number;
  loadDoc(docName: string): StoredDoc;
  /** Replace the snapshot and drop the updates it covers. */
  compactDoc(docName: string, snapshot: Uint8Array, uptoId: number): void;

  close(): void;
}
