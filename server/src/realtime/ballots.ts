import { createHmac } from 'node:crypto';
import {
  answerProblem,
  ballotById,
  EVENTS,
  normalizeAnswer,
  tallyBallot,
  translate,
  type AnswerRecord,
  type BallotAnswer,
  type BallotAnswerAck,
  type BallotAnswersAck,
  type BallotDef,
  type BallotProgress,
  type BallotResults,
  type ErrorCode,
  type ListedAnswer,
  type LiveResults,
  type MyAnswer,
  type SessionState,
  type Welcome,
} from '@kenes/shared';
import { RoundClosed, type Store } from '../store/store.js';
import type { Broadcaster } from './broadcaster.js';
import { unavailableOr } from './hub.js';
import type { Room } from './room.js';

/** How often, at most, a busy ballot's answer count and live tally are recomputed and sent. */
export const BALLOT_FLUSH_MS = 250;
const MAX_FLUSH_MS = 5000;

/** Who is answering: the participant, and the seed of their anonymous keys (from `voterKey`, in memory only). */
export interface Voter {
  participantId: string;
  voterKey: string;
}

interface Cached {
  voter: string;
  participantId: string | null;
  answer: BallotAnswer;
}

interface Tick {
  timer: NodeJS.Timeout | null;
  dirty: Set<string>;
  /** Wait before the next flush: 250 ms, or ten times what the last flush cost (capped at 5 s). */
  delay: number;
}

const refuse = (code: ErrorCode) => ({ ok: false as const, error: { code, message: translate('en', `error.${code}`) } });
const byVoter = (a: { voter: string }, b: { voter: string }) => (a.voter < b.voter ? -1 : a.voter > b.voter ? 1 : 0);

/**
 * The server side of the general ballots: answers in, counts and live tallies out.
 *
 * Answers are validated with the rules of @kenes/shared, written (upsert per voter
 * and round, with the request record) in one transaction, then acknowledged; they
 * are never sent to anyone but their author. The answers of each open ballot's round
 * are also held in memory, so a count or a live tally never reads the database: a
 * burst of answers marks the ballot dirty, and at most every 250 ms (longer when a
 * tally is costly, see `Tick.delay`) the facilitators get the count and, for a live
 * ballot, everyone gets the tally recomputed from memory.
 */
export class BallotDesk {
  private readonly secrets = new Map<string, Buffer>();
  /** `${sessionId} ${ballotId} ${round}` → voter → answer; only for open ballots. */
  private readonly cache = new Map<string, Map<string, Cached>>();
  /** Same key → the last live tally sent, for welcomes. */
  private readonly live = new Map<string, BallotResults>();
  private readonly ticks = new Map<string, Tick>();
  /** Same key → a load of the round's answers on its way, and the answers written meanwhile. */
  private readonly loading = new Map<string, { promise: Promise<Map<string, Cached>>; writes: Map<string, Cached | null> }>();
  /**
   * Several nodes take answers (cluster mode): the tallies that decide results read the
   * store, since memory may lag another node's answers by a message.
   */
  shared = false;
  /** Told after an answer is stored, so other nodes drop what they hold (cluster mode). */
  answered: (room: Room, ballotId: string) => void = () => {};
  /** In the room's turn: reload the room when another node moved it on; true when it did (set by the hub). */
  behind: (room: Room) => Promise<boolean> = async () => false;

