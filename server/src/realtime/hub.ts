import {
  applyCommand,
  checkBallot,
  droppedBallots,
  compactAllocation,
  createSessionState,
  EVENTS,
  translate,
  type Actor,
  type Allocation,
  type Command,
  type CommandAck,
  type ErrorCode,
  type GroupMates,
  type Participant,
  type RosterPatch,
  type SessionState,
  type StatePatch,
  type VoteAck,
  type Welcome,
  type CreateSessionBody,
  type BoardEffect,
} from '@kenes/shared';
import type { Store } from '../store/store.js';
import { hashToken, newCode, newId, newToken } from '../tokens.js';
import type { Broadcaster } from './broadcaster.js';
import { Room } from './room.js';
import { BallotDesk } from './ballots.js';
import { DiaryDesk } from './diary.js';

export type Identity =
  | { role: 'facilitator' }
  /** `voterKey`: the seed of their anonymous ballot keys, derived from their token and never stored (see BallotDesk.voterKey). */
  | { role: 'participant'; participantId: string; voterKey?: string }
  | { role: 'screen' };

export const errorBody = (code: ErrorCode) => ({ code, message: translate('en', `error.${code}`) });
const refuse = (code: ErrorCode) => ({ ok: false as const, error: errorBody(code) });

/** The ticks between a burst of roster or ballot changes and the message that reports them. */
const ROSTER_FLUSH_MS = 50;
const PROGRESS_FLUSH_MS = 250;

/**
 * Control state: validates every command with the rules in @kenes/shared,
 * writes the result to the store in one transaction, then acknowledges and broadcasts.
 */
/**
 * Carries out the board work a command asks for (reveal, publish); set by the Yjs endpoint.
 * Returns an error code to refuse the command (nothing is committed), e.g. `board_full`.
 */
export type EffectRunner = (room: Room, effects: BoardEffect[]) => ErrorCode | null | void;

export class SessionHub {
  private readonly rooms = new Map<string, Room>();
  runEffects: EffectRunner = () => {};
  /** Room codes never change, so a hit is cached; misses are not (a code may be created later). */
  private readonly codes = new Map<string, string>();

  constructor(
    private readonly store: Store,
    private readonly out: Broadcaster,
    private readonly now: () => number = Date.now,
  ) {
    this.ballots = new BallotDesk(store, out, now);
    this.diary = new DiaryDesk(store, out, now);
  }

  /** The reflection diary: private entries per teacher. */
  readonly diary: DiaryDesk;

  /** General ballots: answers, counts, live tallies. */
  readonly ballots: BallotDesk;

  /** Sessions held in memory, for metrics. */
  get loadedRooms(): number {
    return this.rooms.size;
  }

  create(body: CreateSessionBody): { state: SessionState; facilitatorToken: string } {
    let code = newCode();
    while (this.store.sessionIdByCode(code)) code = newCode();
    const state = createSessionState({ id: newId(), code, now: this.now(), ...body });
    const facilitatorToken = newToken();
    this.store.createSession(state, hashToken(facilitatorToken));
    return { state, facilitatorToken };
  }

  byCode(code: string): Room | null {
    let id = this.codes.get(code);
    if (!id) {
      id = this.store.sessionIdByCode(code) ?? undefined;
      if (id) this.codes.set(code, id);
    }
    return id ? this.byId(id) : null;
  }

  byId(sessionId: string): Room | null {
    const live = this.rooms.get(sessionId);
    if (live) return live;
    const state = this.store.loadState(sessionId);
    if (!state) return null;
    const room = new Room(state, this.store.participants(sessionId));
    this.rooms.set(sessionId, room);
    this.armDeadlines(room);
    return room;
  }

  /** Who a token belongs to; `null` when it matches nobody. No token is the read-only projector. */
  identify(room: Room, token: string | undefined): Identity | null {
    if (!token) return { role: 'screen' };
    const hash = hashToken(token);
    if (this.store.isFacilitator(room.id, hash)) return { role: 'facilitator' };
    const p = this.store.participantByToken(room.id, hash);
    return p ? { role: 'participant', participantId: p.id, voterKey: this.ballots.voterKey(room.id, token) } : null;
  }

  actor(room: Room, who: Identity): Actor {
    if (who.role !== 'participant') return { role: who.role };
    return { role: 'participant', id: who.participantId, groupId: room.roster.get(who.participantId)?.groupId ?? null };
  }

