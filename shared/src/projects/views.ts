import type { CardFields } from '../board/cards.js';
import type { Agreement, Spread } from '../ballots/types.js';
import type { DiaryKind } from '../diary/types.js';
import type { Account, Participation } from '../workspace/types.js';
import type { BlobMeta, PortfolioRecord, Project } from './types.js';

/** What the project routes answer with: the project and what is drawn from it. */

/** The result of one report's expert assessment, as shown and printed. */
export interface AssessmentSummary {
  reportId: string;
  open: boolean;
  /** Experts who scored every criterion. */
  experts: number;
  /** Per criterion: its weight (normalised to sum 1) and the spread of the experts' scores. */
  criteria: { id: string; label: string; weight: number; spread: Spread }[];
  /** Per expert, their weighted score Σ wᶜ·scoreᶜ / Σ wᶜ; in the order the experts scored. */
  perExpert: { expertId: string; name: string; total: number; comment: string }[];
  /** The mean of the experts' weighted scores; null before anyone scored. */
  total: number | null;
  /** The total as a share of the scale (0…1), for a bar; null before anyone scored. */
  share: number | null;
  /** Kendall's W across the experts over the criteria (do they agree where the report is strong); null with fewer than 2 experts or criteria. */
  agreement: Agreement | null;
}

/** One indicator's way from baseline to target through the reports, oldest first. */
export interface IndicatorProgress {
  indicatorId: string;
  name: string;
  unit: string;
  baseline: number;
  target: number;
  points: { reportId: string; milestoneId: string; at: number; value: number }[];
  /** The latest value reached, or null before any report gave one. */
  latest: number | null;
  /** (latest − baseline) / (target − baseline), clamped to 0…1; null when undefined. */
  share: number | null;
}

/** What the signed-in caller may do with a project. */
export interface ProjectCan {
  /** Change the project, its indicators and milestones, open and close assessments. */
  edit: boolean;
  /** Add and change reports, change the status. */
  report: boolean;
  /** Score reports under assessment. */
  score: boolean;
}

export interface ProjectView {
  project: Project;
  /** The metadata of every attachment of the project's reports. */
  files: BlobMeta[];
  assessments: Record<string, AssessmentSummary>;
  progress: IndicatorProgress[];
  can: ProjectCan;
  /** Account id → full name, for the workspace's members named in the project. */
  names: Record<string, string>;
}

/** A prototype card of a workspace session, offered to become a project. */
export interface SessionCard {
  boardId: string;
  cardId: string;
  title: string;
  /** The group the card was made (or published) by; null on the plenary board without one. */
  groupName: string | null;
  card: CardFields;
  /** The project made from it, if one was. */
  projectId: string | null;
}

/** A session the teacher took part in, as their portfolio lists it. */
export interface PortfolioSession extends Participation {
  /** `YYYY-MM-DD`, the day they joined. */
  date: string;
  /** Their role in the group (speaker, scribe, timekeeper), if they had one. */
  groupRole: string | null;
}

/** A reflection diary entry of the teacher's, across sessions. */
export interface PortfolioDiaryEntry {
  id: string;
  sessionId: string;
  code: string;
  sessionTitle: string;
  kind: DiaryKind;
  text: string;
  shared: boolean;
  createdAt: number;
}

export interface PortfolioView {
  record: PortfolioRecord;
  account: Account;
  sessions: PortfolioSession[];
  /** Others (a methodologist of the teacher's workspace) see only the shared ones. */
  diary: PortfolioDiaryEntry[];
  /** The metadata of every file the record refers to. */
  files: BlobMeta[];
}
