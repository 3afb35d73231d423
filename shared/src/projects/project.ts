import type { CardFields } from '../board/cards.js';
import type { ErrorCode } from '../protocol/errors.js';
import { isIsoDate } from '../workspace/dates.js';
import type { WorkspaceRole } from '../workspace/types.js';
import { PROJECT_LIMITS as L } from './limits.js';
import type { ProjectOp } from './ops.js';
import { assessesProject, editsProject, onProjectTeam, reportsOnProject } from './permissions.js';
import type { Indicator, Milestone, Project, ProjectReport, ProjectSource, TeamMember } from './types.js';

/** Who sends an op, and what the rules need to know beside the project. */
export interface ProjectOpContext {
  actorId: string;
  role: WorkspaceRole | null;
  now: number;
  /** Every member of the workspace: account id → full name. */
  names: Record<string, string>;
  /** The members of a council of the workspace, or null when there is no such council. */
  councilMembers: (councilId: string) => readonly string[] | null;
  /** Files the actor may attach (their own uploads in this workspace): id → true. */
  attachable: (fileId: string) => boolean;
}

export type ProjectOpResult = { ok: true; project: Project } | { ok: false; error: ErrorCode };

export interface NewProjectInput {
  id: string;
  workspaceId: string;
  title: string;
  managerId: string | null;
  managerName: string;
  goal: string;
  audience: string;
  forms: Project['forms'];
  formsOther: string;
  team: TeamMember[];
  indicators: Indicator[];
  milestones: Milestone[];
  source: ProjectSource | null;
  by: string;
  now: number;
}

/** A project as created: `planned`, with its creation as the first entry of the timeline. */
export function newProject(input: NewProjectInput): Project {
  const { by, now, ...rest } = input;
  return {
    ...rest,
    reports: [],
    status: 'planned',
    history: [{ status: 'planned', at: now, by, note: '' }],
    createdAt: now,
    version: 1,
  };
}

/** One indicator per non-empty line of a card's free text ("Доля уроков с…"); figures are filled in later. */
export function indicatorsFromText(text: string, makeId: (n: number) => string): Indicator[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.replace(/^\s*(?:[-–—•*]|\d+[.)])\s*/, '').trim())
    .filter((l) => l.length > 0)
    .slice(0, L.indicators)
    .map((name, n) => ({ id: makeId(n), name: name.slice(0, L.title), unit: '', baseline: 0, target: 0 }));
}

/** The member whose name is the card's manager, ignoring case and spacing; null when none or several match. */
export function memberNamed(name: string, names: Record<string, string>): string | null {
  const key = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();
  const wanted = key(name);
  if (!wanted) return null;
  const hits = Object.entries(names).filter(([, n]) => key(n) === wanted);
  return hits.length === 1 ? hits[0]![0] : null;
}

/** The fields of a project drawn from a sprint's prototype card. */
export function projectFieldsFromCard(
  card: CardFields,
  names: Record<string, string>,
  makeId: (n: number) => string,
): Pick<NewProjectInput, 'title' | 'managerId' | 'managerName' | 'goal' | 'audience' | 'forms' | 'formsOther' | 'indicators'> {
  return {
    title: card.title.trim().slice(0, L.title),
    managerId: memberNamed(card.manager, names),
    managerName: card.manager.trim().slice(0, L.name),
    goal: card.goal.slice(0, L.text),
    audience: card.audience.slice(0, L.text),
    forms: [...card.forms],
    formsOther: card.formsOther.slice(0, L.text),
    indicators: indicatorsFromText(card.indicators, makeId),
  };
}

const fail = (error: ErrorCode): ProjectOpResult => ({ ok: false, error });

/**
 * Apply one change to a project: the result is a new project (the version is left for the
 * store to raise), or the named reason it was refused, and then nothing changed.
 */
export function applyProjectOp(project: Project, op: ProjectOp, ctx: ProjectOpContext): ProjectOpResult {
  const error = allowed(project, op, ctx);
  if (error) return fail(error);
  const p: Project = structuredClone(project);
  const problem = change(p, op, ctx);
  return problem ? fail(problem) : { ok: true, project: p };
}

function allowed(p: Project, op: ProjectOp, ctx: ProjectOpContext): ErrorCode | null {
  if (ctx.role === null) return 'forbidden';
  switch (op.type) {
    case 'report.add':
    case 'report.update':
    case 'project.status':
      return reportsOnProject(ctx.role, ctx.actorId, p) ? null : 'forbidden';
    case 'assessment.score':
      return null; // checked against the assessment's experts in `score`
    default:
      return editsProject(ctx.role) ? null : 'forbidden';
  }
}

