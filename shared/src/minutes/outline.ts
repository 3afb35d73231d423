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
  type MinutesReflection,
  type MinutesStageWork,
  type MinutesVote,
} from './build.js';
import { numberWriter } from './ballots.js';
import { ballotBlocks } from './outline-ballots.js';
import { interviewBlocks } from './outline-interview.js';
import { em, joined, own, plain, strong, translateSpans, user, withColon, type Inline, type SpanParams } from './spans.js';

/**
 * The minutes as a renderer-neutral outline: the protocol's structure is decided here,
 * once, and the Markdown, HTML, DOCX and PDF renderers only walk the blocks.
 */
export interface MinutesOutline {
  locale: Locale;
  /** BCP 47 tag of the session's language, for the file's language attribute. */
  lang: string;
  /** The document's title for the file's metadata, e.g. "Протокол № 3 — Критерии успеха урока". */
  title: string;
  /** The footer's page label, with `{page}` and `{pages}` where the numbers go. */
  pageLabel: string;
  blocks: OutlineBlock[];
}

export interface OutlineField {
  label: Inline;
  value: Inline;
}

export interface OutlineListItem {
  text: Inline;
  /** A sub-list, e.g. the notes of a cluster. */
  children?: Inline[];
}

export interface OutlineColumn {
  label: string;
  /** Numbers are right-aligned. */
  align: 'left' | 'right';
}

export interface OutlineBar {
  label: Inline;
  value: number;
  /** The figure printed beside the bar, already formatted for the locale. */
  display: string;
}

export type OutlineBlock =
  /** The protocol's head: the organisation, "Protocol No. N", what session it records. */
  | { kind: 'title'; organisation: Inline | null; heading: Inline; subtitle: Inline }
  /** Level 2 opens a section; `pageBreak` starts it on a new page when printed. */
  | { kind: 'heading'; level: 2 | 3 | 4; text: Inline; pageBreak?: true }
  | { kind: 'paragraph'; text: Inline }
  /** "Label: value" lines, as a bulleted list or as paragraphs of their own. */
  | { kind: 'fields'; layout: 'list' | 'lines'; items: OutlineField[] }
  | { kind: 'list'; ordered?: true; items: OutlineListItem[] }
  | { kind: 'table'; columns: OutlineColumn[]; rows: Inline[][] }
  /** Horizontal bars, `value` out of `max`; Markdown leaves charts out (the table beside them has the figures). */
  | { kind: 'bars'; caption: string; max: number; bars: OutlineBar[] }
  | { kind: 'signature'; text: Inline };

export type T = (key: string, params?: Params) => string;
export type TS = (key: string, params?: SpanParams) => Inline;

/** The whole protocol, in the order a methodological council files it. */
export function minutesOutline(model: MinutesModel): MinutesOutline {
  const t: T = (key, params) => translate(model.locale, key, params);
  const ts: TS = (key, params) => translateSpans(model.locale, key, params);
  const blocks: OutlineBlock[] = [
    ...header(model, t, ts),
    ...present(model, t),
    ...agenda(model, t),
    ...caseSection(model, t),
    ...proceedings(model, t, ts),
    ...solutions(model, t),
    ...vote(model.vote, model.locale, t),
    ...ballotsSection(model, t, ts),
    ...interviewBlocks(model.interview, t, ts),
    ...reflection(model.reflection, model.locale, t, ts),
    ...summary(model, t),
    ...decided(model, t),
    { kind: 'signature', text: ts('minutes.signature', { name: user(model.facilitator) }) },
  ];
  return {
    locale: model.locale,
    lang: localeTag(model.locale),
    title: `${plain(headingOf(model, ts))} — ${model.title}`,
    pageLabel: t('minutes.page'),
    blocks,
  };
}

const field = (label: string | Inline, value: Inline): OutlineField => ({
  label: typeof label === 'string' ? [own(label)] : label,
  value,
});
const heading = (level: 2 | 3 | 4, text: string | Inline, pageBreak = false): OutlineBlock => ({
  kind: 'heading',
  level,
  text: typeof text === 'string' ? [own(text)] : text,
  ...(pageBreak ? { pageBreak: true as const } : {}),
});
const paragraph = (text: string | Inline): OutlineBlock => ({ kind: 'paragraph', text: typeof text === 'string' ? [own(text)] : text });

