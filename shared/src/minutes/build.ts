import { FORMS_OF_WORK, type CardView } from '../board/cards.js';
import type { ClusterView } from '../board/clusters.js';
import { areaOf, LAYOUTS } from '../board/layouts.js';
import type { NoteView } from '../board/notes.js';
import { parseBoardId } from '../board/notes.js';
import { translate } from '../i18n/index.js';
import { ballotsSection, type MinutesBallot } from './ballots.js';
export type { MinutesBallot } from './ballots.js';
import { groupLabel, stageTitle } from '../i18n/labels.js';
import type { InterviewAnswer } from '../interview/types.js';
import { interviewMinutes, type MinutesInterview } from './interview.js';
export type { MinutesInterview, MinutesQuote } from './interview.js';
import { GROUP_ROLES, type CaseText, type Locale, type Participant, type SessionState, type Stage } from '../model/types.js';

export interface MinutesInput {
  state: SessionState;
  /** Everyone who joined; the minutes count them all as present, whether or not still online at export. */
  participants: Participant[];
  /** Group boards (`g-<groupId>`), personal boards (`p-<participantId>`) and the plenary board (`plenary`). */
  boards: MinutesBoard[];
  generatedAt: number;
  /** IANA zone for dates and times; UTC when absent. */
  timeZone?: string;
  /** The expert interview's answers, with the teachers' names as the roster has them. */
  interview?: InterviewAnswer[];
}

/** One board's content, as read with readNotes, readClusters and readCards. */
export interface MinutesBoard {
  boardId: string;
  notes: NoteView[];
  clusters?: ClusterView[];
  cards?: CardView[];
}

export interface MinutesPresentGroup {
  label: string;
  names: string[];
  /** Group roles held (speaker, scribe, timekeeper), labelled in the session's language; absent when none is. */
  roles?: { role: string; name: string }[];
}

export interface MinutesAgendaRow {
  number: number;
  title: string;
  plannedMin: number;
  /** First start to last end of the stage's visits, formatted HH:MM; null if the stage was never current. */
  actual: { startedAt: number; endedAt: number; start: string; end: string } | null;
}

export interface MinutesNote {
  text: string;
  /** Null when the stage hides authors, in personal reflection, or when the author is unknown. */
  author: string | null;
  /** Written on the author's personal board rather than the group's. */
  individual: boolean;
  /** How many +1 reactions the note received. */
  plus: number;
  /** The group the note came from, where the section does not say it: plenary and feedback notes. */
  group: string | null;
}

/** One line of an area: a note, or a named cluster of notes. */
export type MinutesItem = { kind: 'note'; note: MinutesNote } | { kind: 'cluster'; name: string; notes: MinutesNote[] };

/** The notes of one layout area, as on the board. */
export interface MinutesArea {
  key: string;
  /** The area's label; null when the layout has one area or the board's notes were never placed in areas. */
  label: string | null;
  items: MinutesItem[];
}

/** A prototyping-stage mini-project card. */
export interface MinutesCard {
  id: string;
  title: string;
  /** On the plenary board: the group that published the card. */
  group: string | null;
  manager: string;
  goal: string;
  audience: string;
  /** Labels of the checked forms of work, in the checklist's order. */
  forms: string[];
  formsOther: string;
  indicators: string;
}

export interface MinutesGroupWork {
  label: string;
  /** The group board's notes, by area. */
  shared: MinutesArea[];
  /** Members' personal-board notes, by area. */
  personal: MinutesArea[];
  cards: MinutesCard[];
}

/** Feedback notes answering one prototype card, from every board of the stage. */
export interface MinutesFeedback {
  /** The card's title (or "untitled mini-project"). */
  card: string;
  /** The group whose board holds the card; null when it is not a group's. */
  group: string | null;
  areas: MinutesArea[];
}

export interface MinutesStageWork {
  stageId: string;
  title: string;
  groups: MinutesGroupWork[];
  /** What the plenary board holds from this stage; null when nothing. */
  plenary: { notes: MinutesArea[]; cards: MinutesCard[] } | null;
  feedback: MinutesFeedback[];
}

export interface MinutesSolution {
  group: string;
  /** Null when the group did not mark a solution. */
  text: string | null;
}

export interface MinutesVoteRow {
  rank: number;
  option: string;
  group: string;
  votes: number;
  /** Share of all dots, as a whole percent. */
  percent: number;
}

