import { translate, type Params } from '../i18n/index.js';
import { localeTag } from '../minutes/build.js';
import type { MinutesOutline, OutlineBlock, OutlineField } from '../minutes/outline.js';
import { joined, own, plain, strong, translateSpans, user, type Inline, type SpanParams } from '../minutes/spans.js';
import type { Locale } from '../model/types.js';
import { quorumView } from './quorum.js';
import type { AgendaItem, Council, Meeting, MeetingDecision, RegisterEntry, Speaker, Workspace } from './types.js';

/** Everything a council meeting's protocol is drawn up from. */
export interface CouncilProtocolInput {
  workspace: Workspace;
  council: Council;
  meeting: Meeting;
  /** Account id → full name as it goes into the protocol. */
  names: Record<string, string>;
  /** For an execution item: the decisions it reviews, with their status now. */
  review: RegisterEntry[];
  locale: Locale;
  /** IANA zone for the moment the protocol was drawn up; UTC when absent or unknown. */
  timeZone?: string;
  generatedAt: number;
}

type T = (key: string, params?: Params) => string;
type TS = (key: string, params?: SpanParams) => Inline;

interface Ctx {
  input: CouncilProtocolInput;
  t: T;
  ts: TS;
  /** Members present at the meeting, for telling a unanimous vote. */
  present: number;
}

/**
 * A council meeting's protocol as Kazakhstan's and Russia's schools file it: the organisation,
 * ПРОТОКОЛ № N of the council's meeting, date, place and time, chair and secretary, who was
 * present and absent with the quorum, the invited, the agenda, then per item СЛУШАЛИ / ВЫСТУПИЛИ /
 * ПОСТАНОВИЛИ with numbered decisions, their responsible, deadline and vote, and the signatures.
 * The same outline renders to Markdown, HTML, DOCX and PDF.
 */
export function councilProtocolOutline(input: CouncilProtocolInput): MinutesOutline {
  const { locale, meeting, council } = input;
  const t: T = (key, params) => translate(locale, key, params);
  const ts: TS = (key, params) => translateSpans(locale, key, params);
  const ctx: Ctx = { input, t, ts, present: quorumView(meeting).present };
  const heading = ts('councilProtocol.heading', { number: own(meeting.number) });
  const blocks: OutlineBlock[] = [
    {
      kind: 'title',
      organisation: input.workspace.organisation.trim() ? [user(input.workspace.organisation)] : null,
      heading,
      subtitle: ts('councilProtocol.subtitle', { council: user(council.name) }),
    },
    ...draft(ctx),
    ...particulars(ctx),
    ...attendance(ctx),
    ...agenda(ctx),
    ...meeting.items.flatMap((item, i) => itemBlocks(ctx, item, i + 1)),
    ...signatures(ctx),
  ];
  return {
    locale,
    lang: localeTag(locale),
    title: `${plain(heading)} — ${council.name.replace(/\s+/g, ' ').trim()}`,
    pageLabel: t('minutes.page'),
    blocks,
  };
}

const field = (label: string, value: Inline): OutlineField => ({ label: [own(label)], value });
const paragraph = (text: Inline): OutlineBlock => ({ kind: 'paragraph', text });
const nameOf = (ctx: Ctx, id: string | null): string => (id ? (ctx.input.names[id] ?? id) : '');

/** Names in the order of the protocol's language, as attendance lists are kept. */
function sortedNames(ctx: Ctx, ids: string[]): string[] {
  const collator = new Intl.Collator(localeTag(ctx.input.locale));
  return ids.map((id) => nameOf(ctx, id)).sort(collator.compare);
}

