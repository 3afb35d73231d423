import type { LayoutId } from '../board/layouts.js';
import type { BoardScope, StageKind, TemplateId } from '../model/types.js';

export interface StageTemplate {
  key: string;
  kind: StageKind;
  board: BoardScope;
  plannedMin: number;
  layout: LayoutId;
  privateWriting: boolean;
  showAuthors: boolean;
}

interface StageOptions {
  layout?: LayoutId;
  privateWriting?: boolean;
  showAuthors?: boolean;
}

export interface MethodTemplate {
  id: TemplateId;
  stages: StageTemplate[];
  defaultGroups: number;
}

const stage = (
  key: string,
  kind: StageKind,
  board: BoardScope,
  plannedMin: number,
  opts: StageOptions = {},
): StageTemplate => ({
  key,
  kind,
  board,
  plannedMin,
  layout: opts.layout ?? 'free',
  privateWriting: opts.privateWriting ?? false,
  showAuthors: opts.showAuthors ?? true,
});

/** The case method: the eight stages of the brief. */
const caseMethod: MethodTemplate = {
  id: 'case-method',
  defaultGroups: 4,
  stages: [
    stage('case.join', 'join', 'none', 5),
    stage('case.read', 'read', 'none', 10),
    stage('case.individual', 'individual', 'individual', 10, { layout: 'case-individual' }),
    stage('case.group', 'group', 'group', 25, { layout: 'case-analysis' }),
    stage('case.present', 'present', 'group', 15, { layout: 'case-analysis' }),
    stage('case.vote', 'vote', 'none', 5),
    stage('case.decide', 'decide', 'none', 10),
    stage('case.reflect', 'reflect', 'individual', 10, { layout: 'reflection', showAuthors: false }),
  ],
};

/** Design thinking with the methodologist as tutor: five stages framed by an opening and a closing. */
const designThinking: MethodTemplate = {
  id: 'design-thinking',
  defaultGroups: 5,
  stages: [
    stage('dt.opening', 'join', 'none', 10),
    stage('dt.empathy', 'group', 'group', 30, { layout: 'empathy-map' }),
    stage('dt.focus', 'group', 'group', 20, { layout: 'focus' }),
    stage('dt.ideation', 'group', 'group', 30, { layout: 'impact-effort', privateWriting: true }),
    stage('dt.prototype', 'group', 'group', 30, { layout: 'prototype' }),
    stage('dt.test', 'present', 'group', 30, { layout: 'feedback-grid' }),
    stage('dt.closing', 'reflect', 'individual', 10, { layout: 'reflection', showAuthors: false }),
  ],
};

/** Expert assessment: the expert group, criteria, the instrument, rating, analysis (W, V, outliers), conclusions. */
const expertAssessment: MethodTemplate = {
  id: 'expert-assessment',
  defaultGroups: 1,
  stages: [
    stage('ea.group', 'join', 'none', 10),
    stage('ea.criteria', 'group', 'group', 15, { layout: 'ideas' }),
    stage('ea.instrument', 'individual', 'none', 10),
    stage('ea.rating', 'individual', 'none', 20),
    stage('ea.analysis', 'individual', 'none', 15),
    stage('ea.conclusions', 'group', 'group', 15),
  ],
};

/** Delphi: anonymous rounds with feedback (median, IQR, comments) between them. */
const delphi: MethodTemplate = {
  id: 'delphi',
  defaultGroups: 0,
  stages: [
    stage('delphi.briefing', 'join', 'none', 10),
    stage('delphi.round1', 'individual', 'none', 20),
    stage('delphi.round2', 'individual', 'none', 20),
    stage('delphi.round3', 'individual', 'none', 20),
    stage('delphi.conclusions', 'decide', 'none', 10),
  ],
};

/** Nominal group technique: silent writing, round-robin, clarification, private ranking, results. */
const nominalGroup: MethodTemplate = {
  id: 'nominal-group',
  defaultGroups: 1,
  stages: [
    stage('ngt.writing', 'individual', 'individual', 10, { layout: 'ideas', privateWriting: true, showAuthors: false }),
    stage('ngt.roundrobin', 'group', 'group', 20, { layout: 'ideas' }),
    stage('ngt.clarify', 'group', 'group', 15, { layout: 'ideas' }),
    stage('ngt.ranking', 'individual', 'none', 10),
    stage('ngt.results', 'decide', 'none', 10),
  ],
};

/** The questionnaire of Appendix 1 as a session of its own. */
const questionnaire: MethodTemplate = {
  id: 'questionnaire',
  defaultGroups: 0,
  stages: [
    stage('qn.join', 'join', 'none', 5),
    stage('qn.answer', 'individual', 'none', 20),
    stage('qn.results', 'individual', 'none', 15),
  ],
};

/** Self-assessment: self-rating by criteria, the reflection diary, a portfolio of achievements. */
const selfAssessment: MethodTemplate = {
  id: 'self-assessment',
  defaultGroups: 0,
  stages: [
    stage('sa.rating', 'individual', 'none', 15),
    stage('sa.diary', 'reflect', 'none', 20),
    stage('sa.portfolio', 'individual', 'individual', 20, { showAuthors: true }),
  ],
};

/** The structured expert interview: the guide, the interviews, coding the answers by themes, the summary table. */
const expertInterview: MethodTemplate = {
  id: 'expert-interview',
  defaultGroups: 0,
  stages: [
    stage('ei.guide', 'join', 'none', 10),
    stage('ei.interviews', 'individual', 'none', 30),
    stage('ei.coding', 'individual', 'none', 20),
    stage('ei.summary', 'individual', 'none', 15),
  ],
};

export const TEMPLATES: Record<TemplateId, MethodTemplate> = {
  'case-method': caseMethod,
  'design-thinking': designThinking,
  'expert-assessment': expertAssessment,
  delphi,
  'nominal-group': nominalGroup,
  questionnaire,
  'self-assessment': selfAssessment,
  'expert-interview': expertInterview,
};
