import { translate, type Params } from '../i18n/index.js';
import type { Locale } from '../model/types.js';
import { localeTag, type MinutesGroupWork, type MinutesModel, type MinutesNote, type MinutesVote } from './build.js';

/** A block of Markdown: its lines, kept together; blocks are separated by a blank line. */
type Block = string[];
type T = (key: string, params?: Params) => string;

/** The minutes as Markdown, laid out like the protocol of a methodological council. */
export function renderMinutesMarkdown(model: MinutesModel): string {
  const t = (key: string, params?: Params) => translate(model.locale, key, params);
  const blocks: Block[] = [
    ...header(model, t),
    ...present(model, t),
    ...agenda(model, t),
    ...caseSection(model, t),
    ...proceedings(model, t),
    ...solutions(model, t),
    ...vote(model.vote, model.locale, t),
    ...decided(model, t),
    [t('minutes.signature', { name: md(model.facilitator) }).trimEnd()],
  ];
  return blocks.map((b) => b.join('\n')).join('\n\n') + '\n';
}

/**
 * User text on one line, made inert: newlines collapse to spaces; inline markup and
 * pipes are backslash-escaped, so a cell cannot split a table; `<` is escaped, so a
 * typed HTML tag renders as the text it is; and a leading block marker is escaped,
 * so the text cannot start a heading, quote, list or fence.
 */
export function escapeMarkdown(text: string): string {
  const escaped = text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\\`*_[\]<|]/g, '\\$&');
  return escaped.replace(/^[#>+\-=~]/, '\\$&').replace(/^(\d+)([.)])/, '$1\\$2');
}

const md = escapeMarkdown;

/** Multi-line user text as paragraphs, one per non-empty line, each made inert. */
function paragraphs(text: string): Block[] {
  return text
    .split(/\r?\n/)
    .map(md)
    .filter((line) => line !== '')
    .map((line) => [line]);
}

const label = (name: string, value: string) => `**${name}:** ${value}`;
const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;

function header(m: MinutesModel, t: T): Block[] {
  return [
    [`# ${m.heading}`],
    [t('minutes.subtitle', { title: md(m.title) })],
    [
      `- ${label(t('minutes.date'), m.date)}`,
      `- ${label(t('minutes.code'), md(m.code))}`,
      `- ${label(t('minutes.method'), m.method)}`,
      `- ${label(t('minutes.facilitator'), md(m.facilitator))}`,
    ],
  ];
}

function present(m: MinutesModel, t: T): Block[] {
  return [
    [t('minutes.present', { count: m.present.count })],
    ...m.present.groups.map((g) => [label(md(g.label), g.names.map(md).join(', '))]),
  ];
}

function agenda(m: MinutesModel, t: T): Block[] {
  const head = row(['№', t('minutes.agenda.stage'), t('minutes.agenda.planned'), t('minutes.agenda.actual')]);
  const rows = m.agenda.map((r) =>
    row([r.number, md(r.title), r.plannedMin, r.actual ? `${r.actual.start}–${r.actual.end}` : t('minutes.agenda.notHeld')]),
  );
  return [[`## ${t('minutes.agenda')}`], [head, '|---:|---|---:|---|', ...rows]];
}

function caseSection(m: MinutesModel, t: T): Block[] {
  const c = m.case;
  if (!c) return [];
  const titled = (key: string, text: string): Block[] => (text ? [[`**${t(key)}:**`], ...paragraphs(text)] : []);
  return [
    [`## ${t('minutes.case')}`],
    ...(c.title ? [[`**${md(c.title)}**`]] : []),
    ...titled('minutes.case.situation', c.situation),
    ...titled('minutes.case.questions', c.questions),
  ];
}

function proceedings(m: MinutesModel, t: T): Block[] {
  const heading = [`## ${t('minutes.work')}`];
  if (m.proceedings.length === 0) return [heading, [t('minutes.work.none')]];
  return [
    heading,
    ...m.proceedings.flatMap((stage) => [[`### ${md(stage.title)}`], ...stage.groups.flatMap((g) => groupWork(g, t))]),
  ];
}

/** A group's own notes, then its members' personal ones under their own label. */
function groupWork(g: MinutesGroupWork, t: T): Block[] {
  const shared = g.notes.filter((n) => !n.individual);
  const personal = g.notes.filter((n) => n.individual);
  const blocks: Block[] = [[`#### ${md(g.label)}`]];
  if (g.notes.length === 0) blocks.push([t('minutes.work.none')]);
  if (shared.length > 0) blocks.push(shared.map(noteLine));
  if (personal.length > 0) blocks.push([`**${t('minutes.work.individual')}:**`], personal.map(noteLine));
  return blocks;
}

function noteLine(n: MinutesNote): string {
  return n.author ? `- ${md(n.text)} — ${md(n.author)}` : `- ${md(n.text)}`;
}

function solutions(m: MinutesModel, t: T): Block[] {
  const lines = m.solutions.map((s) => `- ${label(md(s.group), s.text ? md(s.text) : t('minutes.solutions.none'))}`);
  return [[`## ${t('minutes.solutions')}`], ...(lines.length > 0 ? [lines] : [])];
}

function vote(v: MinutesVote, locale: Locale, t: T): Block[] {
  const heading = [`## ${t('minutes.vote')}`];
  if (v.status === 'not_held') return [heading, [t('minutes.vote.none')]];
  if (v.status === 'not_revealed') return [heading, [t('minutes.vote.notRevealed')]];
  const percent = new Intl.NumberFormat(localeTag(locale), { style: 'percent', maximumFractionDigits: 0 });
  const table = [
    row([t('minutes.vote.rank'), t('minutes.vote.option'), t('minutes.vote.votes'), t('minutes.vote.share')]),
    '|---:|---|---:|---:|',
    ...v.rows.map((r) => row([r.rank, `${md(r.option)} (${md(r.group)})`, r.votes, percent.format(r.percent / 100)])),
  ];
  return [heading, table, [t('minutes.vote.summary', { voters: v.voters, dots: v.dots })], ...(v.tie ? [[t('minutes.vote.tie')]] : [])];
}

function decided(m: MinutesModel, t: T): Block[] {
  const heading = [`## ${t('minutes.decided')}`];
  const d = m.decision;
  if (!d || (!d.title && !d.reason)) return [heading, [t('minutes.decided.none')]];
  const reason = d.reason ? [[label(t('minutes.decided.reason'), md(d.reason))]] : [];
  return [heading, ...(d.title ? [[md(d.title)]] : []), ...reason];
}
