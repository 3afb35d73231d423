import type { Meeting, QuorumRule } from './types.js';

/** The quorum of a meeting as the protocol states it: N present of M members, K required. */
export interface QuorumView {
  members: number;
  present: number;
  absent: number;
  needed: number;
  met: boolean;
}

/**
 * Members who must be present out of `members`. "More than half" of 10 is 6 and of 9 is 5;
 * two thirds and fractions round up; a fixed count never asks for more than there are members.
 */
export function quorumNeeded(rule: QuorumRule, members: number): number {
  if (members <= 0) return 0;
  switch (rule.kind) {
    case 'majority':
      return Math.floor(members / 2) + 1;
    case 'two-thirds':
      return Math.ceil((members * 2) / 3);
    case 'fraction':
      return Math.min(members, Math.max(1, Math.ceil((members * rule.num) / rule.den)));
    case 'count':
      return Math.min(members, Math.max(1, rule.min));
  }
}

/** Counts the meeting's members only: guests and people no longer on the council do not make a quorum. */
export function quorumView(meeting: Pick<Meeting, 'memberIds' | 'attendance' | 'quorum'>): QuorumView {
  const members = meeting.memberIds.length;
  const present = meeting.memberIds.filter((id) => meeting.attendance[id] === 'present').length;
  const absent = meeting.memberIds.filter((id) => meeting.attendance[id] === 'absent').length;
  const needed = quorumNeeded(meeting.quorum, members);
  return { members, present, absent, needed, met: members > 0 && present >= needed };
}