  constructor(
    private readonly store: Store,
    private readonly out: Broadcaster,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * A teacher's voter seed: HMAC-SHA256 of their token under the session's random
   * secret. Kept in memory with the connection, never stored. The database holds the
   * secret but only a SHA-256 of the token, so nobody with the database alone can
   * recompute it — yet the same teacher always gets the same seed, so they can
   * change their answer.
   */
  async voterKey(sessionId: string, token: string): Promise<string> {
    let secret = this.secrets.get(sessionId);
    if (!secret) {
      secret = await this.store.ballotSecret(sessionId);
      this.secrets.set(sessionId, secret);
    }
    return createHmac('sha256', secret).update(token).digest('base64url');
  }

  /**
   * The key a teacher's answers to one ballot (every round) and their request records
   * are stored under: an HMAC of the ballot id under the voter seed. One key per
   * ballot, so answers to different ballots cannot be joined into one pseudonym, and
   * the request record of a named answer reveals nothing about the anonymous ones.
   */
  ballotKey(voter: Voter, ballotId: string): string {
    return `h:${createHmac('sha256', voter.voterKey).update(ballotId).digest('base64url')}`;
  }

  /** Record an answer in the room's turn (see `Room.serial`); a store failure answers `unavailable`. */
  answer(room: Room, who: Voter, rid: string, ballotId: string, answer: BallotAnswer | null): Promise<BallotAnswerAck> {
    return room.serial.run(() => this.answerInTurn(room, who, rid, ballotId, answer)).catch(unavailableOr);
  }

  private async answerInTurn(room: Room, who: Voter, rid: string, ballotId: string, answer: BallotAnswer | null): Promise<BallotAnswerAck> {
    // Requests are recorded under the ballot key, so even the idempotency log names nobody.
    const actor = this.ballotKey(who, ballotId);
    const seen = await this.store.findRequest(room.id, actor, rid);
    if (seen) return JSON.parse(seen) as BallotAnswerAck;
    for (let attempt = 0; ; attempt++) {
      const problem = this.problem(room, ballotId, answer);
      const def = ballotById(room.state, ballotId);
      if (problem || !def) {
        // Refused by this node's copy: another node may have opened the ballot a moment ago.
        if (attempt === 0 && (await this.behind(room))) continue;
        return refuse(problem ?? 'unknown_ballot');
      }
      try {
        return await this.write(room, who, rid, actor, def, answer);
      } catch (err) {
        // Another node closed the round a moment ago (never acknowledged, so never missing from its tally).
        if (!(err instanceof RoundClosed)) throw err;
        if (attempt === 0 && (await this.behind(room))) continue;
        return refuse('ballot_not_open');
      }
    }
  }

  /** Store an answer the rules accepted, then update memory and tell the teacher's other tabs. */
  private async write(room: Room, who: Voter, rid: string, actor: string, def: BallotDef, answer: BallotAnswer | null): Promise<BallotAnswerAck> {
    const ballotId = def.id;
    const anonymous = def.privacy === 'anonymous';
    const voter = anonymous ? actor : who.participantId;
    const stored = answer && normalizeAnswer(def, answer);
    const ack: BallotAnswerAck = { ok: true, ballotId, round: def.round, answer: stored };
    await this.store.putAnswer({
      sessionId: room.id,
      ballotId,
      round: def.round,
      voter,
      participantId: anonymous ? null : who.participantId,
      answer: stored,
      at: anonymous ? null : this.now(),
      request: { actor, rid, response: JSON.stringify(ack) },
    });
    const row = stored && { voter, participantId: anonymous ? null : who.participantId, answer: stored };
    const k = key(room.id, def);
    const cached = this.cache.get(k);
    if (cached) {
      if (row) cached.set(voter, row);
      else cached.delete(voter);
    } else this.loading.get(k)?.writes.set(voter, row);
    this.markDirty(room, ballotId);
    this.answered(room, ballotId);
    // The teacher's other tabs; nobody else ever receives an answer.
    const mine: MyAnswer | { ballotId: string; round: number; answer: null } = { ballotId, round: def.round, answer: stored };
    this.out.toParticipant(room.id, who.participantId, EVENTS.ballotMine, mine);
    return ack;
  }

  /** Why an answer (or a withdrawal, `null`) is refused by the room's state now, or null. */
  private problem(room: Room, ballotId: string, answer: BallotAnswer | null): ErrorCode | null {
    const def = ballotById(room.state, ballotId);
    const problem = answer ? answerProblem(room.state, ballotId, answer) : !def ? 'unknown_ballot' : def.status !== 'open' ? 'ballot_not_open' : null;
    if (problem) return problem;
    // A Delphi round past its deadline takes no more answers, even before its timer closes it.
    if (def?.delphi?.deadline !== undefined && this.now() >= def.delphi.deadline) return 'ballot_not_open';
    return null;
  }

  /** Every answer of a round, in voter-key order (the order of the tally's expert numbers). */
  async records(room: Room, ballotId: string, round: number): Promise<AnswerRecord[]> {
    return (await this.rows(room.id, ballotId, round)).map(({ voter, answer }) => ({ voter, answer }));
  }

  /** What a (re)connecting screen needs about ballots, by role. */
  async welcome(room: Room, role: Welcome['role'], voter?: Voter): Promise<Partial<Welcome>> {
    const open = room.state.ballots.filter((b) => b.status === 'open');
    const liveResults: Record<string, BallotResults> = {};
    for (const def of open) {
      if (def.visibility !== 'live') continue;
      const k = key(room.id, def);
      let results = this.live.get(k);
      if (!results) {
        results = tallyBallot(def, await this.records(room, def.id, def.round));
        this.live.set(k, results);
      }
      liveResults[def.id] = results;
    }
    const extras: Partial<Welcome> = { liveResults };
    if (role === 'participant' && voter) {
      const myAnswers: Record<string, MyAnswer> = {};
      // Closed and revealed ballots too: a reloaded page shows what the teacher answered.
      for (const def of room.state.ballots.filter((b) => b.status !== 'draft')) {
        const mine = (await this.loaded(room.id, def)).get(def.privacy === 'anonymous' ? this.ballotKey(voter, def.id) : voter.participantId);
        if (mine) myAnswers[def.id] = { ballotId: def.id, round: def.round, answer: mine.answer };
      }
      extras.myAnswers = myAnswers;
      // Delphi: the teacher's own answer to the previous round, for the feedback beside the group median and IQR.
      const myPreviousAnswers: Record<string, MyAnswer> = {};
      for (const def of open) {
        if (!def.delphi || def.round < 2) continue;
        const me = def.privacy === 'anonymous' ? this.ballotKey(voter, def.id) : voter.participantId;
        const prev = (await this.store.answers(room.id, def.id, def.round - 1)).find((r) => r.voter === me);
        if (prev) myPreviousAnswers[def.id] = { ballotId: def.id, round: def.round - 1, answer: prev.answer };
      }
      extras.myPreviousAnswers = myPreviousAnswers;
    }
    if (role === 'facilitator') {
      const answerCounts: Record<string, number> = {};
      for (const def of room.state.ballots) if (def.status !== 'draft') answerCounts[def.id] = await this.count(room.id, def);
      extras.answerCounts = answerCounts;
    }
    return extras;
  }

  /**
   * The individual answers of a ballot's current round, numbered as the experts in
   * its results. Facilitators: any ballot past its draft, with names unless it is
   * anonymous. Teachers: only a revealed `named` ballot. Nobody else.
   */
  async list(room: Room, role: Welcome['role'], ballotId: string): Promise<BallotAnswersAck> {
    const def = ballotById(room.state, ballotId);
    if (!def) return refuse('unknown_ballot');
    const allowed = role === 'facilitator' || (role === 'participant' && def.privacy === 'named' && def.status === 'revealed');
    if (!allowed) return refuse('forbidden');
    if (def.status === 'draft') return refuse('ballot_not_open');
    const answers: ListedAnswer[] = (await this.rows(room.id, def.id, def.round)).map((r, i) => {
      const listed: ListedAnswer = { expert: i + 1, answer: r.answer };
      if (def.privacy !== 'anonymous' && r.participantId) {
        listed.participantId = r.participantId;
        listed.name = room.roster.get(r.participantId)?.name ?? '';
      }
      return listed;
    });
    return { ok: true, ballotId, round: def.round, answers };
  }

  /**
   * After a committed command: ballots that opened (or reopened, or began a round)
   * get their count and live tally sent; ballots that closed, were revealed or
   * deleted leave memory.
   */
  afterCommand(room: Room, before: SessionState, after: SessionState): void {
    if (before.ballots === after.ballots) return;
    const prior = new Map(before.ballots.map((b) => [b.id, b]));
    const current = new Set(after.ballots.map((b) => b.id));
    for (const def of after.ballots) {
      const was = prior.get(def.id);
      if (was && was.status === def.status && was.round === def.round) continue;
      if (was) this.forget(room.id, was);
      if (def.status === 'open') this.markDirty(room, def.id);
      else if (def.status !== 'draft') void this.sendProgress(room, def);
    }
    for (const was of before.ballots) if (!current.has(was.id)) this.forget(room.id, was);
  }

  /** Forget a session's answers held in memory: another node changed them; the next read reloads. */
  invalidate(sessionId: string): void {
    for (const map of [this.cache, this.live, this.loading]) {
      for (const k of [...map.keys()]) if (k.startsWith(`${sessionId} `)) map.delete(k);
    }
  }

  close(): void {
    for (const tick of this.ticks.values()) if (tick.timer) clearTimeout(tick.timer);
    this.ticks.clear();
  }

  private async rows(sessionId: string, ballotId: string, round: number): Promise<Cached[]> {
    const key_ = `${sessionId} ${ballotId} ${round}`;
    const cached = this.shared ? undefined : this.cache.get(key_);
    const rows = cached ? [...cached.values()] : await this.store.answers(sessionId, ballotId, round);
    return rows.sort(byVoter);
  }

  /**
   * The in-memory answers of an open ballot's round, loaded from the store once. Answers
   * written while the load is on its way are laid over what it read, so none is missed.
   */
  private loaded(sessionId: string, def: BallotDef): Promise<Map<string, Cached>> {
    const k = key(sessionId, def);
    const cached = this.cache.get(k);
    if (cached) return Promise.resolve(cached);
    const pending = this.loading.get(k);
    if (pending) return pending.promise;
    const writes = new Map<string, Cached | null>();
    const promise = this.store.answers(sessionId, def.id, def.round).then(
      (rows) => {
        // A ballot closed or deleted meanwhile was forgotten: its answers are not kept.
        const current = this.loading.get(k)?.promise === promise;
        if (current) this.loading.delete(k);
        const map = new Map(rows.map((r) => [r.voter, r]));
        for (const [voter, row] of writes) {
          if (row) map.set(voter, row);
          else map.delete(voter);
        }
        if (current && def.status === 'open') this.cache.set(k, map);
        return map;
      },
      (err: unknown) => {
        if (this.loading.get(k)?.promise === promise) this.loading.delete(k);
        throw err;
      },
    );
    this.loading.set(k, { promise, writes });
    return promise;
  }

  private async count(sessionId: string, def: BallotDef): Promise<number> {
    return this.cache.get(key(sessionId, def))?.size ?? this.store.answerCount(sessionId, def.id, def.round);
  }

  private forget(sessionId: string, def: BallotDef): void {
    this.cache.delete(key(sessionId, def));
    this.loading.delete(key(sessionId, def));
    this.live.delete(key(sessionId, def));
  }

  private markDirty(room: Room, ballotId: string): void {
    let tick = this.ticks.get(room.id);
    if (!tick) {
      tick = { timer: null, dirty: new Set(), delay: BALLOT_FLUSH_MS };
      this.ticks.set(room.id, tick);
    }
    tick.dirty.add(ballotId);
    tick.timer ??= setTimeout(() => this.flush(room), tick.delay);
  }

  private flush(room: Room): void {
    const tick = this.ticks.get(room.id);
    if (!tick) return;
    tick.timer = null;
    const dirty = [...tick.dirty];
    tick.dirty.clear();
    this.flushBallots(room, tick, dirty).catch((err: unknown) => console.error(err));
  }

  private async flushBallots(room: Room, tick: Tick, dirty: string[]): Promise<void> {
    let spent = 0;
    for (const ballotId of dirty) {
      const def = ballotById(room.state, ballotId);
      if (!def) continue;
      await this.sendProgress(room, def);
      if (def.status !== 'open' || def.visibility !== 'live') continue;
      const records = await this.recordsOf(room.id, def);
      const started = performance.now();
      const results = tallyBallot(def, records);
      spent += performance.now() - started;
      this.live.set(key(room.id, def), results);
      const payload: LiveResults = { ballotId, round: def.round, results };
      this.out.toSession(room.id, EVENTS.ballotResults, payload);
    }
    // A tally of thousands of expert matrices can take tens of milliseconds: never spend
    // more than about a tenth of the time on live results, whatever the load.
    tick.delay = Math.min(MAX_FLUSH_MS, Math.max(BALLOT_FLUSH_MS, spent * 10));
  }

  private async recordsOf(sessionId: string, def: BallotDef): Promise<AnswerRecord[]> {
    return [...(await this.loaded(sessionId, def)).values()].map(({ voter, answer }) => ({ voter, answer }));
  }

  private async sendProgress(room: Room, def: BallotDef): Promise<void> {
    try {
      const answers = def.status === 'open' ? (await this.loaded(room.id, def)).size : await this.count(room.id, def);
      const progress: BallotProgress = { ballotId: def.id, round: def.round, answers };
      this.out.toFacilitators(room.id, EVENTS.ballotProgress, progress);
    } catch (err) {
      console.error(err);
    }
  }
}

function key(sessionId: string, def: BallotDef): string {
  return `${sessionId} ${def.id} ${def.round}`;
}
