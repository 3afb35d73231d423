import { describe, expect, it } from 'vitest';
import {
  applyProjectOp,
  assessmentSummary,
  indicatorProgress,
  indicatorsFromText,
  kendallW,
  newProject,
  projectCan,
  projectFieldsFromCard,
  type Project,
  type ProjectOp,
  type ProjectOpContext,
  type WorkspaceRole,
} from '../src/index.js';

const NAMES: Record<string, string> = {
  boss: 'Ахметова Г. С.',
  mgr: 'Иванова А. П.',
  mate: 'Сейтқали Н.',
  e1: 'Expert One',
  e2: 'Expert Two',
  e3: 'Expert Three',
  outsider: 'Expert Four',
};
const ROLES: Record<string, WorkspaceRole> = { boss: 'methodologist', mgr: 'teacher', mate: 'teacher', e1: 'expert', e2: 'expert', e3: 'expert', outsider: 'expert' };
const COUNCIL = ['e1', 'e2', 'e3', 'mate'];

let clock = 1_000;
function ctx(actorId: string): ProjectOpContext {
  return {
    actorId,
    role: ROLES[actorId] ?? null,
    now: ++clock,
    names: NAMES,
    councilMembers: (id) => (id === 'expert-council' ? COUNCIL : null),
    attachable: (id) => id.startsWith(`${actorId}-file`),
  };
}

function project(): Project {
  return newProject({
    id: 'p1',
    workspaceId: 'w1',
    title: 'Цифровая грамотность',
    managerId: 'mgr',
    managerName: NAMES.mgr!,
    goal: '',
    audience: '',
    forms: ['worldCafe'],
    formsOther: '',
    team: [{ accountId: 'mate', name: NAMES.mate!, role: 'методист' }],
    indicators: [{ id: 'i1', name: 'Доля уроков с ЦОР', unit: '%', baseline: 20, target: 60 }],
    milestones: [
      { id: 'm1', title: 'Промежуточный', kind: 'intermediate', due: '2027-01-20' },
      { id: 'm2', title: 'Итоговый', kind: 'final', due: null },
    ],
    source: null,
    by: 'boss',
    now: 1,
  });
}

function run(p: Project, actor: string, op: ProjectOp): Project {
  const r = applyProjectOp(p, op, ctx(actor));
  if (!r.ok) throw new Error(`${op.type} by ${actor}: ${r.error}`);
  return r.project;
}

const refused = (p: Project, actor: string, op: ProjectOp) => {
  const r = applyProjectOp(p, op, ctx(actor));
  return r.ok ? 'applied' : r.error;
};

const CRITERIA = [
  { id: 'c1', label: 'Relevance', weight: 2 },
  { id: 'c2', label: 'Results', weight: 1 },
  { id: 'c3', label: 'Reach', weight: 1 },
];

function assessed(): Project {
  let p = run(project(), 'mgr', { type: 'report.add', id: 'r1', milestoneId: 'm1', text: 'Итоги полугодия', values: { i1: 35 }, attachmentIds: [] });
  p = run(p, 'boss', { type: 'assessment.open', reportId: 'r1', councilId: 'expert-council', criteria: CRITERIA, scale: { min: 1, max: 5 } });
  p = run(p, 'e1', { type: 'assessment.score', reportId: 'r1', scores: { c1: 5, c2: 4, c3: 2 }, comment: 'хорошо' });
  p = run(p, 'e2', { type: 'assessment.score', reportId: 'r1', scores: { c1: 4, c2: 3, c3: 1 }, comment: '' });
  return run(p, 'e3', { type: 'assessment.score', reportId: 'r1', scores: { c1: 5, c2: 2, c3: 3 }, comment: '' });
}

