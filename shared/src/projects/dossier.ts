import { translate } from '../i18n/index.js';
import { localeTag } from '../minutes/build.js';
import { agreementBlocks } from '../minutes/outline-ballots.js';
import type { MinutesOutline, OutlineBlock } from '../minutes/outline.js';
import { joined, own, plain, strong, user, type Inline } from '../minutes/spans.js';
import type { Locale } from '../model/types.js';
import { isoDay } from '../workspace/dates.js';
import { csvCell } from '../workspace/register.js';
import { cell, columns, documentWriter, filledFields, heading, paragraph, paragraphs, tableOr, typed, type DocumentWriter } from './document-parts.js';
import type { Milestone, Project, ProjectReport } from './types.js';
import type { AssessmentSummary, ProjectView } from './views.js';

/** Where and when a dossier is drawn up. */
export interface DossierContext {
  locale: Locale;
  /** Printed at the head (школа, отдел образования); left out when blank. */
  organisation: string;
  workspaceName: string;
  generatedAt?: number;
  /** A valid IANA zone for the calendar days of reports and status changes; UTC when absent. */
  timeZone?: string;
}

interface Ctx {
  view: ProjectView;
  w: DocumentWriter;
  /** Reports oldest first, numbered in that order throughout the dossier. */
  reports: ProjectReport[];
  milestone: Map<string, Milestone>;
}

/**
 * A project's dossier (досье проекта / жоба досьесі) as an outline for every renderer: its
 * passport (manager, team, goal, audience, forms of work, status, source), the indicators'
 * way from baseline to target through the reports, the milestones, each report with its
 * values, attachments and expert assessment (means per criterion, weighted totals, Kendall's W),
 * and the status timeline.
 */
export function projectDossierOutline(view: ProjectView, context: DossierContext): MinutesOutline {
  const w = documentWriter(context.locale, context.timeZone);
  const p = view.project;
  const ctx: Ctx = {
    view,
    w,
    reports: [...p.reports].sort((a, b) => a.submittedAt - b.submittedAt),
    milestone: new Map(p.milestones.map((m) => [m.id, m])),
  };
  const headingText = w.t('dossier.heading');
  const blocks: OutlineBlock[] = [
    {
      kind: 'title',
      organisation: context.organisation.trim() ? [user(context.organisation)] : null,
      heading: [own(headingText)],
      subtitle: w.ts('dossier.subtitle', { title: user(p.title) }),
    },
    paragraph([{ ...own(w.t('dossier.generated', { date: w.day(context.generatedAt ?? Date.now()) })), em: true }]),
    ...passport(ctx, context.workspaceName),
    ...indicators(ctx),
    ...milestones(ctx),
    ...reportsSection(ctx),
    ...timeline(ctx),
  ];
  return {
    locale: context.locale,
    lang: localeTag(context.locale),
    title: `${headingText} — ${plain([user(p.title)])}`,
    pageLabel: w.t('minutes.page'),
    blocks,
  };
}

const nameOf = (ctx: Ctx, id: string): string => ctx.view.names[id] ?? id;
const milestoneTitle = (ctx: Ctx, id: string): Inline => typed(ctx.milestone.get(id)?.title ?? '');

/** The forms of work by their catalogue names, and the others as typed. */
function formsOf(p: Project, w: DocumentWriter): Inline {
  const forms = p.forms.map((f) => [own(w.t(`form.${f}`))]);
  if (p.formsOther.trim()) forms.push([own(`${w.t('form.other')}: `), user(p.formsOther)]);
  return joined(forms, ', ');
}

function passport(ctx: Ctx, workspaceName: string): OutlineBlock[] {
  const { w } = ctx;
  const p = ctx.view.project;
  const manager = p.managerName.trim() || (p.managerId ? nameOf(ctx, p.managerId) : '');
  const team: OutlineBlock =
    p.team.length === 0
      ? paragraph(w.t('dossier.team.none'))
      : { kind: 'list', ordered: true, items: p.team.map((m) => ({ text: [user(m.name), ...(m.role.trim() ? [own(' — '), user(m.role)] : [])] })) };
  return [
    heading(2, w.t('dossier.passport')),
    filledFields([
      [w.t('dossier.workspace'), [user(workspaceName)]],
      [w.t('dossier.manager'), [user(manager)]],
      [w.t('dossier.goal'), [user(p.goal)]],
      [w.t('dossier.audience'), [user(p.audience)]],
      [w.t('dossier.forms'), formsOf(p, w)],
      [w.t('dossier.status'), [own(w.t(`dossier.status.${p.status}`))]],
      [w.t('dossier.created'), [own(w.day(p.createdAt))]],
      [w.t('dossier.source'), p.source ? w.ts('dossier.source.session', { code: user(p.source.code) }) : []],
    ]),
    paragraph(strong([own(`${w.t('dossier.team')}:`)])),
    team,
  ];
}