const findReport = (p: Project, id: string) => p.reports.find((r) => r.id === id);
const allIds = (p: Project) => new Set([...p.indicators.map((i) => i.id), ...p.milestones.map((m) => m.id), ...p.reports.map((r) => r.id)]);

function checkTeam(team: TeamMember[], ctx: ProjectOpContext): ErrorCode | null {
  if (team.length > L.team) return 'too_large';
  for (const m of team) {
    if (m.accountId !== null && ctx.names[m.accountId] === undefined) return 'unknown_member';
    if (!m.name.trim() && m.accountId === null) return 'bad_request';
  }
  return null;
}

function checkIndicator(i: Indicator): ErrorCode | null {
  if (!i.name.trim()) return 'bad_request';
  if (![i.baseline, i.target].every((v) => Number.isFinite(v) && Math.abs(v) <= L.value)) return 'bad_request';
  return null;
}

/** Values only for the project's indicators, finite and in range. */
function checkValues(p: Project, values: Record<string, number>): ErrorCode | null {
  for (const [id, v] of Object.entries(values)) {
    if (!p.indicators.some((i) => i.id === id)) return 'unknown_indicator';
    if (!Number.isFinite(v) || Math.abs(v) > L.value) return 'bad_request';
  }
  return null;
}

function checkAttachments(ids: string[], ctx: ProjectOpContext, already: readonly string[] = []): ErrorCode | null {
  if (ids.length > L.attachmentsPerReport || new Set(ids).size !== ids.length) return 'bad_request';
  // A file already on the report stays even when uploaded by someone else; new ones must be the actor's own.
  return ids.every((id) => already.includes(id) || ctx.attachable(id)) ? null : 'not_found';
}

function change(p: Project, op: ProjectOp, ctx: ProjectOpContext): ErrorCode | null {
  switch (op.type) {
    case 'project.update': {
      if (op.title !== undefined && !op.title.trim()) return 'bad_request';
      if (op.managerId !== undefined && op.managerId !== null && ctx.names[op.managerId] === undefined) return 'unknown_member';
      if (op.team) {
        const bad = checkTeam(op.team, ctx);
        if (bad) return bad;
      }
      const { type: _t, ...fields } = op;
      Object.assign(p, fields);
      if (op.title !== undefined) p.title = op.title.trim();
      if (op.managerId) p.managerName = op.managerName?.trim() || ctx.names[op.managerId]!;
      return null;
    }
    case 'project.status':
      if (p.status === op.status) return null;
      p.status = op.status;
      p.history.push({ status: op.status, at: ctx.now, by: ctx.actorId, note: op.note?.trim() ?? '' });
      return null;
    case 'indicator.put':
    case 'milestone.put':
      return put(p, op);
    case 'indicator.remove':
      if (!p.indicators.some((i) => i.id === op.id)) return 'unknown_indicator';
      if (p.reports.some((r) => op.id in r.values)) return 'bad_request';
      p.indicators = p.indicators.filter((i) => i.id !== op.id);
      return null;
    case 'milestone.remove':
      if (!p.milestones.some((m) => m.id === op.id)) return 'unknown_milestone';
      if (p.reports.some((r) => r.milestoneId === op.id)) return 'bad_request';
      p.milestones = p.milestones.filter((m) => m.id !== op.id);
      return null;
    case 'report.add':
    case 'report.update':
      return report(p, op, ctx);
    case 'assessment.open':
    case 'assessment.close':
    case 'assessment.reopen':
      return assessment(p, op, ctx);
    case 'assessment.score':
      return score(p, op, ctx);
  }
}

function put(p: Project, op: Extract<ProjectOp, { type: 'indicator.put' | 'milestone.put' }>): ErrorCode | null {
  if (op.type === 'indicator.put') {
    const bad = checkIndicator(op.indicator);
    if (bad) return bad;
    const at = p.indicators.findIndex((i) => i.id === op.indicator.id);
    if (at >= 0) p.indicators[at] = { ...op.indicator, name: op.indicator.name.trim() };
    else if (allIds(p).has(op.indicator.id)) return 'duplicate_id';
    else if (p.indicators.length >= L.indicators) return 'too_large';
    else p.indicators.push({ ...op.indicator, name: op.indicator.name.trim() });
    return null;
  }
  const m = op.milestone;
  if (!m.title.trim() || (m.due !== null && !isIsoDate(m.due))) return 'bad_request';
  const at = p.milestones.findIndex((x) => x.id === m.id);
  if (at >= 0) p.milestones[at] = { ...m, title: m.title.trim() };
  else if (allIds(p).has(m.id)) return 'duplicate_id';
  else if (p.milestones.length >= L.milestones) return 'too_large';
  else p.milestones.push({ ...m, title: m.title.trim() });
  return null;
}

