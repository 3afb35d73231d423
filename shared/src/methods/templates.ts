import type { BoardScope, StageKind, TemplateId } from '../model/types.js';

export interface StageTemplate {
  key: string;
  kind: StageKind;
  board: BoardScope;
  plannedMin: number;
}

export interface MethodTemplate {
  id: TemplateId;
  stages: StageTemplate[];
  defaultGroups: number;
}

const stage = (key: string, kind: StageKind, board: BoardScope, plannedMin: number): StageTemplate => ({
  key,
  kind,
  board,
  plannedMin,
});

/** The case method: the eight stages of the brief. */
const caseMethod: MethodTemplate = {
  id: 'case-method',
  defaultGroups: 4,
  stages: [
    stage('case.join', 'join', 'none', 5),
    stage('case.read', 'read', 'none', 10),
    stage('case.individual', 'individual', 'individual', 10),
    stage('case.group', 'group', 'group', 25),
    stage('case.present', 'present', 'group', 15),
    stage('case.vote', 'vote', 'none', 5),
    stage('case.decide', 'decide', 'none', 10),
    stage('case.reflect', 'reflect', 'individual', 10),
  ],
};

/** Design thinking with the methodologist as tutor: five stages framed by an opening and a closing. */
const designThinking: MethodTemplate = {
  id: 'design-thinking',
  defaultGroups: 5,
  stages: [
    stage('dt.opening', 'join', 'none', 10),
    stage('dt.empathy', 'group', 'group', 30),
    stage('dt.focus', 'group', 'group', 20),
    stage('dt.ideation', 'group', 'group', 30),
    stage('dt.prototype', 'group', 'group', 30),
    stage('dt.test', 'present', 'group', 30),
    stage('dt.closing', 'reflect', 'individual', 10),
  ],
};

export const TEMPLATES: Record<TemplateId, MethodTemplate> = {
  'case-method': caseMethod,
  'design-thinking': designThinking,
};
