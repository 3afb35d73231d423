import type { GroupMate, Participant, SessionState } from '@kenes/shared';
import { Serial } from '../serial.js';

/** One live session in memory: rebuilt from the store at any time, so no node owns it. */
export class Room {
  readonly roster: Map<string, Participant>;
  /** Open sockets per teacher; a teacher is online while any tab is. */
  readonly sockets = new Map<string, number>();
  pendingRoster = new Map<string, Participant>();
  rosterTimer: NodeJS.Timeout | null = null;
  progressTimer: NodeJS.Timeout | null = null;
  /**
   * Commands, votes, answers and diary writes of this room, one at a time in arrival
   * order: each reads the state, writes the store and updates memory before the next starts.
   */
  readonly serial = new Serial();
  /** Whether a teacher is online through another node (cluster mode); never on one node. */
  elsewhere: (participantId: string) => boolean = () => false;

  constructor(
    public state: SessionState,
    participants: Participant[],
  ) {
    this.roster = new Map(participants.map((p) => [p.id, p]));
  }

  get id(): string {
    return this.state.id;
  }

  /** A roster entry as screens see it, with presence. */
  view(p: Participant): Participant {
    return { ...p, online: this.online(p.id) };
  }

  /** A group's members as groupmates see them (nobody's group when `groupId` is null). */
  mates(groupId: string | null): GroupMate[] {
    if (!groupId) return [];
    const out: GroupMate[] = [];
    for (const p of this.roster.values()) if (p.groupId === groupId) out.push({ id: p.id, name: p.name });
    return out;
  }

  present(): Participant[] {
    return [...this.roster.values()].filter((p) => this.online(p.id));
  }

  private online(participantId: string): boolean {
    return (this.sockets.get(participantId) ?? 0) > 0 || this.elsewhere(participantId);
  }
}