export type MinutesVote =
  | { status: 'revealed'; voters: number; dots: number; tie: boolean; rows: MinutesVoteRow[] }
  | { status: 'not_revealed' }
  | { status: 'not_held' };

/** The protocol's particulars as the facilitator entered them; empty strings when not given. */
export interface MinutesParticulars {
  organisation: string;
  place: string;
  number: string;
}

/** Aggregates of one revealed self-rating ballot: per criterion, never per person. */
export interface MinutesSelfRating {
  title: string;
  scale: { min: number; max: number };
  voters: number;
  rows: { criterion: string; n: number; mean: number | null; median: number | null }[];
}

/** What the room said in reflection, aggregated and without a single name. The personal diary is never part of it. */
export interface MinutesReflection {
  selfRatings: MinutesSelfRating[];
  /** The reflection stages' notes by area; `author` and `group` are always null. */
  notes: MinutesArea[];
}

export interface MinutesModel {
  locale: Locale;
  heading: string;
  title: string;
  date: string;
  code: string;
  method: string;
  facilitator: string;
  particulars: MinutesParticulars;
  present: { count: number; groups: MinutesPresentGroup[] };
  agenda: MinutesAgendaRow[];
  /** Null when the facilitator entered no case text. */
  case: CaseText | null;
  proceedings: MinutesStageWork[];
  solutions: MinutesSolution[];
  vote: MinutesVote;
  /** Every ballot past its draft (see ballotsSection); empty when none was run. */
  ballots: MinutesBallot[];
  decision: { title: string; reason: string } | null;
  /** The facilitator's summary of the session; empty when none was written. */
  summary: string;
  /** The protocol's decisions, one per item; when empty the minutes show `decision` instead. */
  decisions: string[];
  /** Null when the session had no reflection stage with a board and no revealed self-rating. */
  reflection: MinutesReflection | null;
  /** The structured expert interview; null (or absent) when the session has no interview guide. */
  interview?: MinutesInterview | null;
}

const LOCALE_TAGS: Record<Locale, string> = { ru: 'ru-RU', kk: 'kk-KZ', en: 'en-GB' };

/** The BCP 47 tag used for dates, numbers and sorting in each language. */
export function localeTag(locale: Locale): string {
  return LOCALE_TAGS[locale];
}

/** Gather everything the minutes show, with labels already in the session's language. */
export function buildMinutes(input: MinutesInput): MinutesModel {
  const { state } = input;
  const locale = state.locale;
  const fmt = formatters(locale, input.timeZone);
  const buckets = groupBuckets(state, input.participants, locale);
  return {
    locale,
    heading: translate(locale, 'minutes.heading'),
    title: state.title,
    date: fmt.date(sessionStart(state)),
    code: state.code,
    method: translate(locale, `template.${state.template}.name`),
    facilitator: state.facilitator,
    particulars: particularsOf(state),
    present: {
      count: input.participants.length,
      groups: buckets
        .filter((b) => b.members.length > 0)
        .map((b) => {
          const roles = rolesOf(state, b.groupId, input.participants);
          return { label: b.label, names: b.members.map((p) => p.name), ...(roles.length > 0 ? { roles } : {}) };
        }),
    },
    agenda: state.stages.map((stage, i) => agendaRow(stage, i, input.generatedAt, fmt.time, locale)),
    case: caseText(state.case),
    proceedings: proceedings(input, buckets),
    solutions: state.groups.map((g) => ({ group: groupLabel(state, g.id, locale), text: g.solution })),
    vote: voteSection(state, locale),
    ballots: ballotsSection(state),
    decision: decisionSection(state),
    summary: state.protocol.summary.trim(),
    decisions: state.protocol.decisions.map((d) => d.trim()).filter((d) => d !== ''),
    reflection: reflectionSection(input),
    interview: interviewMinutes(state, input.interview ?? []),
  };
}

function particularsOf(state: SessionState): MinutesParticulars {
  const p = state.protocol;
  return { organisation: p.organisation.trim(), place: p.place.trim(), number: p.number.trim() };
}

interface Formatters {
  date: (t: number) => string;
  time: (t: number) => string;
}

