import { io, type Socket } from 'socket.io-client';
import type { Command } from '../flow/commands.js';
import type { Allocation, Participant, SessionState } from '../model/types.js';
import { EVENTS, type CommandAck, type RosterPatch, type Role, type StatePatch, type VoteAck, type Welcome } from '../protocol/events.js';
import type { BallotAnswerAck, BallotAnswersAck, BallotProgress, GroupMate, GroupMates, LiveResults, MyAnswer } from '../protocol/events.js';
import type { BallotAnswer, BallotResults } from '../ballots/types.js';
import type { ErrorBody } from '../protocol/errors.js';
import { applyDiff } from '../protocol/patch.js';
import { estimateOffset, type ClockSample } from '../time/clock.js';
import { requestId } from './ids.js';
import { INTERVIEW_EVENTS, type InterviewAnswerAck, type InterviewListAck } from '../interview/events.js';
import type { ExpertRef } from '../interview/types.js';
import { DIARY_EVENTS, type DiaryDeleteAck, type DiaryEntryAck, type DiaryKind, type DiaryListAck } from '../diary/types.js';

export interface SessionClientOptions {
  /** Server origin, e.g. `http://192.168.1.10:3000`. */
  url: string;
  code: string;
  /** Facilitator or participant token; none connects as the read-only projector. */
  token?: string;
  /** How long one attempt waits for an ack before it is sent again. */
  ackTimeoutMs?: number;
  /** Give up on a command after this long without an ack. */
  giveUpMs?: number;
  /** Passed through to socket.io-client (tests force websocket). */
  transports?: ('websocket' | 'polling')[];
}

export type ConnectionStatus = 'connecting' | 'online' | 'offline' | 'refused';

export interface SessionSnapshot {
  status: ConnectionStatus;
  role: Role | null;
  state: SessionState | null;
  me: Participant | null;
  /** Teachers: their group's members, themselves included. */
  mates: GroupMate[];
  ballot: Allocation | null;
  roster: Map<string, Participant>;
  ballotsCast: number;
  /** Commands sent but not yet acknowledged. */
  pending: number;
  refusal: ErrorBody | null;
  /** Teachers: their own answers, by ballot id (check `round` against the ballot's). */
  myAnswers: Map<string, MyAnswer>;
  /** Facilitators: answers so far in each ballot's current round. */
  answerCounts: Map<string, BallotProgress>;
  /** The running tally of open live ballots. */
  liveResults: Map<string, LiveResults>;
}

type Listener = (snap: SessionSnapshot) => void;

/** Wait before trying a handshake again that the server answered `unavailable`. */
const RETRY_UNAVAILABLE_MS = 1000;

/**
 * The typed realtime client: one Socket.IO connection to one session.
 * Keeps the latest control state, applies versioned patches, resyncs on a gap,
 * and resends every command with the same request id until it is acknowledged,
 * so a retry is never applied twice.
 */
export class SessionClient {
  readonly socket: Socket;
  status: ConnectionStatus = 'connecting';
  /** A handshake to try again after an `unavailable` refusal. */
  private retry: ReturnType<typeof setTimeout> | null = null;
  role: Role | null = null;
  state: SessionState | null = null;
  me: Participant | null = null;
  mates: GroupMate[] = [];
  ballot: Allocation | null = null;
  roster = new Map<string, Participant>();
  ballotsCast = 0;
  pending = 0;
  refusal: ErrorBody | null = null;
  myAnswers = new Map<string, MyAnswer>();
  /** From the welcome: this teacher's answers to the previous round of open Delphi ballots. */
  private myPreviousAnswers = new Map<string, MyAnswer>();
  answerCounts = new Map<string, BallotProgress>();
  liveResults = new Map<string, LiveResults>();
  /** Server clock minus this machine's clock, in ms. */
  offset = 0;
  /** The origin teachers should open to join, as the server sees its network. */
  joinOrigin: string | null = null;
  private listeners = new Set<Listener>();
  private welcomeWaiters: Array<() => void> = [];
  private readonly ackTimeoutMs: number;
  private readonly giveUpMs: number;

