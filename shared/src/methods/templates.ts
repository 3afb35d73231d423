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

export const TEMPLATES: Record<TemplateId, MethodTemplate> = {
  'case-method': caseMethod,
  'design-thinking': designThinking,
};
