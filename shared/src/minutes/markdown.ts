import { translate, type Params } from '../i18n/index.js';
import type { Locale } from '../model/types.js';
import {
  localeTag,
  type MinutesArea,
  type MinutesCard,
  type MinutesFeedback,
  type MinutesGroupWork,
  type MinutesItem,
  type MinutesModel,
  type MinutesNote,
  type MinutesStageWork,
  type MinutesVote,
} from './build.js';
import { renderBallots } from './ballots.js';

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
    ...renderBallots(model.ballots ?? [], localeTag(model.locale), t, md),
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
    ...m.present.groups.map((g) => {
      const roles = (g.roles ?? []).map((r) => `${r.role}: ${md(r.name)}`).join('; ');
      return [label(md(g.label), g.names.map(md).join(', ') + (roles ? ` (${roles})` : ''))];
    }),
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
  return [heading, ...m.proceedings.flatMap((stage) => stageWork(stage, t))];
}

/** A stage: each group's work, then the plenary board, then the feedback per prototype. */
function stageWork(stage: MinutesStageWork, t: T): Block[] {
  const blocks: Block[] = [[`### ${md(stage.title)}`], ...stage.groups.flatMap((g) => groupWork(g, t))];
  if (stage.plenary) {
    blocks.push([`#### ${t('minutes.plenary')}`], ...areaBlocks(stage.plenary.notes, 'bold', t), ...cardBlocks(stage.plenary.cards, t));
  }
  return [...blocks, ...stage.feedback.flatMap((f) => feedbackBlocks(f, t))];
}

/** A group's own notes by area, its prototype cards, then its members' personal notes under their own label. */
function groupWork(g: MinutesGroupWork, t: T): Block[] {
  const blocks: Block[] = [[`#### ${md(g.label)}`]];
  if (g.shared.length + g.personal.length + g.cards.length === 0) blocks.push([t('minutes.work.none')]);
  blocks.push(...areaBlocks(g.shared, 'bold', t), ...cardBlocks(g.cards, t));
  if (g.personal.length > 0) blocks.push([`**${t('minutes.work.individual')}:**`], ...areaBlocks(g.personal, 'italic', t));
  return blocks;
}

function feedbackBlocks(f: MinutesFeedback, t: T): Block[] {
  const title = t('minutes.feedback', { title: md(f.card) }) + (f.group ? ` (${md(f.group)})` : '');
  return [[`#### ${title}`], ...areaBlocks(f.areas, 'bold', t)];
}

/** Each area as its label, then its notes; an unlabelled area is just the list. */
function areaBlocks(areas: MinutesArea[], style: 'bold' | 'italic', t: T): Block[] {
  const mark = style === 'bold' ? '**' : '*';
  // "Questions:" takes a colon; "What if…" already ends in punctuation and does not.
  const heading = (text: string) => `${mark}${/[.…?!:]$/.test(text) ? text : `${text}:`}${mark}`;
  return areas.flatMap((a) => [...(a.label ? [[heading(a.label)]] : []), a.items.flatMap((item) => itemLines(item, t))]);
}

/** A note, or a cluster as a named sub-list of its notes. */
function itemLines(item: MinutesItem, t: T): string[] {
  if (item.kind === 'note') return [noteLine(item.note)];
  const name = item.name ? t('minutes.cluster', { name: md(item.name) }) : t('minutes.cluster.unnamed');
  return [`- ${name}:`, ...item.notes.map((n) => `  ${noteLine(n)}`)];
}

/** A note on one line: its text, its +1 count, and who wrote it (and from which group, where that is not evident). */
function noteLine(n: MinutesNote): string {
  const plus = n.plus > 0 ? ` (+${n.plus})` : '';
  const by = [n.author, n.group].filter((x): x is string => !!x).map(md).join(', ');
  return `- ${md(n.text)}${plus}${by ? ` — ${by}` : ''}`;
}

/** Prototype cards: a title line, then the card's fields; empty fields are left out. */
function cardBlocks(cards: MinutesCard[], t: T): Block[] {
  if (cards.length === 0) return [];
  return [
    [`**${t('minutes.cards')}:**`],
    ...cards.flatMap((c) => {
      const forms = [...c.forms, ...(c.formsOther ? [`${t('form.other')}: ${md(c.formsOther)}`] : [])].join(', ');
      const fields: [string, string][] = [
        ['card.manager', md(c.manager)],
        ['card.goal', md(c.goal)],
        ['card.audience', md(c.audience)],
        ['card.forms', forms],
        ['card.indicators', md(c.indicators)],
      ];
      const lines = fields.filter(([, v]) => v !== '').map(([k, v]) => `- ${label(t(k), v)}`);
      const title = `**${c.title ? md(c.title) : t('minutes.card.untitled')}**${c.group ? ` (${md(c.group)})` : ''}`;
      return [[title], ...(lines.length > 0 ? [lines] : [])];
    }),
  ];
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