  constructor(opts: SessionClientOptions) {
    this.ackTimeoutMs = opts.ackTimeoutMs ?? 4000;
    this.giveUpMs = opts.giveUpMs ?? 120_000;
    this.socket = io(opts.url, {
      auth: { code: opts.code, token: opts.token },
      transports: opts.transports ?? ['websocket'],
      reconnectionDelay: 500,
      reconnectionDelayMax: 3000,
    });
    this.socket.on('connect', () => this.setStatus('online'));
    this.socket.on('disconnect', () => this.setStatus('offline'));
    this.socket.on('connect_error', (err: Error & { data?: ErrorBody }) => {
      if (err.data?.code === 'unavailable') {
        // The server's store is out for a moment: not a refusal. Socket.IO does not retry
        // a refused handshake by itself, so try again shortly.
        this.setStatus('offline');
        this.retry ??= setTimeout(() => {
          this.retry = null;
          if (!this.socket.connected && this.status === 'offline') this.socket.connect();
        }, RETRY_UNAVAILABLE_MS);
      } else if (err.data?.code) {
        this.refusal = err.data;
        this.setStatus('refused');
      } else this.setStatus('offline');
    });
    this.socket.on(EVENTS.welcome, (w: Welcome) => this.onWelcome(w));
    this.socket.on(EVENTS.patch, (p: StatePatch) => this.onPatch(p));
    this.socket.on(EVENTS.roster, (p: RosterPatch) => this.onRoster(p));
    this.socket.on(EVENTS.me, (me: Participant) => {
      this.me = me;
      this.emit();
    });
    this.socket.on(EVENTS.mates, (m: GroupMates) => {
      this.mates = m.members;
      this.emit();
    });
    this.socket.on(EVENTS.ballotProgress, (p: BallotProgress) => {
      if (this.ballotRound(p.ballotId) === p.round) this.answerCounts = new Map(this.answerCounts).set(p.ballotId, p);
      this.emit();
    });
    this.socket.on(EVENTS.ballotResults, (r: LiveResults) => {
      if (this.ballotRound(r.ballotId) === r.round) this.liveResults = new Map(this.liveResults).set(r.ballotId, r);
      this.emit();
    });
    this.socket.on(EVENTS.ballotMine, (m: MyAnswer | { ballotId: string; round: number; answer: null }) => {
      this.setMyAnswer(m.ballotId, m.round, m.answer);
    });
    this.socket.on(EVENTS.progress, (p: { round: number; ballots: number }) => {
      if (this.state && p.round === this.state.vote.round) this.ballotsCast = p.ballots;
      this.emit();
    });
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    fn(this.snapshot());
    return () => this.listeners.delete(fn);
  }

  snapshot(): SessionSnapshot {
    return {
      status: this.status,
      role: this.role,
      state: this.state,
      me: this.me,
      mates: this.mates,
      ballot: this.ballot,
      roster: this.roster,
      ballotsCast: this.ballotsCast,
      pending: this.pending,
      refusal: this.refusal,
      myAnswers: this.myAnswers,
      answerCounts: this.answerCounts,
      liveResults: this.liveResults,
    };
  }

  /** Resolves once the first full snapshot has arrived. */
  ready(): Promise<void> {
    if (this.state) return Promise.resolve();
    return new Promise((resolve) => this.welcomeWaiters.push(resolve));
  }

  /** The server's clock now, as this client estimates it. */
  serverNow(): number {
    return Date.now() + this.offset;
  }

  /** Send a command; resolves with the server's answer (which may be a refusal). */
  command(cmd: Command): Promise<CommandAck> {
    return this.request<CommandAck>(EVENTS.command, { rid: requestId(), cmd });
  }

  /** Cast or change this teacher's ballot; `{}` withdraws it. */
  async vote(allocation: Allocation): Promise<VoteAck> {
    const ack = await this.request<VoteAck>(EVENTS.vote, { rid: requestId(), allocation });
    if (ack.ok) {
      this.ballot = ack.ballot;
      this.emit();
    }
    return ack;
  }

  /**
   * Answer a ballot, or change the answer while it is open; `null` withdraws it.
   * Resent with the same request id until acknowledged, so it never counts twice.
   */
  async answer(ballotId: string, answer: BallotAnswer | null): Promise<BallotAnswerAck> {
    const ack = await this.request<BallotAnswerAck>(EVENTS.ballotAnswer, { rid: requestId(), ballotId, answer });
    if (ack.ok) this.setMyAnswer(ack.ballotId, ack.round, ack.answer);
    return ack;
  }

  /** This teacher's answer to the ballot's current round, if any. */
  myAnswer(ballotId: string): BallotAnswer | null {
    const mine = this.myAnswers.get(ballotId);
    return mine && mine.round === this.ballotRound(ballotId) ? mine.answer : null;
  }