/** Multi-line user text as paragraphs, one per non-empty line. */
function paragraphs(text: string): OutlineBlock[] {
  return text
    .split(/\r?\n/)
    .map(user)
    .filter((s) => s.text !== '')
    .map((s) => paragraph([s]));
}

function headingOf(m: MinutesModel, ts: TS): Inline {
  return m.particulars.number ? ts('minutes.heading.numbered', { number: user(m.particulars.number) }) : [own(m.heading)];
}

function header(m: MinutesModel, t: T, ts: TS): OutlineBlock[] {
  const { organisation, place } = m.particulars;
  return [
    {
      kind: 'title',
      organisation: organisation ? [user(organisation)] : null,
      heading: headingOf(m, ts),
      subtitle: ts('minutes.subtitle', { title: user(m.title) }),
    },
    {
      kind: 'fields',
      layout: 'list',
      items: [
        field(t('minutes.date'), [own(m.date)]),
        ...(place ? [field(t('minutes.place'), [user(place)])] : []),
        field(t('minutes.code'), [user(m.code)]),
        field(t('minutes.method'), [own(m.method)]),
        field(t('minutes.facilitator'), [user(m.facilitator)]),
      ],
    },
  ];
}

function present(m: MinutesModel, t: T): OutlineBlock[] {
  const groups = m.present.groups.map((g) => {
    const names = joined(g.names.map((n) => [user(n)]), ', ');
    const roles = (g.roles ?? []).map((r) => [own(`${r.role}: `), user(r.name)]);
    return field([user(g.label)], roles.length > 0 ? [...names, own(' ('), ...joined(roles, '; '), own(')')] : names);
  });
  return [paragraph(t('minutes.present', { count: m.present.count })), { kind: 'fields', layout: 'lines', items: groups }];
}

function agenda(m: MinutesModel, t: T): OutlineBlock[] {
  return [
    heading(2, t('minutes.agenda')),
    {
      kind: 'table',
      columns: [
        { label: '№', align: 'right' },
        { label: t('minutes.agenda.stage'), align: 'left' },
        { label: t('minutes.agenda.planned'), align: 'right' },
        { label: t('minutes.agenda.actual'), align: 'left' },
      ],
      rows: m.agenda.map((r) => [
        [own(r.number)],
        [user(r.title)],
        [own(r.plannedMin)],
        [own(r.actual ? `${r.actual.start}–${r.actual.end}` : t('minutes.agenda.notHeld'))],
      ]),
    },
  ];
}

function caseSection(m: MinutesModel, t: T): OutlineBlock[] {
  const c = m.case;
  if (!c) return [];
  const titled = (key: string, text: string): OutlineBlock[] =>
    text ? [paragraph(strong([own(withColon(t(key)))])), ...paragraphs(text)] : [];
  return [
    heading(2, t('minutes.case')),
    ...(c.title ? [paragraph(strong([user(c.title)]))] : []),
    ...titled('minutes.case.situation', c.situation),
    ...titled('minutes.case.questions', c.questions),
  ];
}

function proceedings(m: MinutesModel, t: T, ts: TS): OutlineBlock[] {
  const head = heading(2, t('minutes.work'), true);
  if (m.proceedings.length === 0) return [head, paragraph(t('minutes.work.none'))];
  return [head, ...m.proceedings.flatMap((stage) => stageWork(stage, t, ts))];
}

/** A stage: each group's work, then the plenary board, then the feedback per prototype. */
function stageWork(stage: MinutesStageWork, t: T, ts: TS): OutlineBlock[] {
  const blocks: OutlineBlock[] = [heading(3, [user(stage.title)]), ...stage.groups.flatMap((g) => groupWork(g, t, ts))];
  if (stage.plenary) {
    blocks.push(heading(4, t('minutes.plenary')), ...areaBlocks(stage.plenary.notes, 'strong', ts), ...cardBlocks(stage.plenary.cards, t));
  }
  return [...blocks, ...stage.feedback.flatMap((f) => feedbackBlocks(f, ts))];
}

