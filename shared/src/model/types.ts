/** The languages every screen, projector and set of minutes speaks. */
export const LOCALES = ['ru', 'kk', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export const TEMPLATE_IDS = [
  'case-method',
  'design-thinking',
  'expert-assessment',
  'delphi',
  'nominal-group',
  'questionnaire',
  'self-assessment',
  'expert-interview',
] as const;
export type TemplateId = (typeof TEMPLATE_IDS)[number];

/** What a stage asks of the room; drives the participant screen. */
export type StageKind =
  | 'join'
  | 'read'
  | 'individual'
  | 'group'
  | 'present'
  | 'vote'
  | 'decide'
  | 'reflect';

import type { LayoutId } from '../board/layouts.js';
import type { BallotDef } from '../ballots/types.js';
import type { InterviewState } from '../interview/types.js';

/** Which board teachers write on during a stage. */
export type BoardScope = 'none' | 'individual' | 'group';

export interface StageVisit {
  startedAt: number;
  endedAt: number | null;
}

export interface Stage {
  id: string;
  /** Catalogue key of the template's stage (`stage.<key>.title` / `.instructions`). */
  key: string;
  kind: StageKind;
  board: BoardScope;
  /** The facilitator's own title; null shows the template's, in each viewer's language. */
  title: string | null;
  instructions: string | null;
  plannedMin: number;
  /** Every time the stage was the current one, in order (going back adds a visit). */
  visits: StageVisit[];
  /** How the stage's board is laid out. */
  layout: LayoutId;
  /**
   * Silent writing: teachers write on their own board, seen by nobody else
   * (not even their group) until the facilitator reveals the stage.
   */
  privateWriting: boolean;
  /** Set by the reveal: the stage's private notes were copied onto the group boards. */
  revealed: boolean;
  /** Whether notes show their author's name in this stage. */
  showAuthors: boolean;
}

export type TimerState =
  | { status: 'idle'; durationMs: number }
  | { status: 'running'; durationMs: number; endsAt: number }
  | { status: 'paused'; durationMs: number; remainingMs: number };

export const GROUP_ROLES = ['speaker', 'scribe', 'timekeeper'] as const;
export type GroupRole = (typeof GROUP_ROLES)[number];

export interface Group {
  id: string;
  name: string;
  /** The solution the group proposes to the plenary; null until marked. */
  solution: string | null;
  /** Who holds each role in the group (participant ids). */
  roles: Partial<Record<GroupRole, string>>;
}

export type GroupMode = 'assigned' | 'self';

export interface CaseText {
  title: string;
  situation: string;
  questions: string;
}

export interface VoteOption {
  id: string;
  label: string;
  groupName: string;
}

export interface RankedOption {
  optionId: string;
  votes: number;
  /** Share of all dots cast, 0..1. */
  share: number;
  /** 1-based; equal votes share a rank. */
  rank: number;
}

export interface VoteResults {
  voters: number;
  dots: number;
  ranking: RankedOption[];
  /** More than one option holds the top count. */
  tieForFirst: boolean;
}

export type VoteStatus = 'idle' | 'open' | 'closed' | 'revealed';

export interface VoteState {
  status: VoteStatus;
  /** Incremented on every fresh vote; ballots belong to a round. */
  round: number;
  dots: number;
  maxPerOption: number;
  options: VoteOption[];
  results: VoteResults | null;
}

/** The protocol's particulars, set by the facilitator before exporting the minutes. */
export interface ProtocolInfo {
  /** The school or department holding the council. */
  organisation: string;
  place: string;
  /** The protocol's number as the organisation files it, e.g. "3" or "МС-12". */
  number: string;
  /** A free-text summary of the session, shown before the decisions. */
  summary: string;
  /** The decisions, one item each; when empty the minutes fall back to the recorded vote decision. */
  decisions: string[];
}

export interface Decision {
  optionId: string | null;
  title: string;
  reason: string;
  recordedAt: number;
}

/** Control state: small, server-authoritative, broadcast to every screen. */
export interface SessionState {
  id: string;
  code: string;
  title: string;
  /** The facilitator's name as it appears in the minutes. */
  facilitator: string;
  locale: Locale;
  template: TemplateId;
  createdAt: number;
  version: number;
  stageIndex: number;
  stages: Stage[];
  timer: TimerState;
  groups: Group[];
  groupMode: GroupMode;
  case: CaseText;
  vote: VoteState;
  decision: Decision | null;
  /** Particulars and closing text of the minutes. */
  protocol: ProtocolInfo;
  /** What the projector shows: a board, and which ballot (null: the most recent one that is not a draft). */
  screen: { board: string | null; ballot?: string | null };
  /** "Follow me": the board every screen is brought to, until released (null). */
  follow: string | null;
  /** General ballots (polls, rankings, ratings, expert matrices…); answers live apart, never here. */
  ballots: BallotDef[];
  /** The structured expert interview's guide, themes and settings; absent until one is set. Answers live apart, never here. */
  interview?: InterviewState;
}

/** A teacher in the room. Kept out of SessionState so a 5,000-strong roster is not re-sent on each change. */
export interface Participant {
  id: string;
  name: string;
  groupId: string | null;
  joinedAt: number;
  online?: boolean;
}

export type Actor =
  | { role: 'facilitator' }
  | { role: 'participant'; id: string; groupId: string | null }
  | { role: 'screen' };

/** A ballot's dots: option id → number of dots. */
export type Allocation = Record<string, number>;