describe('a sprint card becomes a project', () => {
  it('takes one indicator per line of the card, bullets and numbering stripped', () => {
    const ids = (n: number) => `ind${n}`;
    expect(indicatorsFromText('- Доля уроков с ЦОР\n\n2) Число открытых уроков\n• Охват учителей  ', ids).map((i) => [i.id, i.name])).toEqual([
      ['ind0', 'Доля уроков с ЦОР'],
      ['ind1', 'Число открытых уроков'],
      ['ind2', 'Охват учителей'],
    ]);
  });

  it('links the manager to the one member of that name, ignoring case and spaces, and names only otherwise', () => {
    const card = { title: ' Кейс-клуб ', manager: 'иванова  а. п.', goal: 'g', audience: 'a', forms: ['ted' as const], formsOther: '', indicators: 'x' };
    const f = projectFieldsFromCard(card, NAMES, (n) => `i${n}`);
    expect(f).toMatchObject({ title: 'Кейс-клуб', managerId: 'mgr', forms: ['ted'] });
    expect(projectFieldsFromCard({ ...card, manager: 'Петров' }, NAMES, String).managerId).toBeNull();
  });
});

describe('who may change a project', () => {
  it('lets only owners and methodologists edit, and the team report', () => {
    const p = project();
    expect(refused(p, 'mgr', { type: 'indicator.remove', id: 'i1' })).toBe('forbidden');
    expect(refused(p, 'e1', { type: 'report.add', id: 'r9', milestoneId: 'm1', text: '', values: {}, attachmentIds: [] })).toBe('forbidden');
    expect(refused(p, 'mate', { type: 'report.add', id: 'r9', milestoneId: 'm1', text: '', values: {}, attachmentIds: [] })).toBe('applied');
    expect(refused(p, 'stranger', { type: 'project.status', status: 'active' })).toBe('forbidden');
  });

  it('refuses values for unknown indicators, unknown milestones, reused ids and files not the actor’s', () => {
    const p = project();
    const add = (over: Partial<Extract<ProjectOp, { type: 'report.add' }>>): ProjectOp => ({ type: 'report.add', id: 'r1', milestoneId: 'm1', text: '', values: {}, attachmentIds: [], ...over });
    expect(refused(p, 'mgr', add({ values: { nope: 1 } }))).toBe('unknown_indicator');
    expect(refused(p, 'mgr', add({ milestoneId: 'm9' }))).toBe('unknown_milestone');
    expect(refused(p, 'mgr', add({ id: 'm1' }))).toBe('duplicate_id');
    expect(refused(p, 'mgr', add({ attachmentIds: ['mate-file1'] }))).toBe('not_found');
    expect(refused(p, 'mgr', add({ attachmentIds: ['mgr-file1'] }))).toBe('applied');
  });

  it('keeps every status change on the timeline, in order', () => {
    let p = run(project(), 'mgr', { type: 'project.status', status: 'active', note: 'старт' });
    p = run(p, 'boss', { type: 'project.status', status: 'completed' });
    expect(p.history.map((h) => [h.status, h.by, h.note])).toEqual([
      ['planned', 'boss', ''],
      ['active', 'mgr', 'старт'],
      ['completed', 'boss', ''],
    ]);
  });
});