  join(room: Room, name: string): { participant: Participant; token: string } {
    const participant: Participant = { id: newId(), name, groupId: null, joinedAt: this.now() };
    const token = newToken();
    this.store.addParticipant(room.id, participant, hashToken(token));
    room.roster.set(participant.id, participant);
    this.queueRoster(room, participant);
    return { participant, token };
  }

  inviteFacilitator(room: Room): string {
    const token = newToken();
    this.store.addFacilitatorToken(room.id, hashToken(token));
    return token;
  }

  welcome(room: Room, who: Identity): Welcome {
    const base = { role: who.role, state: room.state, serverTime: this.now() };
    if (who.role === 'participant') {
      const me = room.roster.get(who.participantId);
      const ballot = this.store.ballot(room.id, room.state.vote.round, who.participantId);
      const voter = who.voterKey ? { participantId: who.participantId, voterKey: who.voterKey } : undefined;
      return { ...base, me: me && room.view(me), mates: room.mates(me?.groupId ?? null), ballot, ...this.ballots.welcome(room, who.role, voter) };
    }
    const roster = [...room.roster.values()].map((p) => room.view(p));
    if (who.role === 'screen') return { ...base, roster, ...this.ballots.welcome(room, who.role) };
    return { ...base, roster, ballots: this.store.ballotCount(room.id, room.state.vote.round), ...this.ballots.welcome(room, who.role) };
  }

  command(room: Room, who: Identity, rid: string, cmd: Command): CommandAck {
    const actorKey = who.role === 'participant' ? who.participantId : who.role;
    const seen = this.store.findRequest(room.id, actorKey, rid);
    if (seen) return JSON.parse(seen) as CommandAck;
    const before = room.state;
    const result = applyCommand(before, cmd, this.actor(room, who), {
      now: this.now(),
      present: () => room.present(),
      ballots: () => this.store.ballots(room.id, before.vote.round),
      groupOf: (id) => room.roster.get(id)?.groupId,
      answers: (ballotId, round) => this.ballots.records(room, ballotId, round),
    });
    if (!result.ok) return refuse(result.error);
    const ack: CommandAck = { ok: true, version: result.state.version };
    // Board copies use deterministic note ids, so running them before the commit is safe
    // to repeat: a crash in between and a retried command copy nothing twice.
    if (result.effects?.length) {
      const problem = this.runEffects(room, result.effects);
      if (problem) return refuse(problem);
    }
    this.store.commit({
      sessionId: room.id,
      state: result.state,
      assign: result.assign,
      dissolved: result.dissolved,
      request: { actor: actorKey, rid, response: JSON.stringify(ack) },
      deleteBallots: droppedBallots(before, result.state),
    });
    room.state = result.state;
    this.applyAssignments(room, result.assign ?? [], result.dissolved ?? []);
    this.broadcastPatch(room, before, result.state);
    this.ballots.afterCommand(room, before, result.state);
    this.armDeadlines(room);
    return ack;
  }

  vote(room: Room, participantId: string, rid: string, allocation: Allocation): VoteAck {
    const seen = this.store.findRequest(room.id, participantId, rid);
    if (seen) return JSON.parse(seen) as VoteAck;
    const problem = checkBallot(room.state.vote, allocation);
    if (problem) return refuse(problem);
    const ballot = compactAllocation(allocation);
    const ack: VoteAck = { ok: true, ballot };
    this.store.putBallot({
      sessionId: room.id,
      round: room.state.vote.round,
      participantId,
      allocation: ballot,
      request: { actor: participantId, rid, response: JSON.stringify(ack) },
    });
    this.queueProgress(room);
    return ack;
  }

  connected(room: Room, participantId: string): void {
    const n = (room.sockets.get(participantId) ?? 0) + 1;
    room.sockets.set(participantId, n);
    const p = room.roster.get(participantId);
    if (n === 1 && p) this.queueRoster(room, p);
  }

  disconnected(room: Room, participantId: string): void {
    const n = (room.sockets.get(participantId) ?? 1) - 1;
    if (n > 0) room.sockets.set(participantId, n);
    else room.sockets.delete(participantId);
    const p = room.roster.get(participantId);
    if (n <= 0 && p) this.queueRoster(room, p);
  }

  /** After a restart: load every session with a Delphi deadline, which arms its timers. */
  rearmDeadlines(): void {
    for (const id of this.store.sessionsWithDeadlines()) this.byId(id);
  }