/** A protocol drawn up before the meeting was closed says so, with when it was drawn up. */
function draft(ctx: Ctx): OutlineBlock[] {
  if (ctx.input.meeting.status === 'closed') return [];
  const { locale, generatedAt, timeZone } = ctx.input;
  const date = zoned(locale, { day: '2-digit', month: '2-digit', year: 'numeric' }, timeZone).format(generatedAt);
  const time = zoned(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }, timeZone).format(generatedAt);
  return [paragraph([{ ...own(ctx.t('councilProtocol.draft', { date, time })), em: true }])];
}

/** A misspelt time zone must not cost the secretary the protocol: fall back to UTC. */
function zoned(locale: Locale, options: Intl.DateTimeFormatOptions, timeZone = 'UTC'): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat(localeTag(locale), { ...options, timeZone });
  } catch {
    return new Intl.DateTimeFormat(localeTag(locale), { ...options, timeZone: 'UTC' });
  }
}

/** A calendar day `YYYY-MM-DD` in words: «4 декабря 2026 г.», «2026 ж. 4 желтоқсан», "4 December 2026". */
export function protocolDate(date: string, locale: Locale): string {
  const at = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(at)) return date;
  return new Intl.DateTimeFormat(localeTag(locale), { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(at);
}

/** A calendar day `YYYY-MM-DD` in figures, as deadlines are written: 20.12.2026 (20/12/2026 in English). */
export function protocolDay(date: string, locale: Locale): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return date;
  return [m[3], m[2], m[1]].join(locale === 'en' ? '/' : '.');
}

function particulars(ctx: Ctx): OutlineBlock[] {
  const { meeting, workspace, locale } = ctx.input;
  const place = meeting.place.trim() || workspace.place.trim();
  const chair = nameOf(ctx, meeting.chairId);
  const secretary = nameOf(ctx, meeting.secretaryId);
  return [
    {
      kind: 'fields',
      layout: 'lines',
      items: [
        field(ctx.t('councilProtocol.date'), [own(protocolDate(meeting.date, locale))]),
        ...(meeting.time.trim() ? [field(ctx.t('councilProtocol.time'), [user(meeting.time)])] : []),
        ...(place ? [field(ctx.t('councilProtocol.place'), [user(place)])] : []),
      ],
    },
    {
      kind: 'fields',
      layout: 'lines',
      items: [
        ...(chair ? [field(ctx.t('councilProtocol.chair'), [user(chair)])] : []),
        ...(secretary ? [field(ctx.t('councilProtocol.secretary'), [user(secretary)])] : []),
      ],
    },
  ];
}

/** Present N of M with their names, the absent, the quorum, and the invited with their positions. */
function attendance(ctx: Ctx): OutlineBlock[] {
  const { meeting } = ctx.input;
  const q = quorumView(meeting);
  const counts = { present: q.present, members: q.members, needed: q.needed };
  const presentIds = meeting.memberIds.filter((id) => meeting.attendance[id] === 'present');
  const absentIds = meeting.memberIds.filter((id) => meeting.attendance[id] !== 'present');
  const names = (ids: string[]) => joined(sortedNames(ctx, ids).map((n) => [user(n)]), ', ');
  const presentValue: Inline = [own(ctx.t('councilProtocol.present.count', counts)), ...(presentIds.length > 0 ? [own(' — '), ...names(presentIds)] : [])];
  const blocks: OutlineBlock[] = [
    {
      kind: 'fields',
      layout: 'lines',
      items: [
        field(ctx.t('councilProtocol.present'), presentValue),
        ...(absentIds.length > 0 ? [field(ctx.t('councilProtocol.absent'), names(absentIds))] : []),
      ],
    },
    paragraph([own(ctx.t(q.met ? 'councilProtocol.quorum.met' : 'councilProtocol.quorum.missing', counts))]),
  ];
  if (meeting.guests.length > 0) {
    blocks.push(
      paragraph(strong([own(`${ctx.t('councilProtocol.invited')}:`)])),
      {
        kind: 'list',
        items: meeting.guests.map((g) => ({ text: [user(g.name), ...(g.position.trim() ? [own(', '), user(g.position)] : [])] })),
      },
    );
  }
  return blocks;
}

