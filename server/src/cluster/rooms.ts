import type { Participant, RosterPatch } from '@kenes/shared';
import type { HubEvents, SessionHub } from '../realtime/hub.js';
import type { Room } from '../realtime/room.js';
import { busChannels, type Bus } from './bus.js';
import { ANNOUNCE_EVERY_MS, Presence, type Touched } from './presence.js';

/** What nodes tell each other about rooms, as JSON on one channel. */
type Notice =
  /** A command was committed: the stored state is now at version `v`. */
  | { t: 'state'; s: string; v: number }
  | { t: 'join'; s: string; p: Participant }
  /** A ballot answer was stored: counts and tallies held in memory are stale. */
  | { t: 'answers'; s: string }
  | { t: 'online'; s: string; p: string; on: boolean }
  /** Every teacher the sender has online, by session. */
  | { t: 'here'; rooms: Record<string, string[]> }
  /** A node started or came back: everyone announces at once. */
  | { t: 'hello' };

/** Sends a roster patch to the staff connected to this node only. */
export type LocalStaff = (sessionId: string, patch: RosterPatch) => void;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Control state across nodes. Clients already get every patch, roster change and `me`
 * through the Socket.IO adapter from the node that made the change, once; what the
 * other nodes need is their own copy of the room brought up to date, so that their
 * next command, welcome, access check or group split starts from the stored truth:
 * a state notice reloads the room's state and roster from the store in the room's turn
 * (never in the middle of a command) and drops per-room caches, a join adds the teacher,
 * an answer drops the ballot caches. Presence travels as changes plus a periodic full
 * announcement (see Presence).
 */
export class RoomFanout implements HubEvents {
  private readonly rooms = new Map<string, Room>();
  private readonly elsewhere = new Presence();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly bus: Bus,
    private readonly hub: SessionHub,
    private readonly localStaff: LocalStaff,
  ) {}

  async start(): Promise<void> {
    this.bus.onResume(() => {
      // Notices may have been missed while Redis was away.
      for (const room of this.rooms.values()) void this.hub.refresh(room, true);
      this.send({ t: 'hello' });
      this.announce();
    });
    await this.bus.subscribe(busChannels.rooms, (message, from) => this.receive(message, from));
    this.send({ t: 'hello' });
    this.timer = setInterval(() => {
      this.announce();
      this.touch(this.elsewhere.expire());
    }, ANNOUNCE_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  loaded(room: Room): void {
    this.rooms.set(room.id, room);
    room.elsewhere = (pid) => this.elsewhere.online(room.id, pid);
  }

  committed(room: Room): void {
    this.send({ t: 'state', s: room.id, v: room.state.version });
  }

  joined(room: Room, p: Participant): void {
    this.send({ t: 'join', s: room.id, p });
  }

  presence(room: Room, participantId: string, online: boolean): void {
    this.send({ t: 'online', s: room.id, p: participantId, on: online });
  }

  answered(room: Room): void {
    this.send({ t: 'answers', s: room.id });
  }

  private send(notice: Notice): void {
    this.bus.publish(busChannels.rooms, encoder.encode(JSON.stringify(notice)));
  }

  private receive(message: Uint8Array, from: string): void {
    let notice: Notice;
    try {
      notice = JSON.parse(decoder.decode(message)) as Notice;
    } catch {
      return;
    }
    this.elsewhere.heard(from);
    switch (notice.t) {
      case 'state': {
        const room = this.rooms.get(notice.s);
        if (room && notice.v > room.state.version) void this.hub.refresh(room);
        return;
      }
      case 'join': {
        const room = this.rooms.get(notice.s);
        if (room && !room.roster.has(notice.p.id)) room.roster.set(notice.p.id, notice.p);
        return;
      }
      case 'answers':
        this.hub.ballots.invalidate(notice.s);
        return;
      case 'online':
        this.elsewhere.change(from, notice.s, notice.p, notice.on);
        return;
      case 'here':
        this.touch(this.elsewhere.announce(from, notice.rooms));
        return;
      case 'hello':
        this.announce();
        return;
    }
  }

  private announce(): void {
    const rooms: Record<string, string[]> = {};
    for (const room of this.rooms.values()) if (room.sockets.size > 0) rooms[room.id] = [...room.sockets.keys()];
    this.send({ t: 'here', rooms });
  }

  /**
   * Presence learnt from an announcement or an expiry, not from a change as it happened:
   * the node where it changed may be gone, so this node tells its own staff.
   */
  private touch(touched: Touched[]): void {
    const bySession = new Map<string, Participant[]>();
    for (const { sessionId, participantId } of touched) {
      const p = this.rooms.get(sessionId)?.roster.get(participantId);
      if (!p) continue;
      const list = bySession.get(sessionId) ?? [];
      list.push(p);
      bySession.set(sessionId, list);
    }
    for (const [sessionId, people] of bySession) {
      const room = this.rooms.get(sessionId)!;
      this.localStaff(sessionId, { upsert: people.map((p) => room.view(p)), remove: [] });
    }
  }
}