/** Each indicator with every value reported, oldest first, the latest and how far it got; then the same as bars. */
function indicators(ctx: Ctx): OutlineBlock[] {
  const { w } = ctx;
  const progress = ctx.view.progress;
  const head = heading(2, w.t('dossier.indicators'));
  if (progress.length === 0) return [head, paragraph(w.t('dossier.indicators.none'))];
  const rows = progress.map((i, n): Inline[] => [
    cell(n + 1),
    [user(i.name)],
    typed(i.unit),
    cell(w.num.plain(i.baseline)),
    cell(w.num.plain(i.target)),
    i.points.length > 0 ? [own(i.points.map((pt) => `${w.day(pt.at)}: ${w.num.plain(pt.value)}`).join('; '))] : cell('—'),
    cell(i.latest === null ? '—' : w.num.plain(i.latest)),
    cell(i.share === null ? '—' : w.num.percent(i.share)),
  ]);
  return [
    head,
    {
      kind: 'table',
      columns: columns(w, '№', 'dossier.indicator', 'dossier.unit', '>dossier.baseline', '>dossier.target', 'dossier.values', '>dossier.latest', '>dossier.share'),
      rows,
    },
    {
      kind: 'bars',
      caption: w.t('dossier.indicators.chart'),
      max: 100,
      bars: progress.map((i) => ({
        label: [user(i.name)],
        value: (i.share ?? 0) * 100,
        display: i.share === null ? '—' : w.num.percent(i.share),
      })),
    },
  ];
}

function milestones(ctx: Ctx): OutlineBlock[] {
  const { w } = ctx;
  const rows = ctx.view.project.milestones.map((m, n): Inline[] => {
    const dates = ctx.reports.filter((r) => r.milestoneId === m.id).map((r) => w.day(r.submittedAt));
    return [
      cell(n + 1),
      typed(m.title),
      cell(w.t(`dossier.kind.${m.kind}`)),
      cell(m.due ? w.date(m.due) : '—'),
      cell(dates.length > 0 ? w.t('dossier.milestone.reported', { dates: dates.join(', ') }) : w.t('dossier.milestone.notReported')),
    ];
  });
  const cols = columns(w, '№', 'dossier.milestone', 'dossier.kind', 'dossier.due', 'dossier.report');
  return [heading(2, w.t('dossier.milestones')), tableOr(cols, rows, w.t('dossier.milestones.none'))];
}

function reportsSection(ctx: Ctx): OutlineBlock[] {
  const head = heading(2, ctx.w.t('dossier.reports'), true);
  if (ctx.reports.length === 0) return [head, paragraph(ctx.w.t('dossier.reports.none'))];
  return [head, ...ctx.reports.flatMap((r, i) => reportBlocks(ctx, r, i + 1))];
}

/** One report: its milestone, date and author, its text, the values it gave, its attachments and its assessment. */
function reportBlocks(ctx: Ctx, r: ProjectReport, n: number): OutlineBlock[] {
  const { w, view } = ctx;
  const kind = ctx.milestone.get(r.milestoneId)?.kind;
  const fileName = new Map(view.files.map((f) => [f.id, f.name]));
  const attachments = r.attachmentIds.map((id) => [user(fileName.get(id) ?? id)]);
  const values = view.project.indicators
    .filter((i) => typeof r.values[i.id] === 'number')
    .map((i): Inline[] => [[user(i.name)], cell(w.num.plain(r.values[i.id]!)), typed(i.unit)]);
  const summary = view.assessments[r.id];
  return [
    heading(3, w.ts('dossier.report.heading', { n, milestone: milestoneTitle(ctx, r.milestoneId) })),
    filledFields([
      [w.t('dossier.kind'), kind ? [own(w.t(`dossier.kind.${kind}`))] : []],
      [w.t('dossier.report.date'), [own(w.day(r.submittedAt))]],
      [w.t('dossier.report.author'), [user(nameOf(ctx, r.submittedBy))]],
      [w.t('dossier.report.attachments'), attachments.length > 0 ? joined(attachments, '; ') : [own(w.t('dossier.report.noAttachments'))]],
    ]),
    ...paragraphs(r.text),
    tableOr(columns(w, 'dossier.indicator', '>dossier.value', 'dossier.unit'), values, w.t('dossier.report.noValues')),
    ...(summary && r.assessment ? assessmentBlocks(ctx, summary, r.assessment.scale, r.assessment.closedAt) : []),
  ];
}