  /** This teacher's answer to the ballot's previous round (Delphi feedback), if known. */
  myPreviousAnswer(ballotId: string): BallotAnswer | null {
    const round = this.ballotRound(ballotId);
    if (round === undefined) return null;
    const held = this.myAnswers.get(ballotId);
    if (held && held.round === round - 1) return held.answer;
    const sent = this.myPreviousAnswers.get(ballotId);
    return sent && sent.round === round - 1 ? sent.answer : null;
  }

  /** The results to show: the published tally, or the running one of an open live ballot. */
  resultsOf(ballotId: string): BallotResults | null {
    const def = this.state?.ballots.find((b) => b.id === ballotId);
    if (!def) return null;
    if (def.results) return def.results;
    const live = this.liveResults.get(ballotId);
    return def.status === 'open' && live && live.round === def.round ? live.results : null;
  }

  /** The individual answers of a ballot's round (facilitators; teachers only for a revealed named ballot). */
  listAnswers(ballotId: string): Promise<BallotAnswersAck> {
    return this.request<BallotAnswersAck>(EVENTS.ballotAnswers, { ballotId });
  }

  /** A co-facilitator token (facilitators only). */
  invite(): Promise<{ ok: true; token: string } | { ok: false; error: ErrorBody }> {
    return this.request(EVENTS.invite, { rid: requestId() });
  }

  /** Reflection diary: a new private entry (teachers only); retried with the same request id until acknowledged. */
  diaryAdd(entry: { kind: DiaryKind; text: string; shared?: boolean; id?: string }): Promise<DiaryEntryAck> {
    return this.request<DiaryEntryAck>(DIARY_EVENTS.add, { rid: requestId(), ...entry });
  }

  /** Change an own entry's kind, text or sharing with the facilitator. */
  diaryUpdate(id: string, changes: { kind?: DiaryKind; text?: string; shared?: boolean }): Promise<DiaryEntryAck> {
    return this.request<DiaryEntryAck>(DIARY_EVENTS.update, { rid: requestId(), id, ...changes });
  }

  diaryDelete(id: string): Promise<DiaryDeleteAck> {
    return this.request<DiaryDeleteAck>(DIARY_EVENTS.delete, { rid: requestId(), id });
  }

  /** A teacher's own entries; for a facilitator, the entries teachers shared. */
  diaryList(): Promise<DiaryListAck> {
    return this.request<DiaryListAck>(DIARY_EVENTS.list, {});
  }

  /**
   * Expert interview: a teacher's own answer to a question of the guide, or — with
   * `expert` — the interviewer's record of an expert's answer; `null` withdraws it.
   * Resent with the same request id until acknowledged.
   */
  interviewAnswer(questionId: string, text: string | null, expert?: ExpertRef): Promise<InterviewAnswerAck> {
    return this.request<InterviewAnswerAck>(INTERVIEW_EVENTS.answer, { rid: requestId(), questionId, text, ...(expert ? { expert } : {}) });
  }

  /** Expert interview (facilitators): the themes an answer carries. */
  interviewTag(questionId: string, expert: string, themes: string[]): Promise<InterviewAnswerAck> {
    return this.request<InterviewAnswerAck>(INTERVIEW_EVENTS.tag, { rid: requestId(), questionId, expert, themes });
  }

  /** Expert interview: every answer (facilitators), one's own (teachers), or the summary's counts while shown (the projector). */
  interviewList(): Promise<InterviewListAck> {
    return this.request<InterviewListAck>(INTERVIEW_EVENTS.list, {});
  }

  /** Estimate the clock offset from five NTP-style exchanges. */
  async syncClock(samples = 5): Promise<number> {
    const got: ClockSample[] = [];
    for (let i = 0; i < samples; i++) {
      const t0 = Date.now();
      try {
        const { t1 } = (await this.socket.timeout(this.ackTimeoutMs).emitWithAck(EVENTS.ping, { t0 })) as { t1: number };
        got.push({ t0, t1, t3: Date.now() });
      } catch {
        break;
      }
    }
    if (got.length > 0) {
      this.offset = estimateOffset(got);
      this.emit();
    }
    return this.offset;
  }

  close(): void {
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    this.socket.close();
    this.listeners.clear();
  }