/** A group's own notes by area, its prototype cards, then its members' personal notes under their own label. */
function groupWork(g: MinutesGroupWork, t: T, ts: TS): OutlineBlock[] {
  const blocks: OutlineBlock[] = [heading(4, [user(g.label)])];
  if (g.shared.length + g.personal.length + g.cards.length === 0) blocks.push(paragraph(t('minutes.work.none')));
  blocks.push(...areaBlocks(g.shared, 'strong', ts), ...cardBlocks(g.cards, t));
  if (g.personal.length > 0) {
    blocks.push(paragraph(strong([own(withColon(t('minutes.work.individual')))])), ...areaBlocks(g.personal, 'em', ts));
  }
  return blocks;
}

function feedbackBlocks(f: MinutesFeedback, ts: TS): OutlineBlock[] {
  const title = [...ts('minutes.feedback', { title: user(f.card) }), ...(f.group ? [own(' ('), user(f.group), own(')')] : [])];
  return [heading(4, title), ...areaBlocks(f.areas, 'strong', ts)];
}

/** Each area as its label, then its notes; an unlabelled area is just the list. */
export function areaBlocks(areas: MinutesArea[], style: 'strong' | 'em', ts: TS): OutlineBlock[] {
  const mark = style === 'strong' ? strong : em;
  return areas.flatMap((a): OutlineBlock[] => [
    ...(a.label ? [paragraph(mark([own(withColon(a.label))]))] : []),
    { kind: 'list', items: a.items.map((item) => listItem(item, ts)) },
  ]);
}

/** A note, or a cluster as a named sub-list of its notes. */
function listItem(item: MinutesItem, ts: TS): OutlineListItem {
  if (item.kind === 'note') return { text: noteLine(item.note) };
  const name = item.name ? ts('minutes.cluster', { name: user(item.name) }) : ts('minutes.cluster.unnamed');
  return { text: [...name, own(':')], children: item.notes.map(noteLine) };
}

/** A note: its text, its +1 count, and who wrote it (and from which group, where that is not evident). */
function noteLine(n: MinutesNote): Inline {
  const by = [n.author, n.group].filter((x): x is string => !!x).map((x) => [user(x)]);
  return [user(n.text), ...(n.plus > 0 ? [own(` (+${n.plus})`)] : []), ...(by.length > 0 ? [own(' — '), ...joined(by, ', ')] : [])];
}

/** Prototype cards: a title line, then the card's fields; empty fields are left out. */
function cardBlocks(cards: MinutesCard[], t: T): OutlineBlock[] {
  if (cards.length === 0) return [];
  return [
    paragraph(strong([own(withColon(t('minutes.cards')))])),
    ...cards.flatMap((c): OutlineBlock[] => {
      const forms = joined(
        [...c.forms.map((f) => [own(f)]), ...(c.formsOther ? [[own(`${t('form.other')}: `), user(c.formsOther)]] : [])],
        ', ',
      );
      const fields: [string, Inline][] = [
        ['card.manager', [user(c.manager)]],
        ['card.goal', [user(c.goal)]],
        ['card.audience', [user(c.audience)]],
        ['card.forms', forms],
        ['card.indicators', [user(c.indicators)]],
      ];
      const items = fields.filter(([, v]) => plain(v) !== '').map(([k, v]) => field(t(k), v));
      const title = [...strong([c.title ? user(c.title) : own(t('minutes.card.untitled'))]), ...(c.group ? [own(' ('), user(c.group), own(')')] : [])];
      return [paragraph(title), ...(items.length > 0 ? [{ kind: 'fields' as const, layout: 'list' as const, items }] : [])];
    }),
  ];
}

function solutions(m: MinutesModel, t: T): OutlineBlock[] {
  const items = m.solutions.map((s) => field([user(s.group)], s.text ? [user(s.text)] : [own(t('minutes.solutions.none'))]));
  return [heading(2, t('minutes.solutions'), true), { kind: 'fields', layout: 'list', items }];
}

