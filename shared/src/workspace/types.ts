import type { Locale } from '../model/types.js';

/**
 * What outlives a session: a workspace (a methodical cabinet or a school) with accounts,
 * standing councils, their meetings and the register of their decisions. The no-account
 * session stays the default; everything here is optional and lives beside it.
 */

/** From most to least rights; see `permissions.ts` for what each may do. */
export const WORKSPACE_ROLES = ['owner', 'methodologist', 'expert', 'teacher'] as const;
export type WorkspaceRole = (typeof WORKSPACE_ROLES)[number];

export interface Account {
  id: string;
  /** Unique, lower-case: letters, digits, dot, dash, underscore, @ (an e-mail works). */
  login: string;
  /** Full name as it goes into protocols ("Ахметова Г. С."). */
  name: string;
  createdAt: number;
}

export interface Workspace {
  id: string;
  name: string;
  /** The organisation printed at the head of every protocol (школа, отдел образования). */
  organisation: string;
  /** Where meetings are held unless a meeting says otherwise (a city, a school's address). */
  place: string;
  /** The language protocols are drawn up in unless asked otherwise. */
  locale: Locale;
  createdAt: number;
}

export interface Member {
  accountId: string;
  name: string;
  login: string;
  role: WorkspaceRole;
  joinedAt: number;
}

/** A link that makes whoever opens it (signed in) a member with `role`; only its token's hash is kept. */
export interface Invitation {
  id: string;
  workspaceId: string;
  role: WorkspaceRole;
  createdBy: string;
  createdAt: number;
  expiresAt: number;
  maxUses: number;
  uses: number;
  revoked: boolean;
}

/**
 * How many members make a meeting competent:
 * `majority` more than half; `two-thirds` at least two thirds;
 * `fraction` at least num/den; `count` at least `min` members.
 */
export type QuorumRule =
  | { kind: 'majority' }
  | { kind: 'two-thirds' }
  | { kind: 'fraction'; num: number; den: number }
  | { kind: 'count'; min: number };

export const COUNCIL_KINDS = ['methodical', 'expert', 'pedagogical', 'other'] as const;
export type CouncilKind = (typeof COUNCIL_KINDS)[number];

/** A standing body of a workspace (городской методический совет, экспертный совет). */
export interface Council {
  id: string;
  workspaceId: string;
  name: string;
  kind: CouncilKind;
  /** Account ids; the chair and secretary are members too. */
  memberIds: string[];
  chairId: string | null;
  secretaryId: string | null;
  quorum: QuorumRule;
  createdAt: number;
  /** Raised by every change; a change computed from an older version is refused (`conflict`). */
  version: number;
}

export type AttendanceStatus = 'present' | 'absent';

/** An invited person who is not a member (a guest speaker, a school's director). */
export interface Guest {
  id: string;
  name: string;
  /** Position or organisation, as the protocol lists it. */
  position: string;
}

/**
 * Someone who took (or asked for) the floor on an agenda item: the queue is the entries
 * with `startedAt` null, in `requestedAt` order; an ended entry feeds ВЫСТУПИЛИ.
 */
export interface Speaker {
  id: string;
  /** The member who asked, or null for a guest or anyone the secretary adds by name. */
  accountId: string | null;
  name: string;
  requestedAt: number;
  startedAt: number | null;
  endedAt: number | null;
  /** What they said, in a line or two, as the secretary records it. */
  summary: string;
}

/** За / против / воздержались, counted by the secretary. */
export interface DecisionVote {
  for: number;
  against: number;
  abstained: number;
}

export interface MeetingDecision {
  id: string;
  text: string;
  /** A member responsible for carrying it out, or null when only a name is given. */
  responsibleId: string | null;
  /** The responsible person's name as printed (filled from the member when `responsibleId` is set). */
  responsibleName: string;
  /** `YYYY-MM-DD`, or null for "постоянно" / no deadline. */
  dueDate: string | null;
  vote: DecisionVote | null;
}

export const AGENDA_ITEM_KINDS = ['regular', 'execution'] as const;
export type AgendaItemKind = (typeof AGENDA_ITEM_KINDS)[number];

export interface AgendaItem {
  id: string;
  /** `execution`: "On the execution of earlier decisions", reviewing `reviewed`. */
  kind: AgendaItemKind;
  title: string;
  /** Who reports on it (СЛУШАЛИ: name, position). */
  reporter: string;
  /** A summary of the report. */
  heard: string;
  speakers: Speaker[];
  decisions: MeetingDecision[];
  /** For an execution item: the decisions of earlier meetings open when it was added. */
  reviewed: string[];
}

export const MEETING_STATUSES = ['planned', 'open', 'closed'] as const;
export type MeetingStatus = (typeof MEETING_STATUSES)[number];

/** One sitting of a council, numbered per council per calendar year (протокол № N). */
export interface Meeting {
  id: string;
  workspaceId: string;
  councilId: string;
  /** The year of `date` at creation; the number counts within it and never changes. */
  year: number;
  number: number;
  /** `YYYY-MM-DD`; may change within `year` only. */
  date: string;
  /** `HH:MM` or empty. */
  time: string;
  place: string;
  status: MeetingStatus;
  /** The council's members when the meeting was created (the quorum counts these). */
  memberIds: string[];
  chairId: string | null;
  secretaryId: string | null;
  quorum: QuorumRule;
  attendance: Record<string, AttendanceStatus>;
  guests: Guest[];
  items: AgendaItem[];
  /** The live session run for this meeting (room code), if one was opened. */
  sessionId: string | null;
  sessionCode: string | null;
  createdAt: number;
  version: number;
}

/** How a decision's execution stands, as recorded after the meeting. */
export interface DecisionExecution {
  decisionId: string;
  done: boolean;
  doneAt: number | null;
  note: string;
  updatedBy: string;
  updatedAt: number;
}

/** `overdue`: not done and its deadline passed. */
export const DECISION_STATUSES = ['open', 'done', 'overdue'] as const;
export type DecisionStatus = (typeof DECISION_STATUSES)[number];

/** One line of the decision register. */
export interface RegisterEntry {
  decision: MeetingDecision;
  meetingId: string;
  councilId: string;
  councilName: string;
  meetingNumber: number;
  meetingYear: number;
  meetingDate: string;
  itemId: string;
  itemTitle: string;
  status: DecisionStatus;
  doneAt: number | null;
  note: string;
}

export interface RegisterFilter {
  status?: DecisionStatus;
  councilId?: string;
  responsibleId?: string;
  /** Deadlines from / to, `YYYY-MM-DD` inclusive. */
  dueFrom?: string;
  dueTo?: string;
  /** Words in the decision's text or the responsible person's name. */
  q?: string;
}

/** A session a signed-in teacher took part in. */
export interface Participation {
  sessionId: string;
  participantId: string;
  code: string;
  title: string;
  template: string;
  workspaceId: string | null;
  groupName: string | null;
  joinedAt: number;
}