  private async request<T>(event: string, payload: object): Promise<T> {
    this.pending++;
    this.emit();
    const deadline = Date.now() + this.giveUpMs;
    try {
      for (;;) {
        if (!this.socket.connected) await this.waitForConnection(deadline);
        try {
          return (await this.socket.timeout(this.ackTimeoutMs).emitWithAck(event, payload)) as T;
        } catch {
          // No ack in time: send again with the same request id; the server answers a repeat from its record.
          if (Date.now() > deadline) throw new Error('not acknowledged');
        }
      }
    } finally {
      this.pending--;
      this.emit();
    }
  }

  private waitForConnection(deadline: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.socket.off('connect', onConnect);
        reject(new Error('offline'));
      }, Math.max(0, deadline - Date.now()));
      const onConnect = () => {
        clearTimeout(timer);
        resolve();
      };
      this.socket.once('connect', onConnect);
    });
  }

  private onWelcome(w: Welcome): void {
    this.role = w.role;
    this.state = w.state;
    this.joinOrigin = w.joinOrigin ?? null;
    this.me = w.me ?? null;
    this.mates = w.mates ?? [];
    this.ballot = w.ballot ?? null;
    if (w.roster) this.roster = new Map(w.roster.map((p) => [p.id, p]));
    this.ballotsCast = w.ballots ?? 0;
    this.myAnswers = new Map(Object.entries(w.myAnswers ?? {}));
    this.myPreviousAnswers = new Map(Object.entries(w.myPreviousAnswers ?? {}));
    this.answerCounts = new Map(
      Object.entries(w.answerCounts ?? {}).map(([ballotId, answers]) => [ballotId, { ballotId, round: this.ballotRound(ballotId) ?? 0, answers }]),
    );
    this.liveResults = new Map(
      Object.entries(w.liveResults ?? {}).map(([ballotId, results]) => [ballotId, { ballotId, round: results.round, results }]),
    );
    this.refusal = null;
    this.offset = w.serverTime - Date.now();
    this.emit();
    for (const resolve of this.welcomeWaiters.splice(0)) resolve();
    void this.syncClock();
  }

  private onPatch(p: StatePatch): void {
    if (!this.state || p.version <= this.state.version) return;
    if (p.from !== this.state.version) {
      void this.resync();
      return;
    }
    if (p.set.vote && this.state.vote.round !== p.set.vote.round) {
      this.ballot = null;
      this.ballotsCast = 0;
    }
    this.state = { ...applyDiff(this.state, p), version: p.version };
    if (p.set.ballots || p.items?.ballots) this.pruneBallots();
    this.emit();
  }

  private ballotRound(ballotId: string): number | undefined {
    return this.state?.ballots?.find((b) => b.id === ballotId)?.round;
  }

  private setMyAnswer(ballotId: string, round: number, answer: BallotAnswer | null): void {
    const next = new Map(this.myAnswers);
    if (answer) next.set(ballotId, { ballotId, round, answer });
    else next.delete(ballotId);
    this.myAnswers = next;
    this.emit();
  }

  /** Forget counts and running tallies of ballots that moved to another round, closed or were deleted. */
  private pruneBallots(): void {
    const open = new Map((this.state?.ballots ?? []).map((b) => [b.id, b]));
    const keep = (id: string, round: number, needOpen: boolean) => {
      const b = open.get(id);
      return !!b && b.round === round && (!needOpen || b.status === 'open');
    };
    this.answerCounts = new Map([...this.answerCounts].filter(([id, p]) => keep(id, p.round, false)));
    this.liveResults = new Map([...this.liveResults].filter(([id, r]) => keep(id, r.round, true)));
  }

  private onRoster(p: RosterPatch): void {
    const next = new Map(this.roster);
    for (const id of p.remove) next.delete(id);
    for (const person of p.upsert) next.set(person.id, person);
    this.roster = next;
    if (this.me) {
      const mine = p.upsert.find((x) => x.id === this.me?.id);
      if (mine) this.me = mine;
    }
    this.emit();
  }

  private async resync(): Promise<void> {
    try {
      const w = (await this.socket.timeout(this.ackTimeoutMs).emitWithAck(EVENTS.sync, {})) as Welcome;
      if (!this.state || w.state.version >= this.state.version) this.onWelcome(w);
    } catch {
      // The next reconnect brings a fresh welcome.
    }
  }

  private setStatus(s: ConnectionStatus): void {
    if (this.status === 'refused' && s === 'offline') return;
    this.status = s;
    this.emit();
  }

  private emit(): void {
    const snap = this.snapshot();
    for (const fn of this.listeners) fn(snap);
  }
}