function report(p: Project, op: Extract<ProjectOp, { type: 'report.add' | 'report.update' }>, ctx: ProjectOpContext): ErrorCode | null {
  if (op.type === 'report.add') {
    if (!p.milestones.some((m) => m.id === op.milestoneId)) return 'unknown_milestone';
    if (allIds(p).has(op.id)) return 'duplicate_id';
    if (p.reports.length >= L.reports) return 'too_large';
    const bad = checkValues(p, op.values) ?? checkAttachments(op.attachmentIds, ctx);
    if (bad) return bad;
    const r: ProjectReport = {
      id: op.id,
      milestoneId: op.milestoneId,
      text: op.text,
      values: { ...op.values },
      attachmentIds: [...op.attachmentIds],
      submittedBy: ctx.actorId,
      submittedAt: ctx.now,
      assessment: null,
    };
    p.reports.push(r);
    return null;
  }
  const r = findReport(p, op.id);
  if (!r) return 'unknown_report';
  // A report under (or after) assessment is what the experts scored: only whoever runs the workspace changes it.
  if (r.assessment && !editsProject(ctx.role)) return 'assessment_closed';
  if (!editsProject(ctx.role) && r.submittedBy !== ctx.actorId && !onProjectTeam(ctx.actorId, p)) return 'forbidden';
  const bad = (op.values ? checkValues(p, op.values) : null) ?? (op.attachmentIds ? checkAttachments(op.attachmentIds, ctx, r.attachmentIds) : null);
  if (bad) return bad;
  if (op.text !== undefined) r.text = op.text;
  if (op.values) r.values = { ...op.values };
  if (op.attachmentIds) r.attachmentIds = [...op.attachmentIds];
  return null;
}

function assessment(
  p: Project,
  op: Extract<ProjectOp, { type: 'assessment.open' | 'assessment.close' | 'assessment.reopen' }>,
  ctx: ProjectOpContext,
): ErrorCode | null {
  const r = findReport(p, op.reportId);
  if (!r) return 'unknown_report';
  if (op.type === 'assessment.open') {
    if (r.assessment) return 'duplicate_id';
    if (op.councilId !== null && ctx.councilMembers(op.councilId) === null) return 'not_found';
    const { min, max } = op.scale;
    if (!Number.isInteger(min) || !Number.isInteger(max) || max <= min || max - min > L.scaleSpan) return 'bad_request';
    if (op.criteria.length < 1 || op.criteria.length > L.criteria) return 'bad_request';
    if (new Set(op.criteria.map((c) => c.id)).size !== op.criteria.length) return 'duplicate_id';
    if (op.criteria.some((c) => !c.label.trim() || !(c.weight > 0) || !Number.isFinite(c.weight))) return 'bad_request';
    r.assessment = {
      councilId: op.councilId,
      criteria: op.criteria.map((c) => ({ ...c, label: c.label.trim() })),
      scale: { min, max },
      scores: [],
      openedAt: ctx.now,
      closedAt: null,
    };
    return null;
  }
  if (!r.assessment) return 'unknown_report';
  if (op.type === 'assessment.close') r.assessment.closedAt ??= ctx.now;
  else r.assessment.closedAt = null;
  return null;
}

function score(p: Project, op: Extract<ProjectOp, { type: 'assessment.score' }>, ctx: ProjectOpContext): ErrorCode | null {
  const r = findReport(p, op.reportId);
  if (!r || !r.assessment) return 'unknown_report';
  const a = r.assessment;
  const members = a.councilId ? ctx.councilMembers(a.councilId) : null;
  if (!assessesProject(ctx.role, ctx.actorId, p, a, members)) return 'not_expert';
  if (a.closedAt !== null) return 'assessment_closed';
  for (const id of Object.keys(op.scores)) if (!a.criteria.some((c) => c.id === id)) return 'unknown_criterion';
  for (const c of a.criteria) {
    const v = op.scores[c.id];
    if (v === undefined) return 'incomplete_answer';
    if (!Number.isInteger(v) || v < a.scale.min || v > a.scale.max) return 'out_of_scale';
  }
  if (op.comment.length > L.comment) return 'too_large';
  const mine = { expertId: ctx.actorId, scores: { ...op.scores }, comment: op.comment.trim(), at: ctx.now };
  const at = a.scores.findIndex((s) => s.expertId === ctx.actorId);
  if (at >= 0) a.scores[at] = mine;
  else a.scores.push(mine);
  return null;
}
