import type { FormOfWork } from '../board/cards.js';
import type { Criterion, Indicator, Milestone, ProjectStatus, TeamMember } from './types.js';

/**
 * Every change to a project, as a command applied by `applyProjectOp` to the stored project
 * and written with a version check (as meetings are). New things carry client-made ids.
 */
export type ProjectOp =
  | {
      type: 'project.update';
      title?: string;
      managerId?: string | null;
      managerName?: string;
      goal?: string;
      audience?: string;
      forms?: FormOfWork[];
      formsOther?: string;
      team?: TeamMember[];
    }
  | { type: 'project.status'; status: ProjectStatus; note?: string }
  | { type: 'indicator.put'; indicator: Indicator }
  | { type: 'indicator.remove'; id: string }
  | { type: 'milestone.put'; milestone: Milestone }
  | { type: 'milestone.remove'; id: string }
  /** Only the manager, the team's members and whoever runs the workspace submit reports. */
  | { type: 'report.add'; id: string; milestoneId: string; text: string; values: Record<string, number>; attachmentIds: string[] }
  | { type: 'report.update'; id: string; text?: string; values?: Record<string, number>; attachmentIds?: string[] }
  /** Opens the expert assessment of a report (managers only). */
  | { type: 'assessment.open'; reportId: string; councilId: string | null; criteria: Criterion[]; scale: { min: number; max: number } }
  /** An expert's own scores (replaces their earlier ones while the assessment is open). */
  | { type: 'assessment.score'; reportId: string; scores: Record<string, number>; comment: string }
  | { type: 'assessment.close'; reportId: string }
  | { type: 'assessment.reopen'; reportId: string };

export type ProjectOpType = ProjectOp['type'];