function vote(v: MinutesVote, locale: Locale, t: T): OutlineBlock[] {
  const head = heading(2, t('minutes.vote'));
  if (v.status === 'not_held') return [head, paragraph(t('minutes.vote.none'))];
  if (v.status === 'not_revealed') return [head, paragraph(t('minutes.vote.notRevealed'))];
  const num = numberWriter(localeTag(locale));
  const option = (r: (typeof v.rows)[number]): Inline => [user(r.option), own(' ('), user(r.group), own(')')];
  return [
    head,
    {
      kind: 'table',
      columns: [
        { label: t('minutes.vote.rank'), align: 'right' },
        { label: t('minutes.vote.option'), align: 'left' },
        { label: t('minutes.vote.votes'), align: 'right' },
        { label: t('minutes.vote.share'), align: 'right' },
      ],
      rows: v.rows.map((r) => [[own(r.rank)], option(r), [own(r.votes)], [own(num.percent(r.percent / 100))]]),
    },
    {
      kind: 'bars',
      caption: t('minutes.vote'),
      max: Math.max(0, ...v.rows.map((r) => r.votes)),
      bars: v.rows.map((r) => ({ label: option(r), value: r.votes, display: `${r.votes} (${num.percent(r.percent / 100)})` })),
    },
    paragraph(t('minutes.vote.summary', { voters: v.voters, dots: v.dots })),
    ...(v.tie ? [paragraph(t('minutes.vote.tie'))] : []),
  ];
}

/** The "Ballots" section; none when the session ran no ballot. */
function ballotsSection(m: MinutesModel, t: T, ts: TS): OutlineBlock[] {
  const ballots = m.ballots ?? [];
  if (ballots.length === 0) return [];
  const num = numberWriter(localeTag(m.locale));
  return [heading(2, t('minutes.ballots')), ...ballots.flatMap((b) => ballotBlocks(b, num, t, ts))];
}

/** Reflection, aggregated and anonymous: the self-rating per criterion, then the reflection notes. */
function reflection(r: MinutesReflection | null, locale: Locale, t: T, ts: TS): OutlineBlock[] {
  if (!r) return [];
  const num = numberWriter(localeTag(locale));
  const ratings = r.selfRatings.flatMap((s): OutlineBlock[] => [
    heading(3, [user(s.title)]),
    paragraph(`${t('minutes.ballots.voters', { voters: s.voters })} ${t('minutes.reflection.scale', { min: s.scale.min, max: s.scale.max })}`),
    {
      kind: 'table',
      columns: [
        { label: t('minutes.ballots.criterion'), align: 'left' },
        { label: 'n', align: 'right' },
        { label: t('minutes.ballots.mean'), align: 'right' },
        { label: t('minutes.ballots.median'), align: 'right' },
      ],
      rows: s.rows.map((row) => [[user(row.criterion)], [own(row.n)], [own(num.fixed(row.mean, 2))], [own(num.fixed(row.median, 2))]]),
    },
    {
      kind: 'bars',
      caption: s.title,
      max: s.scale.max,
      bars: s.rows.map((row) => ({ label: [user(row.criterion)], value: row.mean ?? 0, display: num.fixed(row.mean, 2) })),
    },
  ]);
  const notes: OutlineBlock[] =
    r.notes.length > 0 ? [heading(3, t('minutes.reflection.notes')), ...areaBlocks(r.notes, 'strong', ts)] : [];
  const none = ratings.length + notes.length === 0 ? [paragraph(t('minutes.reflection.none'))] : [];
  return [heading(2, t('minutes.reflection')), paragraph(t('minutes.reflection.anonymous')), ...ratings, ...notes, ...none];
}

function summary(m: MinutesModel, t: T): OutlineBlock[] {
  if (!m.summary) return [];
  return [heading(2, t('minutes.summary')), ...paragraphs(m.summary)];
}

/** The protocol's own decisions; without them, the decision recorded after the vote. */
function decided(m: MinutesModel, t: T): OutlineBlock[] {
  const head = heading(2, t('minutes.decided'));
  if (m.decisions.length > 0) {
    return [head, { kind: 'list', ordered: true, items: m.decisions.map((d) => ({ text: [user(d)] })) }];
  }
  const d = m.decision;
  if (!d || (!d.title && !d.reason)) return [head, paragraph(t('minutes.decided.none'))];
  const reason: OutlineBlock[] = d.reason
    ? [{ kind: 'fields', layout: 'lines', items: [field(t('minutes.decided.reason'), [user(d.reason)])] }]
    : [];
  return [head, ...(d.title ? [paragraph([user(d.title)])] : []), ...reason];
}
