import {
  applyCommand,
  ballotById,
  checkBallot,
  droppedBallots,
  compactAllocation,
  createSessionState,
  diffState,
  EVENTS,
  sameRef,
  sameValue,
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
  type AnswerRecord,
  type CommandContext,
} from '@kenes/shared';
import { StoreUnavailable } from '../store/guard.js';
import { RoundClosed, VersionConflict, type Store } from '../store/store.js';
import { allocationsDigest, answersDigest, type TallyRead } from '../store/tallied.js';
import { hashToken, newCode, newId, newToken } from '../tokens.js';
import type { Broadcaster } from './broadcaster.js';
import { Room } from './room.js';
import { BallotDesk } from './ballots.js';
import { DiaryDesk } from './diary.js';
import { InterviewDesk } from './interview.js';

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
/** How often a close or reveal reads the answers again when another node keeps taking them (cluster mode). */
const MAX_RETALLIES = 5;

/**
 * What a failure inside a room's critical section answers: the store's failure is the
 * caller's `unavailable` (nothing changed); anything else is a fault and goes on up.
 */
export function unavailableOr(err: unknown): { ok: false; error: ReturnType<typeof errorBody> } {
  if (err instanceof StoreUnavailable || err instanceof VersionConflict) {
    console.error(err);
    return refuse('unavailable');
  }
  throw err;
}

/**
 * A socket handler that checks its payload against `schema`, then does its work in the
 * room's turn (see `Room.serial`), so a retried request id is seen by the check that
 * follows it; a store failure answers `unavailable`.
 */
export function inTurn<P>(room: Room, schema: { parse(payload: unknown): P }, work: (req: P) => Promise<unknown>): (payload: unknown) => unknown {
  return (payload) => {
    const req = schema.parse(payload);
    return room.serial.run(() => work(req)).catch(unavailableOr);
  };
}

/**
 * Carries out the board work a command asks for (reveal, publish); set by the Yjs endpoint.
 * Resolves to an error code to refuse the command (nothing is committed), e.g. `board_full`.
 */
export type EffectRunner = (room: Room, effects: BoardEffect[]) => Promise<ErrorCode | null | void>;

/** What other nodes serving the same rooms must hear of (server/src/cluster); one node tells nobody. */
export interface HubEvents {
  loaded(room: Room): void;
  /** A command was committed: the stored state is now at `room.state.version`. */
  committed(room: Room): void;
  joined(room: Room, p: Participant): void;
  /** A teacher's first tab on this node opened, or their last one closed. */
  presence(room: Room, participantId: string, online: boolean): void;
}

const alone: HubEvents = { loaded() {}, committed() {}, joined() {}, presence() {} };

/**
 * Control state: validates every command with the rules in @kenes/shared, writes the
 * result to the store, then acknowledges and broadcasts. Per room, commands, votes and
 * answers run one at a time in arrival order (`Room.serial`): read state, apply, run
 * effects, commit, update memory, broadcast — nothing interleaves. A commit carries the
 * version it was computed from; if the store holds another (a second node committed),
 * the room is reloaded from the store and the command applied once more.
 */
export class SessionHub {
  private readonly rooms = new Map<string, Room>();
  /** Rooms being read from the store: two sockets opening one room load it once. */
  private readonly loading = new Map<string, Promise<Room | null>>();
  runEffects: EffectRunner = async () => {};
  events: HubEvents = alone;
  /**
   * Other nodes serve the same rooms (cluster mode): their screens got every patch, `me`
   * and roster change through the Socket.IO adapter already, so bringing this node's copy
   * of a room up to date sends nothing; and a refusal is made only after checking that
   * the room is current.
   */
  shared = false;
  /** Room codes never change, so a hit is cached; misses are not (a code may be created later). */
  private readonly codes = new Map<string, string>();

