import type { NoteView } from '../board/notes.js';
import { parseBoardId } from '../board/notes.js';
import { translate } from '../i18n/index.js';
import { groupLabel, stageTitle } from '../i18n/labels.js';
import type { CaseText, Locale, Participant, SessionState, Stage } from '../model/types.js';

export interface MinutesInput {
  state: SessionState;
  /** Everyone who joined; the minutes count them all as present, whether or not still online at export. */
  participants: Participant[];
  /** Group boards (`g-<groupId>`) and personal boards (`p-<participantId>`). */
  boards: { boardId: string; notes: NoteView[] }[];
  generatedAt: number;
  /** IANA zone for dates and times; UTC when absent. */
  timeZone?: string;
}

export interface MinutesPresentGroup {
  label: string;
  names: string[];
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
  /** Null when anonymous (personal reflection) or the author is unknown. */
  author: string | null;
  /** Written on the author's personal board rather than the group's. */
  individual: boolean;
}

export interface MinutesGroupWork {
  label: string;
  notes: MinutesNote[];
}

export interface MinutesStageWork {
  stageId: string;
  title: string;
  groups: MinutesGroupWork[];
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

export interface MinutesModel {
  locale: Locale;
  heading: string;
  title: string;
  date: string;
  code: string;
  method: string;
  facilitator: string;
  present: { count: number; groups: MinutesPresentGroup[] };
  agenda: MinutesAgendaRow[];
  /** Null when the facilitator entered no case text. */
  case: CaseText | null;
  proceedings: MinutesStageWork[];
  solutions: MinutesSolution[];
  vote: MinutesVote;
  decision: { title: string; reason: string } | null;
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
    present: {
      count: input.participants.length,
      groups: buckets.filter((b) => b.members.length > 0).map((b) => ({ label: b.label, names: b.members.map((p) => p.name) })),
    },
    agenda: state.stages.map((stage, i) => agendaRow(stage, i, input.generatedAt, fmt.time, locale)),
    case: caseText(state.case),
    proceedings: proceedings(input, buckets),
    solutions: state.groups.map((g) => ({ group: groupLabel(state, g.id, locale), text: g.solution })),
    vote: voteSection(state, locale),
    decision: decisionSection(state),
  };
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

/** Notes of every visited stage that has a board, per group. */
function proceedings(input: MinutesInput, buckets: Bucket[]): MinutesStageWork[] {
  const { state } = input;
  const index = indexBoards(input);
  return state.stages
    .filter((stage) => stage.board !== 'none' && stage.visits.length > 0)
    .map((stage) => ({
      stageId: stage.id,
      title: stageTitle(stage, state.locale),
      groups: buckets.flatMap((b) => {
        const notes = bucketNotes(index, b, stage);
        // Real groups are listed even when silent; the "no group" bucket only when it wrote something.
        return b.groupId === null && notes.length === 0 ? [] : [{ label: b.label, notes }];
      }),
    }));
}

interface BoardIndex {
  names: Map<string, string>;
  group: Map<string, NoteView[]>;
  /** Personal boards by the group their owner belongs to now. */
  personalByGroup: Map<string | null, NoteView[]>;
}

function indexBoards(input: MinutesInput): BoardIndex {
  const byId = new Map(input.participants.map((p) => [p.id, p]));
  const group = new Map<string, NoteView[]>();
  const personalByGroup = new Map<string | null, NoteView[]>();
  for (const board of input.boards) {
    const parsed = parseBoardId(board.boardId);
    if (!parsed) continue;
    if (parsed.kind === 'group') group.set(parsed.id, [...(group.get(parsed.id) ?? []), ...board.notes]);
    else {
      const owner = groupOf(input.state, byId.get(parsed.id));
      personalByGroup.set(owner, [...(personalByGroup.get(owner) ?? []), ...board.notes]);
    }
  }
  return { names: new Map(input.participants.map((p) => [p.id, p.name])), group, personalByGroup };
}

/** The group's own board first, then its members' personal notes; reflection stays anonymous. */
function bucketNotes(boards: BoardIndex, bucket: Bucket, stage: Stage): MinutesNote[] {
  const author = (n: NoteView) => boards.names.get(n.authorId) || n.authorName.trim() || null;
  const ofStage = (notes: NoteView[] | undefined) =>
    // An emptied sticky note says nothing; leave it out of the record.
    sortNotes((notes ?? []).filter((n) => n.stageId === stage.id && n.text.trim() !== ''));
  const shared = bucket.groupId === null ? [] : ofStage(boards.group.get(bucket.groupId));
  const personal = ofStage(boards.personalByGroup.get(bucket.groupId));
  const anonymous = stage.kind === 'reflect';
  return [
    ...shared.map((n) => ({ text: n.text, author: author(n), individual: false })),
    ...personal.map((n) => ({ text: n.text, author: anonymous ? null : author(n), individual: true })),
  ];
}

function sortNotes(notes: NoteView[]): NoteView[] {
  return [...notes].sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
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