describe('the expert assessment of a report', () => {
  it('is scored only by the council’s members, never by the project’s own team', () => {
    let p = run(project(), 'mgr', { type: 'report.add', id: 'r1', milestoneId: 'm1', text: '', values: {}, attachmentIds: [] });
    p = run(p, 'boss', { type: 'assessment.open', reportId: 'r1', councilId: 'expert-council', criteria: CRITERIA, scale: { min: 1, max: 5 } });
    const score: ProjectOp = { type: 'assessment.score', reportId: 'r1', scores: { c1: 5, c2: 4, c3: 2 }, comment: '' };
    expect(refused(p, 'outsider', score)).toBe('not_expert');
    expect(refused(p, 'mate', score)).toBe('not_expert');
    expect(refused(p, 'e1', { ...score, scores: { c1: 6, c2: 4, c3: 2 } })).toBe('out_of_scale');
    expect(refused(p, 'e1', { ...score, scores: { c1: 5, c2: 4 } })).toBe('incomplete_answer');
    expect(refused(p, 'e1', { ...score, scores: { c1: 5, c2: 4, c3: 2, c9: 1 } })).toBe('unknown_criterion');
    expect(projectCan('expert', 'e1', p, () => COUNCIL).score).toBe(true);
    expect(projectCan('expert', 'outsider', p, () => COUNCIL).score).toBe(false);
  });

  it('weighs the criteria, averages the experts and measures their agreement with Kendall’s W', () => {
    const p = assessed();
    const s = assessmentSummary(p.reports[0]!, (id) => NAMES[id] ?? id)!;
    expect(s.experts).toBe(3);
    expect(s.criteria.map((c) => c.weight)).toEqual([0.5, 0.25, 0.25]);
    expect(s.perExpert.map((e) => e.total)).toEqual([4, 3, 3.75]);
    expect(s.total).toBeCloseTo(10.75 / 3, 10);
    expect(s.share).toBeCloseTo((10.75 / 3 - 1) / 4, 10);
    expect(s.criteria[0]!.spread.mean).toBeCloseTo(14 / 3, 10);
    const expected = kendallW([
      [5, 4, 2],
      [4, 3, 1],
      [5, 2, 3],
    ]).W;
    expect(s.agreement!.W).toBeCloseTo(expected, 12);
    expect(s.perExpert[0]).toMatchObject({ name: 'Expert One', comment: 'хорошо' });
  });

  it('takes an expert’s new scores in place of their earlier ones, and no scores once closed', () => {
    let p = assessed();
    p = run(p, 'e2', { type: 'assessment.score', reportId: 'r1', scores: { c1: 5, c2: 4, c3: 2 }, comment: 'пересмотрел' });
    expect(p.reports[0]!.assessment!.scores.map((s) => s.expertId)).toEqual(['e1', 'e2', 'e3']);
    p = run(p, 'boss', { type: 'assessment.close', reportId: 'r1' });
    expect(refused(p, 'e1', { type: 'assessment.score', reportId: 'r1', scores: { c1: 1, c2: 1, c3: 1 }, comment: '' })).toBe('assessment_closed');
    expect(refused(p, 'mgr', { type: 'report.update', id: 'r1', text: 'поправил' })).toBe('assessment_closed');
    expect(assessmentSummary(p.reports[0]!, String)!.open).toBe(false);
  });

  it('refuses a scale the wrong way round and duplicated criteria', () => {
    const p = run(project(), 'mgr', { type: 'report.add', id: 'r1', milestoneId: 'm1', text: '', values: {}, attachmentIds: [] });
    const open = { type: 'assessment.open' as const, reportId: 'r1', councilId: null, criteria: CRITERIA, scale: { min: 1, max: 5 } };
    expect(refused(p, 'boss', { ...open, scale: { min: 5, max: 1 } })).toBe('bad_request');
    expect(refused(p, 'boss', { ...open, criteria: [CRITERIA[0]!, CRITERIA[0]!] })).toBe('duplicate_id');
    expect(refused(p, 'boss', { ...open, councilId: 'no-such' })).toBe('not_found');
  });
});

describe('indicator progress', () => {
  it('follows the reports in time and measures the way from baseline to target', () => {
    let p = run(project(), 'mgr', { type: 'report.add', id: 'r1', milestoneId: 'm1', text: '', values: { i1: 35 }, attachmentIds: [] });
    p = run(p, 'mgr', { type: 'report.add', id: 'r2', milestoneId: 'm2', text: '', values: { i1: 50 }, attachmentIds: [] });
    const [i1] = indicatorProgress(p);
    expect(i1!.points.map((x) => x.value)).toEqual([35, 50]);
    expect(i1!.latest).toBe(50);
    expect(i1!.share).toBeCloseTo(0.75, 12);
    const over = run(p, 'mgr', { type: 'report.add', id: 'r3', milestoneId: 'm2', text: '', values: { i1: 90 }, attachmentIds: [] });
    expect(indicatorProgress(over)[0]!.share).toBe(1);
  });
});