/** An execution item left untitled takes its standard title in the protocol's language. */
const itemTitle = (ctx: Ctx, item: AgendaItem): string =>
  item.title.trim() || (item.kind === 'execution' ? ctx.t('register.reviewItem') : '');

/** A title, then the next sentence: "…решений. Докладчик: …", with no doubled stop after "?" or "…". */
function sentence(text: string): Inline {
  const s = user(text);
  return s.text === '' ? [] : closed([s]);
}

/** Spans ending in a full stop, unless they end in punctuation of their own already. */
const closed = (spans: Inline): Inline => (/[.…?!]$/.test(plain(spans)) ? spans : [...spans, own('.')]);

function agenda(ctx: Ctx): OutlineBlock[] {
  const head: OutlineBlock = { kind: 'heading', level: 2, text: [own(ctx.t('councilProtocol.agenda'))] };
  const items = ctx.input.meeting.items;
  if (items.length === 0) return [head, paragraph([own(ctx.t('councilProtocol.agenda.none'))])];
  return [
    head,
    {
      kind: 'list',
      ordered: true,
      items: items.map((item) => ({
        text: [
          ...sentence(itemTitle(ctx, item)),
          ...(item.reporter.trim()
            ? [...(itemTitle(ctx, item) ? [own(' ')] : []), ...closed(ctx.ts('councilProtocol.agenda.reporter', { name: user(item.reporter) }))]
            : []),
        ],
      })),
    },
  ];
}

/** Multi-line typed text as one span per non-empty line. */
const lines = (text: string) => text.split(/\r?\n/).map(user).filter((s) => s.text !== '');

/** One agenda item: СЛУШАЛИ, ВЫСТУПИЛИ, then ПОСТАНОВИЛИ (or the execution review and its decisions). */
function itemBlocks(ctx: Ctx, item: AgendaItem, n: number): OutlineBlock[] {
  const label = strong([own(ctx.t('councilProtocol.heard', { n }))]);
  const [first, ...rest] = lines(item.heard);
  const reporter = item.reporter.trim() ? [user(item.reporter)] : [];
  // Without a summary of the report, what was heard is the item itself.
  const what = first ? [first] : [user(itemTitle(ctx, item))];
  const heard: Inline = [...label, own(' '), ...(reporter.length > 0 ? [...reporter, own(' — ')] : []), ...what];
  return [
    paragraph(heard),
    ...rest.map((s) => paragraph([s])),
    ...spoke(ctx, item.speakers),
    ...(item.kind === 'execution' ? review(ctx, item) : []),
    ...decided(ctx, item.decisions, n),
  ];
}

/** Speaking time as mm:ss (minutes may pass 59 for a long report). */
function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** Everyone who has finished speaking, in the order they spoke; the queue does not go into the protocol. */
function spoke(ctx: Ctx, speakers: Speaker[]): OutlineBlock[] {
  const ended = speakers
    .filter((s): s is Speaker & { startedAt: number; endedAt: number } => s.startedAt !== null && s.endedAt !== null)
    .sort((a, b) => a.startedAt - b.startedAt);
  if (ended.length === 0) return [];
  return [
    paragraph(strong([own(ctx.t('councilProtocol.spoke'))])),
    {
      kind: 'list',
      items: ended.map((s) => {
        const summary = lines(s.summary);
        return {
          text: [
            user(s.name),
            own(` (${duration(s.endedAt - s.startedAt)})`),
            ...(summary.length > 0 ? [own(' — '), ...joined(summary.map((x) => [x]), ' ')] : []),
          ],
        };
      }),
    },
  ];
}