  constructor(
    private readonly store: Store,
    private readonly out: Broadcaster,
    private readonly now: () => number = Date.now,
  ) {
    this.ballots = new BallotDesk(store, out, now);
    this.ballots.behind = (room) => this.behind(room);
    this.diary = new DiaryDesk(store, out, now);
    this.interview = new InterviewDesk(store, out, now);
    this.interview.behind = (room) => this.behind(room);
  }

  /** The reflection diary: private entries per teacher. */
  readonly diary: DiaryDesk;

  /** The expert interview: answers, tags, the summary's counts for the projector. */
  readonly interview: InterviewDesk;

  /** General ballots: answers, counts, live tallies. */
  readonly ballots: BallotDesk;

  /** Sessions held in memory, for metrics. */
  get loadedRooms(): number {
    return this.rooms.size;
  }

  async create(body: CreateSessionBody): Promise<{ state: SessionState; facilitatorToken: string }> {
    let code = newCode();
    while (await this.store.sessionIdByCode(code)) code = newCode();
    const state = createSessionState({ id: newId(), code, now: this.now(), ...body });
    const facilitatorToken = newToken();
    await this.store.createSession(state, hashToken(facilitatorToken));
    return { state, facilitatorToken };
  }

  async byCode(code: string): Promise<Room | null> {
    let id = this.codes.get(code);
    if (!id) {
      id = (await this.store.sessionIdByCode(code)) ?? undefined;
      if (id) this.codes.set(code, id);
    }
    return id ? this.byId(id) : null;
  }

  byId(sessionId: string): Promise<Room | null> {
    const live = this.rooms.get(sessionId);
    if (live) return Promise.resolve(live);
    let pending = this.loading.get(sessionId);
    if (!pending) {
      pending = this.load(sessionId).finally(() => this.loading.delete(sessionId));
      this.loading.set(sessionId, pending);
    }
    return pending;
  }

  private async load(sessionId: string): Promise<Room | null> {
    const state = await this.store.loadState(sessionId);
    if (!state) return null;
    const room = new Room(state, await this.store.participants(sessionId));
    this.rooms.set(sessionId, room);
    this.events.loaded(room);
    this.armDeadlines(room);
    return room;
  }

  /** Who a token belongs to; `null` when it matches nobody. No token is the read-only projector. */
  async identify(room: Room, token: string | undefined): Promise<Identity | null> {
    if (!token) return { role: 'screen' };
    const hash = hashToken(token);
    if (await this.store.isFacilitator(room.id, hash)) return { role: 'facilitator' };
    const p = await this.store.participantByToken(room.id, hash);
    // Joined through another node a moment ago: known to the store before this node hears of it.
    if (p && !room.roster.has(p.id)) room.roster.set(p.id, p);
    return p ? { role: 'participant', participantId: p.id, voterKey: await this.ballots.voterKey(room.id, token) } : null;
  }

  actor(room: Room, who: Identity): Actor {
    if (who.role !== 'participant') return { role: who.role };
    return { role: 'participant', id: who.participantId, groupId: room.roster.get(who.participantId)?.groupId ?? null };
  }

  async join(room: Room, name: string): Promise<{ participant: Participant; token: string }> {
    const participant: Participant = { id: newId(), name, groupId: null, joinedAt: this.now() };
    const token = newToken();
    await this.store.addParticipant(room.id, participant, hashToken(token));
    room.roster.set(participant.id, participant);
    this.queueRoster(room, participant);
    this.events.joined(room, participant);
    return { participant, token };
  }

  async inviteFacilitator(room: Room): Promise<string> {
    const token = newToken();
    await this.store.addFacilitatorToken(room.id, hashToken(token));
    return token;
  }

  /**
   * A full snapshot for one screen. The stored parts are read first and the state is
   * taken last, in the same tick as the caller sends it: no patch sent before it can be
   * newer than it. Reads that a command overtook are done again.
   */
  async welcome(room: Room, who: Identity): Promise<Welcome> {
    // Cluster mode: another node may have moved the room on a moment ago and sent its patch
    // before this socket joined; the socket has joined now, so later patches reach it.
    if (this.shared && (await this.store.version(room.id)) !== room.state.version) await this.refresh(room);
    for (let attempt = 0; ; attempt++) {
      const version = room.state.version;
      const parts = await this.welcomeParts(room, who);
      if (room.state.version === version || attempt >= 3) return { role: who.role, state: room.state, serverTime: this.now(), ...parts };
    }
  }