function formatters(locale: Locale, timeZone = 'UTC'): Formatters {
  const tag = localeTag(locale);
  const date = dateTimeFormat(tag, { day: 'numeric', month: 'long', year: 'numeric' }, timeZone);
  const time = dateTimeFormat(tag, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }, timeZone);
  return { date: (t) => date.format(t), time: (t) => time.format(t) };
}

/** A misspelt time zone must not cost the facilitator her minutes: fall back to UTC. */
function dateTimeFormat(tag: string, options: Intl.DateTimeFormatOptions, timeZone: string): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat(tag, { ...options, timeZone });
  } catch {
    return new Intl.DateTimeFormat(tag, { ...options, timeZone: 'UTC' });
  }
}

/** The day the session actually ran: its earliest stage visit, else when it was created. */
function sessionStart(state: SessionState): number {
  const starts = state.stages.flatMap((s) => s.visits.map((v) => v.startedAt));
  return starts.length > 0 ? Math.min(...starts) : state.createdAt;
}

interface Bucket {
  groupId: string | null;
  label: string;
  members: Participant[];
}

/** Teachers per group in the session's order, the "no group" bucket last; names sorted for the locale. */
function groupBuckets(state: SessionState, participants: Participant[], locale: Locale): Bucket[] {
  const collator = new Intl.Collator(localeTag(locale));
  const ids: (string | null)[] = [...state.groups.map((g) => g.id), null];
  return ids.map((groupId) => ({
    groupId,
    label: groupLabel(state, groupId, locale),
    members: participants
      .filter((p) => groupOf(state, p) === groupId)
      .sort((a, b) => collator.compare(a.name, b.name)),
  }));
}

/** A teacher whose group was dissolved counts as having none. */
function groupOf(state: SessionState, p: Participant | undefined): string | null {
  const id = p?.groupId ?? null;
  return id !== null && state.groups.some((g) => g.id === id) ? id : null;
}

function agendaRow(stage: Stage, i: number, generatedAt: number, time: (t: number) => string, locale: Locale): MinutesAgendaRow {
  const span = stageSpan(stage, generatedAt);
  return {
    number: i + 1,
    title: stageTitle(stage, locale),
    plannedMin: stage.plannedMin,
    actual: span && { ...span, start: time(span.startedAt), end: time(span.endedAt) },
  };
}

/** First start to last end; a visit still open is counted up to the moment the minutes are made. */
function stageSpan(stage: Stage, generatedAt: number): { startedAt: number; endedAt: number } | null {
  const first = stage.visits[0];
  const last = stage.visits[stage.visits.length - 1];
  if (!first || !last) return null;
  return { startedAt: first.startedAt, endedAt: last.endedAt ?? generatedAt };
}

function caseText(c: CaseText): CaseText | null {
  const trimmed = { title: c.title.trim(), situation: c.situation.trim(), questions: c.questions.trim() };
  return trimmed.title || trimmed.situation || trimmed.questions ? trimmed : null;
}

/** Who holds each group role, in the roles' fixed order. */
function rolesOf(state: SessionState, groupId: string | null, participants: Participant[]): { role: string; name: string }[] {
  const group = state.groups.find((g) => g.id === groupId);
  if (!group) return [];
  return GROUP_ROLES.flatMap((role) => {
    const holder = participants.find((p) => p.id === group.roles[role]);
    return holder ? [{ role: translate(state.locale, `grouprole.${role}`), name: holder.name }] : [];
  });
}

/** A note with what the minutes need to know about where it sits. */
interface Entry {
  note: NoteView;
  /** The cluster it was dropped into, when that cluster still exists on its board. */
  cluster: ClusterView | null;
  /** The group it came from: the board's group, the owner's group, or a plenary note's `fromGroup`. */
  from: string | null;
  individual: boolean;
}

interface Content {
  entries: Entry[];
  cards: CardView[];
}

interface BoardIndex {
  names: Map<string, string>;
  group: Map<string, Content>;
  /** Personal boards by the group their owner belongs to now. */
  personalByGroup: Map<string | null, Content>;
  plenary: Content;
  /** Every prototype card of the session, with the group whose board holds it (or that published it). */
  cards: Map<string, { card: CardView; groupId: string | null }>;
  /** A published card's plenary id → the id of the group's card it copies. */
  aliases: Map<string, string>;
}