/** The decisions an execution item reviews, as a table: what, by which protocol, who, by when, how it stands. */
function review(ctx: Ctx, item: AgendaItem): OutlineBlock[] {
  const { locale } = ctx.input;
  const byId = new Map(ctx.input.review.map((e) => [e.decision.id, e]));
  const entries = item.reviewed.map((id) => byId.get(id)).filter((e): e is RegisterEntry => e !== undefined);
  if (entries.length === 0) return [paragraph([own(ctx.t('councilProtocol.review.none'))])];
  const t = ctx.t;
  return [
    {
      kind: 'table',
      columns: [
        { label: '№', align: 'right' },
        { label: t('register.column.decision'), align: 'left' },
        { label: t('register.column.protocol'), align: 'left' },
        { label: t('register.column.responsible'), align: 'left' },
        { label: t('register.column.due'), align: 'left' },
        { label: t('register.column.status'), align: 'left' },
      ],
      rows: entries.map((e, i) => [
        [own(i + 1)],
        [user(e.decision.text)],
        [own(t('councilProtocol.review.protocol', { number: e.meetingNumber, date: protocolDay(e.meetingDate, locale) }))],
        [user(e.decision.responsibleName)],
        [own(e.decision.dueDate ? protocolDay(e.decision.dueDate, locale) : t('councilProtocol.review.ongoing'))],
        [own(t(`register.status.${e.status}`)), ...(e.note.trim() ? [own(' ('), user(e.note), own(')')] : [])],
      ]),
    },
  ];
}

/** ПОСТАНОВИЛИ: decisions numbered within the item (1.1, 1.2 …), each with who, by when and the vote. */
function decided(ctx: Ctx, decisions: MeetingDecision[], n: number): OutlineBlock[] {
  const head = paragraph(strong([own(ctx.t('councilProtocol.decided'))]));
  if (decisions.length === 0) return [head, paragraph([own(ctx.t('councilProtocol.decided.none'))])];
  return [
    head,
    ...decisions.flatMap((d, i): OutlineBlock[] => {
      const who = assignment(ctx, d);
      const vote = voteLine(ctx, d);
      return [
        paragraph([own(`${n}.${i + 1}. `), user(d.text)]),
        ...(who ? [paragraph(who)] : []),
        ...(vote ? [paragraph([own(vote)])] : []),
      ];
    }),
  ];
}

/** "Ответственный: …; срок: до 20.12.2026"; a deadline alone when nobody is named; nothing when neither is. */
function assignment(ctx: Ctx, d: MeetingDecision): Inline | null {
  const name = d.responsibleName.trim() || (d.responsibleId ? nameOf(ctx, d.responsibleId) : '');
  const date = d.dueDate ? protocolDay(d.dueDate, ctx.input.locale) : null;
  if (name) {
    const key = date ? 'councilProtocol.responsible.due' : 'councilProtocol.responsible.ongoing';
    return ctx.ts(key, { name: user(name), ...(date ? { date: own(date) } : {}) });
  }
  return date ? ctx.ts('councilProtocol.due', { date: own(date) }) : null;
}

/** The vote as counted; "unanimously" when everyone present voted for it. */
function voteLine(ctx: Ctx, d: MeetingDecision): string | null {
  const v = d.vote;
  if (!v) return null;
  if (v.against === 0 && v.abstained === 0 && v.for > 0 && v.for === ctx.present) return ctx.t('councilProtocol.vote.unanimous');
  return ctx.t('councilProtocol.vote', { for: v.for, against: v.against, abstained: v.abstained });
}

/** The chair's and the secretary's signature lines; a blank to fill in by hand where nobody is named. */
function signatures(ctx: Ctx): OutlineBlock[] {
  const { meeting } = ctx.input;
  const blank = '________________';
  const line = (key: string, id: string | null): OutlineBlock => {
    const name = nameOf(ctx, id);
    return { kind: 'signature', text: ctx.ts(key, { name: name ? user(name) : own(blank) }) };
  };
  return [line('councilProtocol.signature.chair', meeting.chairId), line('councilProtocol.signature.secretary', meeting.secretaryId)];
}