  /**
   * One timer per open Delphi round with a deadline: at the deadline the server closes
   * the round (as the facilitator would). Armed after every command and whenever a room
   * is loaded (so after a restart too); answers after the deadline are refused anyway.
   */
  private armDeadlines(room: Room): void {
    for (const def of room.state.ballots) {
      const deadline = def.delphi?.deadline;
      if (def.status !== 'open' || !deadline) continue;
      const k = `${room.id} ${def.id} ${def.round}`;
      if (this.deadlines.has(k)) continue;
      const fire = () => {
        this.deadlines.delete(k);
        const cur = room.state.ballots.find((b) => b.id === def.id);
        if (!cur || cur.status !== 'open' || cur.round !== def.round || cur.delphi?.deadline !== deadline) return;
        if (this.now() < deadline) return this.armDeadlines(room);
        this.command(room, { role: 'facilitator' }, `deadline:${def.id}:${def.round}:${deadline}`, { type: 'ballot.close', ballotId: def.id });
      };
      // setTimeout holds at most ~24.8 days; a longer wait simply re-arms.
      this.deadlines.set(k, setTimeout(fire, Math.min(Math.max(0, deadline - this.now()), 2 ** 31 - 1)));
    }
  }

  private readonly deadlines = new Map<string, NodeJS.Timeout>();

  /** Stop timers so the process can exit. */
  close(): void {
    for (const t of this.deadlines.values()) clearTimeout(t);
    this.deadlines.clear();
    for (const room of this.rooms.values()) {
      if (room.rosterTimer) clearTimeout(room.rosterTimer);
      if (room.progressTimer) clearTimeout(room.progressTimer);
    }
    this.ballots.close();
    this.rooms.clear();
  }

  private applyAssignments(room: Room, assign: [string, string | null][], dissolved: string[]): void {
    const gone = new Set(dissolved);
    const changed = new Map<string, Participant>();
    if (gone.size > 0) {
      for (const p of room.roster.values()) if (p.groupId && gone.has(p.groupId)) changed.set(p.id, { ...p, groupId: null });
    }
    for (const [pid, groupId] of assign) {
      const p = changed.get(pid) ?? room.roster.get(pid);
      if (p) changed.set(pid, { ...p, groupId });
    }
    const groups = new Set<string | null>();
    for (const p of changed.values()) {
      groups.add(room.roster.get(p.id)?.groupId ?? null).add(p.groupId);
      room.roster.set(p.id, p);
      this.out.toParticipant(room.id, p.id, EVENTS.me, room.view(p));
      this.queueRoster(room, p);
    }
    this.sendMates(room, groups, changed);
  }

  /** Everyone in a group that gained or lost a member learns who is in it now; whoever left a group for none, that they have no mates. */
  private sendMates(room: Room, groups: Set<string | null>, changed: Map<string, Participant>): void {
    for (const groupId of groups) {
      if (groupId === null) continue;
      const mates: GroupMates = { groupId, members: room.mates(groupId) };
      for (const m of mates.members) this.out.toParticipant(room.id, m.id, EVENTS.mates, mates);
    }
    for (const p of changed.values()) {
      if (p.groupId === null) this.out.toParticipant(room.id, p.id, EVENTS.mates, { groupId: null, members: [] } satisfies GroupMates);
    }
  }

  private broadcastPatch(room: Room, before: SessionState, after: SessionState): void {
    const set: Partial<SessionState> = {};
    for (const key of Object.keys(after) as (keyof SessionState)[]) {
      if (key !== 'version' && after[key] !== before[key]) (set as Record<string, unknown>)[key] = after[key];
    }
    const patch: StatePatch = { from: before.version, version: after.version, set };
    this.out.toSession(room.id, EVENTS.patch, patch);
    if (set.vote && set.vote.round !== before.vote.round) this.queueProgress(room);
  }

  private queueRoster(room: Room, p: Participant): void {
    room.pendingRoster.set(p.id, p);
    room.rosterTimer ??= setTimeout(() => {
      room.rosterTimer = null;
      const upsert = [...room.pendingRoster.values()].map((x) => room.view(room.roster.get(x.id) ?? x));
      room.pendingRoster.clear();
      const patch: RosterPatch = { upsert, remove: [] };
      this.out.toStaff(room.id, EVENTS.roster, patch);
    }, ROSTER_FLUSH_MS);
  }

  private queueProgress(room: Room): void {
    room.progressTimer ??= setTimeout(() => {
      room.progressTimer = null;
      const round = room.state.vote.round;
      this.out.toFacilitators(room.id, EVENTS.progress, { round, ballots: this.store.ballotCount(room.id, round) });
    }, PROGRESS_FLUSH_MS);
  }
}