/** The expert council's assessment: the criteria with their weights and the experts' means, each expert's weighted total, the total and W. */
function assessmentBlocks(ctx: Ctx, s: AssessmentSummary, scale: { min: number; max: number }, closedAt: number | null): OutlineBlock[] {
  const { w } = ctx;
  const f2 = (x: number | null) => w.num.fixed(x, 2);
  const state = closedAt === null ? w.t('dossier.assessment.open', { experts: s.experts }) : w.t('dossier.assessment.closed', { date: w.day(closedAt), experts: s.experts });
  const criteria = s.criteria.map((c): Inline[] => [[user(c.label)], cell(w.num.fixed(c.weight, 2)), cell(c.spread.n), cell(f2(c.spread.mean)), cell(f2(c.spread.median)), cell(f2(c.spread.sd))]);
  const experts = s.perExpert.map((e, i): Inline[] => [cell(i + 1), typed(e.name), cell(f2(e.total)), typed(e.comment)]);
  const total =
    s.total === null
      ? w.t('dossier.assessment.noScores')
      : w.t('dossier.assessment.total', { total: f2(s.total), min: scale.min, max: scale.max, share: w.num.percent(s.share ?? 0) });
  return [
    heading(4, w.t('dossier.assessment')),
    paragraph(`${state} ${w.t('dossier.assessment.scale', { min: scale.min, max: scale.max })}`),
    {
      kind: 'table',
      columns: columns(w, 'minutes.ballots.criterion', '>minutes.ballots.weight', 'n', '>minutes.ballots.mean', '>minutes.ballots.median', '>minutes.ballots.sd'),
      rows: criteria,
    },
    ...(experts.length > 0
      ? [{ kind: 'table' as const, columns: columns(w, '№', 'dossier.expert', '>dossier.expert.total', 'dossier.expert.comment'), rows: experts }]
      : []),
    paragraph(strong([own(total)])),
    ...agreementBlocks(s.agreement, w.num, w.t),
  ];
}

/** Every status the project had, oldest first, with who set it and why. */
function timeline(ctx: Ctx): OutlineBlock[] {
  const { w } = ctx;
  const rows = ctx.view.project.history.map((h): Inline[] => [
    cell(w.day(h.at)),
    cell(w.t(`dossier.status.${h.status}`)),
    typed(nameOf(ctx, h.by)),
    typed(h.note),
  ]);
  const cols = columns(w, 'dossier.timeline.date', 'dossier.status', 'dossier.timeline.by', 'dossier.timeline.note');
  return [heading(2, w.t('dossier.timeline')), tableOr(cols, rows, w.t('dossier.timeline.none'))];
}

const CSV_COLUMNS = ['project', 'indicator', 'unit', 'baseline', 'target', 'milestone', 'date', 'value'] as const;

/**
 * The dossier's figures as CSV, headers in `locale`: one row per indicator and report that gave it a
 * value, oldest report first, and one row with the value blank for an indicator no report has given
 * yet, so every indicator is listed. Cells are formula-neutralised; a BOM and CRLF as spreadsheets expect.
 */
export function projectDossierCsv(view: ProjectView, locale: Locale, timeZone?: string): string {
  const p = view.project;
  const head = CSV_COLUMNS.map((c) => csvCell(translate(locale, `dossier.csv.${c}`)));
  const milestone = new Map(p.milestones.map((m) => [m.id, m.title]));
  const rows = view.progress.flatMap((i) => {
    const fixed = [p.title, i.name, i.unit, i.baseline, i.target];
    if (i.points.length === 0) return [[...fixed, '', '', ''].map(csvCell)];
    return i.points.map((pt) => [...fixed, milestone.get(pt.milestoneId) ?? '', isoDay(pt.at, timeZone ?? 'UTC'), pt.value].map(csvCell));
  });
  return `\uFEFF${[head, ...rows].map((r) => r.join(',')).join('\r\n')}\r\n`;
}