  private async welcomeParts(room: Room, who: Identity): Promise<Omit<Welcome, 'role' | 'state' | 'serverTime'>> {
    if (who.role === 'participant') {
      const ballot = await this.store.ballot(room.id, room.state.vote.round, who.participantId);
      const voter = who.voterKey ? { participantId: who.participantId, voterKey: who.voterKey } : undefined;
      const extras = await this.ballots.welcome(room, who.role, voter);
      const me = room.roster.get(who.participantId);
      return { me: me && room.view(me), mates: room.mates(me?.groupId ?? null), ballot, ...extras };
    }
    const extras = await this.ballots.welcome(room, who.role);
    if (who.role === 'screen') return { roster: this.rosterView(room), ...extras };
    const ballots = await this.store.ballotCount(room.id, room.state.vote.round);
    return { roster: this.rosterView(room), ballots, ...extras };
  }

  private rosterView(room: Room): Participant[] {
    return [...room.roster.values()].map((p) => room.view(p));
  }

  /** Apply a command in the room's turn; a store failure answers `unavailable` and changes nothing. */
  command(room: Room, who: Identity, rid: string, cmd: Command): Promise<CommandAck> {
    return room.serial.run(() => this.applyInTurn(room, who, rid, cmd)).catch(unavailableOr);
  }

  private async applyInTurn(room: Room, who: Identity, rid: string, cmd: Command): Promise<CommandAck> {
    const actorKey = who.role === 'participant' ? who.participantId : who.role;
    // A reload after a refusal or a lost commit happens once; a tally overtaken by answers is read again a few times.
    let reloaded = false;
    for (let retallied = 0; ; ) {
      const seen = await this.store.findRequest(room.id, actorKey, rid);
      if (seen) return JSON.parse(seen) as CommandAck;
      const before = room.state;
      const { context, tallied } = await this.context(room, before, cmd);
      const result = applyCommand(before, cmd, this.actor(room, who), context);
      if (!result.ok) {
        // Refused by this node's copy: another node may have moved the room on a moment ago.
        if (!reloaded && (await this.behind(room))) {
          reloaded = true;
          continue;
        }
        return refuse(result.error);
      }
      const ack: CommandAck = { ok: true, version: result.state.version };
      // Board copies use deterministic note ids, so running them before the commit is safe
      // to repeat: a crash in between and a retried command copy nothing twice.
      if (result.effects?.length) {
        const problem = await this.runEffects(room, result.effects);
        if (problem) return refuse(problem);
      }
      try {
        await this.store.commit({
          sessionId: room.id,
          state: result.state,
          assign: result.assign,
          dissolved: result.dissolved,
          request: { actor: actorKey, rid, response: JSON.stringify(ack) },
          deleteBallots: droppedBallots(before, result.state),
          expectedVersion: before.version,
          tallied,
        });
      } catch (err) {
        // Another node committed first: take its state and apply the command once more.
        if (err instanceof VersionConflict && err.reason === 'version' && !reloaded) {
          reloaded = true;
          await this.reload(room, !this.shared);
          continue;
        }
        // Another node took an answer after the tally read them: read them again.
        if (err instanceof VersionConflict && err.reason === 'answers' && retallied++ < MAX_RETALLIES) continue;
        throw err;
      }
      room.state = result.state;
      this.applyAssignments(room, result.assign ?? [], result.dissolved ?? []);
      this.broadcastPatch(room, before, result.state);
      this.ballots.afterCommand(room, before, result.state);
      this.interview.afterCommand(room, before, result.state);
      this.armDeadlines(room);
      this.events.committed(room);
      return ack;
    }
  }

