import type { DiaryStore } from './diary.js';
import type { InterviewStore } from './interview.js';
import type { ProjectStore } from './projects.js';
import type { WorkspaceStore } from './workspace.js';
import type { TallyRead } from './tallied.js';
import type { SessionDump } from './tables.js';
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
  /**
   * The session version this change was computed from. With `state`, the write happens
   * only while the stored version is still this one; otherwise the commit fails with
   * `VersionConflict` and nothing is written (another node committed first).
   */
  expectedVersion?: number;
  /**
   * Answers tallied while their round was open: the commit fails with `VersionConflict`
   * (`answers`) and writes nothing when the round's stored answers are no longer these.
   */
  tallied?: TallyRead[];
}

/**
 * A commit computed from what is no longer stored: the session moved past `expected`
 * (`version`), or a round it tallied got another answer meanwhile (`answers`).
 */
export class VersionConflict extends Error {
  constructor(
    readonly sessionId: string,
    readonly expected: number,
    readonly reason: 'version' | 'answers' = 'version',
  ) {
    super(reason === 'version' ? `session ${sessionId} is no longer at version ${expected}` : `session ${sessionId}: a tallied round got another answer`);
    this.name = 'VersionConflict';
  }
}

/**
 * An answer or a dot ballot for a round the stored state no longer has open (another
 * node closed it a moment ago); nothing was written.
 */
export class RoundClosed extends Error {
  constructor(readonly sessionId: string, readonly ballotId: string | null, readonly round: number) {
    super(`session ${sessionId}: ${ballotId ? `ballot ${ballotId}` : 'the vote'} is not open in round ${round}`);
    this.name = 'RoundClosed';
  }
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

/**
 * A board as stored: the snapshot and every logged update not folded into it. The log
 * is read whole, not from an id on: on PostgreSQL ids are taken when a transaction
 * starts but become visible when it commits, so a lower id can appear after a higher one.
 */
export interface StoredDoc {
  snapshot: Uint8Array | null;
  updates: Uint8Array[];
  /** The ids of `updates`, in the same order: exactly what a fold of this read may drop. */
  ids: number[];
  /** The snapshot's fold stamp (null: no snapshot yet); a fold applies only on top of the stamp it read. */
  stamp: number | null;
}

/** What a fold covers: the log ids whose updates the snapshot holds, and the snapshot it was computed on. */
export interface Fold {
  ids: number[];
  /** `StoredDoc.stamp` of the snapshot the folded copy was built on. */
  stamp: number | null;
}

/** What became of a request to delete a saved template. */
export type TemplateDeletion = 'deleted' | 'forbidden' | 'missing';

/**
 * Everything Kenes keeps. Every method answers with a promise: SQLite answers at once,
 * PostgreSQL over the network. Callers acknowledge nothing before the promise resolved.
 */
export interface Store {
  createSession(state: SessionState, facilitatorTokenHash: string): Promise<void>;
  sessionIdByCode(code: string): Promise<string | null>;
  loadState(sessionId: string): Promise<SessionState | null>;
  /** The stored state's version alone (null: no such session), to see whether another node moved it on. */
  version(sessionId: string): Promise<number | null>;
  /** Sessions whose state mentions a ballot deadline (Delphi), to re-arm their timers after a restart. */
  sessionsWithDeadlines(): Promise<string[]>;
  commit(c: Commit): Promise<void>;
  findRequest(sessionId: string, actor: string, rid: string): Promise<string | null>;

  addFacilitatorToken(sessionId: string, tokenHash: string): Promise<void>;
  isFacilitator(sessionId: string, tokenHash: string): Promise<boolean>;

  addParticipant(sessionId: string, p: Participant, tokenHash: string): Promise<void>;
  participantByToken(sessionId: string, tokenHash: string): Promise<Participant | null>;
  participants(sessionId: string): Promise<Participant[]>;
  participantCount(sessionId: string): Promise<number>;

  /** Record a dot ballot and its request in one transaction, while the stored vote is open in that round (else `RoundClosed`). */
  putBallot(b: BallotWrite): Promise<void>;
  ballots(sessionId: string, round: number): Promise<Allocation[]>;
  ballot(sessionId: string, round: number, participantId: string): Promise<Allocation | null>;
  ballotCount(sessionId: string, round: number): Promise<number>;

  /**
   * Upsert (or withdraw) an answer and record the request, in one transaction, while the
   * stored state has the ballot open in that round (else `RoundClosed`, writing nothing).
   */
  putAnswer(w: AnswerWrite): Promise<void>;
  answers(sessionId: string, ballotId: string, round: number): Promise<StoredAnswer[]>;
  answerCount(sessionId: string, ballotId: string, round: number): Promise<number>;
  /** The session's random key for hashing anonymous voters; created on first use. */
  ballotSecret(sessionId: string): Promise<Buffer>;

  /** Append one Yjs update; returns its id. */
  appendUpdate(docName: string, update: Uint8Array): Promise<number>;
  loadDoc(docName: string): Promise<StoredDoc>;
  /**
   * Replace the snapshot and drop the updates it covers (`fold.ids`, no other), in one
   * transaction, only while the stored snapshot still carries `fold.stamp`. Resolves to
   * the new stamp, or null, writing nothing, when another fold came first (this one was
   * computed on a snapshot that is gone, so writing it could lose what the other folded).
   */
  compactDoc(docName: string, snapshot: Uint8Array, fold: Fold): Promise<number | null>;

  /** Every session id, oldest first (for copying between stores). */
  sessionIds(): Promise<string[]>;
  /** Every row of one session, table by table (see `tables.ts`); null when there is no such session. */
  dumpSession(sessionId: string): Promise<SessionDump | null>;
  /** Write a dumped session in one transaction; false, writing nothing, when its id is already here. */
  restoreSession(dump: SessionDump): Promise<boolean>;

  /** The reflection diary (see `DiaryStore`). */
  readonly diary: DiaryStore;
  /** The expert interview's answers (see `InterviewStore`). */
  readonly interview: InterviewStore;
  /** Accounts, workspaces, councils, meetings and the decision register (see `WorkspaceStore`). */
  readonly workspaces: WorkspaceStore;
  /** Projects, teachers' portfolios and uploaded files (see `ProjectStore`). */
  readonly projects: ProjectStore;

  /**
   * Keep a session template (its id is new) with the hash of the token that may delete
   * it (null: nobody may, as for templates saved before there were owners).
   */
  saveTemplate(t: SavedTemplate, ownerHash: string | null): Promise<void>;
  template(id: string): Promise<SavedTemplate | null>;
  /** The owner's token hash of a saved template (null: it has none, or there is no such template), for copying between stores. */
  templateOwner(id: string): Promise<string | null>;
  /**
   * Delete a saved template when `ownerHash` is its owner's, in one statement, so a wrong
   * token never deletes whatever happens meanwhile: `forbidden` (another owner, or none)
   * and `missing` write nothing.
   */
  deleteTemplate(id: string, ownerHash: string): Promise<TemplateDeletion>;
  /** Every saved template, newest first. */
  templates(): Promise<SavedTemplate[]>;
  templateCount(): Promise<number>;
  /** A whole session at once (from an archive): state, facilitator token, teachers and boards, in one transaction. */
  importSession(s: SessionImport): Promise<void>;

  close(): Promise<void>;
}