function indexBoards(input: MinutesInput): BoardIndex {
  const byId = new Map(input.participants.map((p) => [p.id, p]));
  const index: BoardIndex = {
    names: new Map(input.participants.map((p) => [p.id, p.name])),
    group: new Map(),
    personalByGroup: new Map(),
    plenary: { entries: [], cards: [] },
    cards: new Map(),
    aliases: new Map(),
  };
  const slot = <K>(map: Map<K, Content>, key: K): Content => {
    let content = map.get(key);
    if (!content) map.set(key, (content = { entries: [], cards: [] }));
    return content;
  };
  for (const board of input.boards) {
    const parsed = parseBoardId(board.boardId);
    if (!parsed) continue;
    const clusters = new Map((board.clusters ?? []).map((c) => [c.id, c]));
    let from: string | null = null;
    let content = index.plenary;
    if (parsed.kind === 'group') content = slot(index.group, (from = parsed.id));
    else if (parsed.kind === 'personal') content = slot(index.personalByGroup, (from = groupOf(input.state, byId.get(parsed.id))));
    for (const note of board.notes) {
      content.entries.push({
        note,
        cluster: note.clusterId ? (clusters.get(note.clusterId) ?? null) : null,
        from: parsed.kind === 'plenary' ? note.fromGroup : from,
        individual: parsed.kind === 'personal',
      });
    }
    for (const card of board.cards ?? []) {
      content.cards.push(card);
      index.cards.set(card.id, { card, groupId: parsed.kind === 'plenary' ? (card.fromGroup ?? null) : from });
    }
  }
  // Feedback on a published copy is feedback on the group's card.
  for (const card of index.plenary.cards) {
    const original = card.fromGroup ? unpublished(card.fromGroup, card.id) : null;
    if (original && index.cards.has(original) && !index.plenary.cards.some((c) => c.id === original)) {
      index.aliases.set(card.id, original);
    }
  }
  return index;
}

/**
 * Every visited stage that has a board: per group, its board's notes by layout area
 * (clusters as sub-lists, +1 counts), its prototype cards and its members' personal notes;
 * then what was published to the plenary board, and the feedback on each prototype.
 */
function proceedings(input: MinutesInput, buckets: Bucket[]): MinutesStageWork[] {
  const { state } = input;
  const locale = state.locale;
  const index = indexBoards(input);
  const known = (groupId: string | null) =>
    groupId !== null && state.groups.some((g) => g.id === groupId) ? groupLabel(state, groupId, locale) : null;
  return state.stages
    .filter((stage) => stage.board !== 'none' && stage.visits.length > 0)
    .map((stage) => {
      const ofStage = (content: Content | undefined) =>
        // An emptied sticky note says nothing; leave it out of the record.
        sortEntries((content?.entries ?? []).filter((e) => e.note.stageId === stage.id && e.note.text.trim() !== ''));
      const cardsOf = (content: Content | undefined) =>
        sortCards((content?.cards ?? []).filter((c) => c.stageId === stage.id)).map((c) =>
          cardOf(c, locale, content === index.plenary ? known(c.fromGroup ?? null) : null),
        );
      const isFeedback = (e: Entry) => e.note.subject !== null && index.cards.has(e.note.subject);
      const subjectOf = (e: Entry) => index.aliases.get(e.note.subject!) ?? e.note.subject!;
      const note = (withGroup: boolean) => (e: Entry): MinutesNote => ({
        text: e.note.text,
        author: authorOf(index, stage, e),
        individual: e.individual,
        plus: e.note.reactions.length,
        group: withGroup ? known(e.from) : null,
      });
      const feedback: Entry[] = [];

      const groups = buckets.flatMap((b): MinutesGroupWork[] => {
        const shared = b.groupId === null ? [] : ofStage(index.group.get(b.groupId));
        // A revealed private note is copied onto the group board under its own id; record it once, there.
        const onBoard = new Set(shared.map((e) => e.note.id));
        const personal = ofStage(index.personalByGroup.get(b.groupId)).filter((e) => !onBoard.has(e.note.id));
        const answers = [...shared, ...personal].filter(isFeedback);
        feedback.push(...answers);
        const cards = [...(b.groupId === null ? [] : cardsOf(index.group.get(b.groupId))), ...cardsOf(index.personalByGroup.get(b.groupId))];
        const work: MinutesGroupWork = {
          label: b.label,
          shared: areasOf(stage, shared.filter((e) => !isFeedback(e)), note(false), locale),
          personal: areasOf(stage, personal.filter((e) => !isFeedback(e)), note(false), locale),
          cards,
        };
        const empty = work.shared.length + work.personal.length + work.cards.length === 0;
        // Real groups are listed even when silent; the "no group" bucket only when it wrote something;
        // a group whose every note answered a prototype is heard under that prototype.
        return empty && (b.groupId === null || answers.length > 0) ? [] : [work];
      });

      const plenaryNotes = ofStage(index.plenary);
      // A published feedback note is already heard from its group's board.
      const heard = new Set(feedback.map((e) => `${e.from}:${e.note.id}`));
      feedback.push(...plenaryNotes.filter((e) => isFeedback(e) && !heard.has(e.note.id)));
      const plenary = {
        notes: areasOf(stage, plenaryNotes.filter((e) => !isFeedback(e)), note(true), locale),
        cards: cardsOf(index.plenary),
      };

      const bySubject = new Map<string, Entry[]>();
      for (const e of feedback) bySubject.set(subjectOf(e), [...(bySubject.get(subjectOf(e)) ?? []), e]);
      const answered = sortCards([...bySubject.keys()].map((id) => index.cards.get(id)!.card));
      return {
        stageId: stage.id,
        title: stageTitle(stage, locale),
        groups,
        plenary: plenary.notes.length + plenary.cards.length > 0 ? plenary : null,
        feedback: answered.map((card) => ({
          card: card.title.trim() || translate(locale, 'minutes.card.untitled'),
          group: known(index.cards.get(card.id)!.groupId),
          areas: areasOf(stage, bySubject.get(card.id)!, note(true), locale),
        })),
      };
    });
}