  /**
   * What the rules may ask of the stored data, read before they run (they are synchronous).
   * In cluster mode, a tally of a round still open (closing or revealing it) is also
   * returned as `tallied`, so the commit holds only if no answer came in on another node
   * between this read and the commit.
   */
  private async context(room: Room, before: SessionState, cmd: Command): Promise<{ context: CommandContext; tallied: TallyRead[] }> {
    const tallied: TallyRead[] = [];
    const ballots = cmd.type === 'vote.reveal' ? await this.store.ballots(room.id, before.vote.round) : [];
    if (this.shared && cmd.type === 'vote.reveal' && before.vote.status === 'open') {
      tallied.push({ ballotId: null, round: before.vote.round, digest: allocationsDigest(ballots) });
    }
    const answers = new Map<string, AnswerRecord[]>();
    const def = 'ballotId' in cmd && cmd.ballotId ? ballotById(before, cmd.ballotId) : undefined;
    if (def && def.status !== 'draft') {
      const records = await this.ballots.records(room, def.id, def.round);
      answers.set(`${def.id} ${def.round}`, records);
      // A live ballot's close publishes its final tally; a reveal tallies whatever the status.
      const tallies = cmd.type === 'ballot.reveal' || (cmd.type === 'ballot.close' && def.visibility === 'live');
      if (this.shared && def.status === 'open' && tallies) {
        tallied.push({ ballotId: def.id, round: def.round, digest: answersDigest(records) });
      }
    }
    const context: CommandContext = {
      now: this.now(),
      present: () => room.present(),
      ballots: () => ballots,
      groupOf: (id) => room.roster.get(id)?.groupId,
      answers: (ballotId, round) => answers.get(`${ballotId} ${round}`) ?? [],
    };
    return { context, tallied };
  }

  /**
   * In the room's turn (cluster mode): whether the stored state moved on past this
   * node's copy, which is then reloaded. Cheap: one indexed read of the version.
   */
  private async behind(room: Room): Promise<boolean> {
    if (!this.shared) return false;
    const version = await this.store.version(room.id);
    if (version === null || version === room.state.version) return false;
    await this.reload(room, false);
    return true;
  }

  /**
   * Bring the room up to date with the store, in its turn: another node committed to it
   * (its notice arrived), or with `all`, state and roster whatever the version (this node
   * reconnected to the others and may have missed joins). Sends nothing.
   */
  refresh(room: Room, all = false): Promise<void> {
    return room.serial.run<unknown>(() => (all ? this.reload(room, false) : this.behind(room))).then(
      () => {},
      (err: unknown) => console.error(err),
    );
  }

  /**
   * The room as the store holds it now, after a commit lost to another node's: its state
   * and groups replace what memory had. `tell`: this node's screens get the difference
   * (one node on a shared store); in cluster mode they have it from the other node already.
   */
  private async reload(room: Room, tell: boolean): Promise<void> {
    const [state, participants] = await Promise.all([this.store.loadState(room.id), this.store.participants(room.id)]);
    if (!state) throw new StoreUnavailable(new Error(`session ${room.id} vanished`));
    const before = room.state;
    room.state = state;
    if (!tell) {
      for (const p of participants) room.roster.set(p.id, p);
      // Answers and tallies held for this room may predate the other node's change.
      this.ballots.invalidate(room.id);
      this.armDeadlines(room);
      return;
    }
    const moved: [string, string | null][] = [];
    for (const p of participants) {
      const old = room.roster.get(p.id);
      if (!old) {
        // Joined through another node.
        room.roster.set(p.id, p);
        this.queueRoster(room, p);
      } else if (old.groupId !== p.groupId) moved.push([p.id, p.groupId]);
    }
    this.applyAssignments(room, moved, []);
    this.broadcastPatch(room, before, state, true);
    this.ballots.afterCommand(room, before, state);
    this.armDeadlines(room);
  }

