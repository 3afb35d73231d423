import type { FormOfWork } from '../board/cards.js';

/**
 * What a sprint's prototype becomes once the session is over: a project of the workspace,
 * monitored to its results (indicators, milestones, reports) and assessed by experts.
 */

/** A result indicator: where it started, where it should get to. */
export interface Indicator {
  id: string;
  name: string;
  /** "%", "уроков", "учеников" — printed after the figures. */
  unit: string;
  baseline: number;
  target: number;
}

export const MILESTONE_KINDS = ['intermediate', 'final'] as const;
export type MilestoneKind = (typeof MILESTONE_KINDS)[number];

export interface Milestone {
  id: string;
  title: string;
  kind: MilestoneKind;
  /** `YYYY-MM-DD`, or null when not fixed. */
  due: string | null;
}

export interface TeamMember {
  /** A member of the workspace, or null for someone named only. */
  accountId: string | null;
  name: string;
  /** Their part in the project ("руководитель группы", "методист"). */
  role: string;
}

/** A weighted criterion an expert scores a report on (the rating matrix of the expert methods). */
export interface Criterion {
  id: string;
  label: string;
  /** Positive; weights need not sum to 1 (they are normalised). */
  weight: number;
}

/** One expert's scores of a report, per criterion, on the assessment's scale. */
export interface ExpertScore {
  expertId: string;
  scores: Record<string, number>;
  comment: string;
  at: number;
}

/**
 * The expert council's assessment of one report: open while experts score it, then closed
 * with its result kept on the project (means per criterion, weighted total, Kendall's W).
 */
export interface Assessment {
  /** The council whose members score (null: any expert or methodologist of the workspace). */
  councilId: string | null;
  criteria: Criterion[];
  scale: { min: number; max: number };
  scores: ExpertScore[];
  openedAt: number;
  closedAt: number | null;
}

/** An intermediate or final report on a milestone. */
export interface ProjectReport {
  id: string;
  milestoneId: string;
  text: string;
  /** Indicator id → the value reached at this report. */
  values: Record<string, number>;
  /** Ids of uploaded files (see `BlobMeta`). */
  attachmentIds: string[];
  submittedBy: string;
  submittedAt: number;
  assessment: Assessment | null;
}

export const PROJECT_STATUSES = ['planned', 'active', 'completed', 'suspended'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

export interface StatusChange {
  status: ProjectStatus;
  at: number;
  by: string;
  note: string;
}

/** Where a project came from: a prototype card on a group board of a sprint. */
export interface ProjectSource {
  sessionId: string;
  code: string;
  boardId: string;
  cardId: string;
}

export interface Project {
  id: string;
  workspaceId: string;
  title: string;
  /** The project manager: a member, or only a name. */
  managerId: string | null;
  managerName: string;
  team: TeamMember[];
  goal: string;
  audience: string;
  forms: FormOfWork[];
  formsOther: string;
  indicators: Indicator[];
  milestones: Milestone[];
  reports: ProjectReport[];
  status: ProjectStatus;
  /** Every status the project had, oldest first (the first is its creation). */
  history: StatusChange[];
  source: ProjectSource | null;
  createdAt: number;
  version: number;
}

/** An uploaded file as listed; the bytes are read apart. */
export interface BlobMeta {
  id: string;
  workspaceId: string | null;
  /** Who uploaded it. */
  ownerId: string;
  name: string;
  /** The content type as checked from the bytes, not as the browser said. */
  type: string;
  size: number;
  /** SHA-256 of the bytes, hex. */
  sha256: string;
  createdAt: number;
}

export const PRODUCT_TYPES = ['curriculum', 'digital-resource', 'teaching-kit', 'article', 'other'] as const;
export type ProductType = (typeof PRODUCT_TYPES)[number];

/** A methodical product of the teacher's (a programme, a digital resource, a teaching kit). */
export interface MethodicalProduct {
  id: string;
  title: string;
  type: ProductType;
  year: number;
  coAuthors: string;
  /** A link, or null when a file is attached instead. */
  url: string | null;
  fileId: string | null;
}

export interface Certificate {
  id: string;
  title: string;
  issuer: string;
  /** `YYYY-MM-DD`. */
  date: string;
  fileId: string | null;
}

/** A note at a moment of a lesson recording: "12:40 — students work in pairs". */
export interface TimedNote {
  atSec: number;
  text: string;
}

/** Self-analysis of a lesson from its recording. */
export interface LessonVideo {
  id: string;
  title: string;
  /** `YYYY-MM-DD`. */
  date: string;
  url: string;
  notes: TimedNote[];
}

/** The parts of a teacher's portfolio the teacher keeps by hand (sessions, ratings and diary come from their sessions). */
export interface PortfolioRecord {
  accountId: string;
  /** Position, school, subject, category: the title page's particulars. */
  particulars: { position: string; school: string; subject: string; category: string; experience: string };
  /** The explanatory note (пояснительная записка). */
  note: string;
  products: MethodicalProduct[];
  certificates: Certificate[];
  videos: LessonVideo[];
  /** Copies of the teacher's own self-ratings, kept when they answered (the ballot's answers stay unlinkable). */
  selfRatings: SelfRating[];
  version: number;
}

/** One self-rating of the teacher's, as kept in their portfolio. */
export interface SelfRating {
  sessionId: string;
  code: string;
  sessionTitle: string;
  ballotId: string;
  round: number;
  title: string;
  /** `YYYY-MM-DD`, the day it was given. */
  date: string;
  at: number;
  scale: { min: number; max: number };
  ratings: { criterionId: string; label: string; value: number }[];
}