/** The group-board id of a note or card published as `<groupId>:<id>` (see publishedId). */
function unpublished(groupId: string, id: string): string | null {
  return id.startsWith(`${groupId}:`) ? id.slice(groupId.length + 1) : null;
}

/** What identifies a private note's copy on the group board, whatever id the copy got. */

/** Authors are named unless the stage hides them; personal reflection is always anonymous. */
function authorOf(index: BoardIndex, stage: Stage, e: Entry): string | null {
  if (stage.showAuthors === false) return null;
  if (e.individual && stage.kind === 'reflect') return null;
  return index.names.get(e.note.authorId) || e.note.authorName.trim() || null;
}

/**
 * Notes by the areas of the stage's layout, in the layout's order. A note whose area is empty
 * or unknown goes in the first area; a board whose notes were never placed in an area
 * (made before layouts) stays one unlabelled list, as does a one-area layout.
 */
function areasOf(stage: Stage, entries: Entry[], toNote: (e: Entry) => MinutesNote, locale: Locale): MinutesArea[] {
  if (entries.length === 0) return [];
  const layout = LAYOUTS[stage.layout] ?? LAYOUTS.free;
  const keys = layout.areas.map((a) => a.key);
  const placed = entries.some((e) => keys.includes(e.note.area));
  const byArea = new Map<string, Entry[]>();
  for (const e of entries) {
    const key = placed ? areaOf(layout.id, e.note.area) : keys[0]!;
    byArea.set(key, [...(byArea.get(key) ?? []), e]);
  }
  return keys
    .filter((key) => byArea.has(key))
    .map((key) => ({
      key,
      label: placed && keys.length > 1 ? translate(locale, `layout.${layout.id}.${key}`) : null,
      items: itemsOf(byArea.get(key)!, toNote),
    }));
}

/** Notes in board order; a cluster stands where its first note would, with its notes beneath. */
function itemsOf(entries: Entry[], toNote: (e: Entry) => MinutesNote): MinutesItem[] {
  const items: MinutesItem[] = [];
  const clusters = new Map<ClusterView, { kind: 'cluster'; name: string; notes: MinutesNote[] }>();
  for (const e of entries) {
    if (!e.cluster) {
      items.push({ kind: 'note', note: toNote(e) });
      continue;
    }
    let cluster = clusters.get(e.cluster);
    if (!cluster) {
      cluster = { kind: 'cluster', name: e.cluster.name.trim(), notes: [] };
      clusters.set(e.cluster, cluster);
      items.push(cluster);
    }
    cluster.notes.push(toNote(e));
  }
  return items;
}