  vote(room: Room, participantId: string, rid: string, allocation: Allocation): Promise<VoteAck> {
    return room.serial.run(() => this.voteInTurn(room, participantId, rid, allocation)).catch(unavailableOr);
  }

  private async voteInTurn(room: Room, participantId: string, rid: string, allocation: Allocation): Promise<VoteAck> {
    const seen = await this.store.findRequest(room.id, participantId, rid);
    if (seen) return JSON.parse(seen) as VoteAck;
    for (let attempt = 0; ; attempt++) {
      const problem = checkBallot(room.state.vote, allocation);
      if (problem) {
        // Refused by this node's copy: another node may have opened the vote a moment ago.
        if (attempt === 0 && (await this.behind(room))) continue;
        return refuse(problem);
      }
      const ballot = compactAllocation(allocation);
      const ack: VoteAck = { ok: true, ballot };
      try {
        await this.store.putBallot({
          sessionId: room.id,
          round: room.state.vote.round,
          participantId,
          allocation: ballot,
          request: { actor: participantId, rid, response: JSON.stringify(ack) },
        });
      } catch (err) {
        // Another node closed the round a moment ago (never acknowledged, so never missing from its tally).
        if (!(err instanceof RoundClosed)) throw err;
        if (attempt === 0 && (await this.behind(room))) continue;
        return refuse('vote_not_open');
      }
      this.queueProgress(room);
      return ack;
    }
  }

  connected(room: Room, participantId: string): void {
    const n = (room.sockets.get(participantId) ?? 0) + 1;
    room.sockets.set(participantId, n);
    const p = room.roster.get(participantId);
    if (n === 1) this.events.presence(room, participantId, true);
    if (n === 1 && p) this.queueRoster(room, p);
  }

  disconnected(room: Room, participantId: string): void {
    const n = (room.sockets.get(participantId) ?? 1) - 1;
    if (n > 0) room.sockets.set(participantId, n);
    else room.sockets.delete(participantId);
    const p = room.roster.get(participantId);
    if (n <= 0) this.events.presence(room, participantId, false);
    if (n <= 0 && p) this.queueRoster(room, p);
  }

  /** After a restart: load every session with a Delphi deadline, which arms its timers. */
  async rearmDeadlines(): Promise<void> {
    for (const id of await this.store.sessionsWithDeadlines()) await this.byId(id);
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
        const rid = `deadline:${def.id}:${def.round}:${deadline}`;
        void this.command(room, { role: 'facilitator' }, rid, { type: 'ballot.close', ballotId: def.id }).then((ack) => {
          // The store was out at the deadline: try again shortly.
          if (!ack.ok && ack.error.code === 'unavailable') this.deadlines.set(k, setTimeout(fire, 5000));
        });
      };
      // setTimeout holds at most ~24.8 days; a longer wait simply re-arms.
      this.deadlines.set(k, setTimeout(fire, Math.min(Math.max(0, deadline - this.now()), 2 ** 31 - 1)));
    }
  }

  private readonly deadlines = new Map<string, NodeJS.Timeout>();

  /** Let every queued command finish, then stop timers so the process can exit. */
  async close(): Promise<void> {
    await Promise.all([...this.rooms.values()].map((room) => room.serial.idle()));
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

  /** `deep`: compare values, not references (a state read back from the store shares no objects). */
  private broadcastPatch(room: Room, before: SessionState, after: SessionState, deep = false): void {
    const diff = diffState(before, after, deep ? sameValue : sameRef);
    const patch: StatePatch = { from: before.version, version: after.version, ...diff };
    this.out.toSession(room.id, EVENTS.patch, patch);
    if (diff.set.vote && diff.set.vote.round !== before.vote.round) this.queueProgress(room);
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
      this.store.ballotCount(room.id, round).then(
        (ballots) => this.out.toFacilitators(room.id, EVENTS.progress, { round, ballots }),
        (err: unknown) => console.error(err),
      );
    }, PROGRESS_FLUSH_MS);
  }
}
