import type { AttendanceStatus, DecisionVote, MeetingStatus } from './types.js';

/**
 * Everything that changes a meeting, as a command: the server applies one to the stored
 * meeting with `applyMeetingOp` and writes the result with a version check, so two people
 * editing one meeting never overwrite each other. Ids of new things come from the client,
 * so a retried add is recognised and not applied twice.
 */
export type MeetingOp =
  | { type: 'meeting.update'; date?: string; time?: string; place?: string; chairId?: string | null; secretaryId?: string | null }
  | { type: 'meeting.status'; status: MeetingStatus }
  | { type: 'attendance.set'; accountId: string; status: AttendanceStatus | null }
  /** Everyone who joined the meeting's live session signed in is marked present. */
  | { type: 'attendance.fromSession'; accountIds: string[] }
  | { type: 'guest.add'; id: string; name: string; position: string }
  | { type: 'guest.remove'; id: string }
  | { type: 'item.add'; id: string; title: string; reporter?: string }
  /** Adds, first on the agenda, "On the execution of earlier decisions" listing the decisions open now. */
  | { type: 'item.addReview'; id: string }
  | { type: 'item.update'; id: string; title?: string; reporter?: string; heard?: string }
  | { type: 'item.move'; id: string; to: number }
  | { type: 'item.remove'; id: string }
  /** Ask for the floor: a member for themselves; a manager for anyone, by name or member id. */
  | { type: 'speaker.request'; itemId: string; id: string; name?: string; accountId?: string | null }
  /** Give the floor; whoever was speaking on that item is ended first. */
  | { type: 'speaker.start'; itemId: string; id: string }
  | { type: 'speaker.end'; itemId: string; id: string }
  | { type: 'speaker.update'; itemId: string; id: string; summary: string }
  | { type: 'speaker.remove'; itemId: string; id: string }
  | {
      type: 'decision.add';
      itemId: string;
      id: string;
      text: string;
      responsibleId?: string | null;
      responsibleName?: string;
      dueDate?: string | null;
    }
  | {
      type: 'decision.update';
      itemId: string;
      id: string;
      text?: string;
      responsibleId?: string | null;
      responsibleName?: string;
      dueDate?: string | null;
    }
  /** null clears the vote; `unanimous` fills "за" with everyone present. */
  | { type: 'decision.vote'; itemId: string; id: string; vote: DecisionVote | null }
  | { type: 'decision.unanimous'; itemId: string; id: string }
  | { type: 'decision.remove'; itemId: string; id: string };

export type MeetingOpType = MeetingOp['type'];

/** Ops a member who does not run the meeting may send, and only about themselves. */
export const SELF_OPS: readonly MeetingOpType[] = ['speaker.request', 'attendance.set', 'speaker.remove'];