function cardOf(card: CardView, locale: Locale, group: string | null): MinutesCard {
  return {
    id: card.id,
    title: card.title.trim(),
    group,
    manager: card.manager.trim(),
    goal: card.goal.trim(),
    audience: card.audience.trim(),
    forms: FORMS_OF_WORK.filter((f) => card.forms.includes(f)).map((f) => translate(locale, `form.${f}`)),
    formsOther: card.formsOther.trim(),
    indicators: card.indicators.trim(),
  };
}

function sortEntries(entries: Entry[]): Entry[] {
  return [...entries].sort((a, b) => a.note.createdAt - b.note.createdAt || a.note.id.localeCompare(b.note.id));
}

function sortCards(cards: CardView[]): CardView[] {
  return [...cards].sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

function voteSection(state: SessionState, locale: Locale): MinutesVote {
  const { vote } = state;
  if (!vote.results) return { status: vote.round > 0 ? 'not_revealed' : 'not_held' };
  const rows = vote.results.ranking.map((r) => {
    const option = vote.options.find((o) => o.id === r.optionId);
    // Options are the groups' solutions; a group still present gets its current label.
    const group = state.groups.some((g) => g.id === r.optionId)
      ? groupLabel(state, r.optionId, locale)
      : (option?.groupName ?? r.optionId);
    return { rank: r.rank, option: option?.label ?? r.optionId, group, votes: r.votes, percent: Math.round(r.share * 100) };
  });
  return { status: 'revealed', voters: vote.results.voters, dots: vote.results.dots, tie: vote.results.tieForFirst, rows };
}

/** A decision recorded with no wording of its own takes the chosen option's text. */
function decisionSection(state: SessionState): MinutesModel['decision'] {
  const d = state.decision;
  if (!d) return null;
  const option = state.vote.options.find((o) => o.id === d.optionId);
  return { title: d.title || option?.label || '', reason: d.reason };
}

/** The self-rating questionnaire's ballots (`self-rating`, or `self-rating-2` … for a second copy). */
const SELF_RATING_ID = /^self-rating(-\d+)?$/;

/**
 * Reflection, aggregated: the self-rating's mean and median per criterion, and every
 * note of the reflection stages with neither author nor group, whatever the stage showed.
 */
function reflectionSection(input: MinutesInput): MinutesReflection | null {
  const { state } = input;
  const selfRatings = (state.ballots ?? []).flatMap((b): MinutesSelfRating[] => {
    const r = b.results;
    if (!SELF_RATING_ID.test(b.id) || r?.kind !== 'rating' || (b.status !== 'revealed' && b.status !== 'closed')) return [];
    const label = new Map(b.options.map((o) => [o.id, o.label]));
    // In the questionnaire's order, not by rank: the reader compares criteria, not a contest.
    const byId = new Map(r.options.map((o) => [o.optionId, o]));
    return [
      {
        title: b.title,
        scale: { min: b.scale?.min ?? 1, max: b.scale?.max ?? 5 },
        voters: r.voters,
        rows: b.options.flatMap((o) => {
          const row = byId.get(o.id);
          return row ? [{ criterion: label.get(o.id) ?? o.id, n: row.n, mean: row.mean, median: row.median }] : [];
        }),
      },
    ];
  });
  const stages = state.stages.filter((s) => s.kind === 'reflect' && s.board !== 'none' && s.visits.length > 0);
  if (stages.length === 0 && selfRatings.length === 0) return null;
  const index = indexBoards(input);
  const contents = [...index.group.values(), ...index.personalByGroup.values(), index.plenary];
  const anonymous = (e: Entry): MinutesNote => ({ text: e.note.text, author: null, individual: false, plus: e.note.reactions.length, group: null });
  const notes = stages.flatMap((stage) => {
    const seen = new Set<string>();
    const entries = contents
      .flatMap((c) => c.entries)
      .filter((e) => e.note.stageId === stage.id && e.note.text.trim() !== '')
      // A revealed private note sits on the group board too, under the same id: count it once.
      .filter((e) => {
        if (seen.has(e.note.id)) return false;
        seen.add(e.note.id);
        return true;
      });
    return areasOf(stage, sortEntries(entries), anonymous, state.locale);
  });
  return { selfRatings, notes };
}
