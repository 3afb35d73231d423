import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
  applyCommand,
  buildMinutes,
  createSessionState,
  renderMinutesMarkdown,
  type Allocation,
  type Command,
  type Locale,
  type MinutesInput,
  type NoteView,
  type Participant,
  type SessionState,
} from '../src/index.js';
import {
  addCard,
  addNote,
  createCluster,
  publishedId,
  publishInto,
  EMPTY_CARD,
  readCards,
  readClusters,
  readNotes,
  toggleReaction,
  type MinutesBoard,
  type NewNote,
} from '../src/index.js';
import { FACILITATOR, MIN } from './helpers.js';

/** 12 March 2025, 09:00 in Aqtobe (UTC+5, no daylight saving). */
const T0 = Date.UTC(2025, 2, 12, 4, 0);
const ZONE = 'Asia/Aqtobe';
const NBSP = '\u00a0';

function apply(state: SessionState, cmd: Command, now: number, ballots: Allocation[] = []): SessionState {
  const r = applyCommand(state, cmd, FACILITATOR, { now, ballots: () => ballots, present: () => [] });
  if (!r.ok) throw new Error(`${cmd.type}: ${r.error}`);
  return r.state;
}

// Listed out of alphabetical order on purpose: the minutes sort them.
const PARTICIPANTS: Participant[] = [
  { id: 'p3', name: 'Жумабаева Асель', groupId: 'g1', joinedAt: T0 },
  { id: 'p1', name: 'Ахметова Дана', groupId: 'g1', joinedAt: T0 },
  { id: 'p2', name: 'Борисов Игорь', groupId: 'g1', joinedAt: T0 },
  { id: 'p6', name: 'Сулейменов Арман', groupId: 'g2', joinedAt: T0 },
  { id: 'p4', name: 'Иванова Мария', groupId: 'g2', joinedAt: T0 },
  { id: 'p5', name: 'Ким Сергей', groupId: 'g2', joinedAt: T0 },
];

const BALLOTS: Allocation[] = [{ g1: 2, g2: 1 }, { g1: 2, g2: 1 }, { g1: 1, g2: 2 }, { g1: 1, g2: 1 }, { g1: 1 }, {}];

/** A full case-method session: two groups, every stage visited, vote revealed, decision recorded. */
function session(locale: Locale): SessionState {
  let s = createSessionState({
    id: 'sess1',
    code: 'K7M2QX',
    title: 'Критерии успеха урока',
    facilitator: 'Сапарова Айгерим',
    locale,
    template: 'case-method',
    now: T0,
  });
  s = apply(s, { type: 'groups.split', count: 2 }, T0);
  s = apply(s, { type: 'group.rename', groupId: 'g2', name: 'Новаторы' }, T0);
  s = apply(s, {
    type: 'case.set',
    case: { title: 'Сингапурская методика', situation: 'Учитель не видит,\nпоняли ли ученики цель.', questions: 'Что изменить?' },
  }, T0);
  const starts = [7, 17, 27, 52, 67, 72, 82];
  starts.forEach((m, i) => (s = apply(s, { type: 'stage.go', index: i + 1 }, T0 + m * MIN)));
  s = apply(s, { type: 'group.solution', groupId: 'g1', text: 'Ввести критерии успеха на каждом уроке' }, T0);
  s = apply(s, { type: 'group.solution', groupId: 'g2', text: 'Взаимопосещение уроков' }, T0);
  s = apply(s, { type: 'vote.open' }, T0 + 68 * MIN);
  s = apply(s, { type: 'vote.close' }, T0 + 71 * MIN);
  s = apply(s, { type: 'vote.reveal' }, T0 + 71 * MIN, BALLOTS);
  return apply(s, {
    type: 'decision.record',
    optionId: 'g1',
    title: 'Ввести критерии успеха на каждом уроке',
    reason: 'Решение набрало больше голосов',
  }, T0 + 80 * MIN);
}

let noteSeq = 0;
function note(authorId: string, stageId: string, text: string): NoteView {
  const author = PARTICIPANTS.find((p) => p.id === authorId);
  noteSeq++;
  return { id: `n${noteSeq}`, text, color: 'yellow', authorId, authorName: author?.name ?? '', stageId, createdAt: T0 + noteSeq, area: '', clusterId: null, reactions: [], x: 0, y: 0, fromGroup: null, subject: null };
}

function boards(): MinutesInput['boards'] {
  return [
    { boardId: 'g-g1', notes: [note('p1', 's4', 'Проблема: низкая мотивация'), note('p2', 's4', 'Причина: нет критериев успеха')] },
    { boardId: 'g-g2', notes: [note('p5', 's4', 'Посещать уроки друг друга'), note('p4', 's5', 'Показали план взаимопосещений')] },
    {
      boardId: 'p-p1',
      notes: [
        note('p1', 's3', 'Факт: 40% учеников не понимают цель урока'),
        note('p1', 's8', 'Было полезно обсудить критерии'),
        note('p1', 's2', 'Заметка этапа без доски'),
      ],
    },
    { boardId: 'p-p6', notes: [note('p6', 's3', 'Нет обратной связи'), note('p6', 's3', '   ')] },
  ];
}

function markdown(locale: Locale, extra: Partial<MinutesInput> = {}): string {
  return renderMinutesMarkdown(
    buildMinutes({ state: session(locale), participants: PARTICIPANTS, boards: boards(), generatedAt: T0 + 90 * MIN, timeZone: ZONE, ...extra }),
  );
}

const linesOf = (md: string) => md.split('\n');

/** The lines from `heading` up to the next heading of the same or a higher level. */
function section(md: string, heading: string): string[] {
  const lines = linesOf(md);
  const start = lines.indexOf(heading);
  expect(start, `missing ${heading}`).toBeGreaterThanOrEqual(0);
  const level = heading.indexOf(' ');
  const end = lines.findIndex((l, i) => i > start && /^#+ /.test(l) && l.indexOf(' ') <= level);
  return lines.slice(start, end === -1 ? undefined : end);
}

describe('minutes in Russian', () => {
  const md = markdown('ru');
  const lines = linesOf(md);

  it('opens with the heading, subtitle and session details', () => {
    expect(lines.slice(0, 9)).toEqual([
      '# Протокол',
      '',
      'методической сессии «Критерии успеха урока»',
      '',
      '- **Дата:** 12 марта 2025 г.',
      '- **Код комнаты:** K7M2QX',
      '- **Метод:** Метод кейсов',
      '- **Методист:** Сапарова Айгерим',
      '',
    ]);
  });

  it('lists who was present, by group, names in alphabetical order', () => {
    expect(lines).toContain('Присутствовали: 6');
    expect(lines).toContain('**Группа 1:** Ахметова Дана, Борисов Игорь, Жумабаева Асель');
    expect(lines).toContain('**Новаторы:** Иванова Мария, Ким Сергей, Сулейменов Арман');
    expect(lines.some((l) => l.startsWith('**Без группы:**'))).toBe(false);
  });

  it('has an agenda with planned and actual times', () => {
    expect(section(md, '## Повестка')).toEqual([
      '## Повестка',
      '',
      '| № | Этап | План, мин | Факт |',
      '|---:|---|---:|---|',
      '| 1 | Вход и группы | 5 | 09:00–09:07 |',
      '| 2 | Чтение кейса | 10 | 09:07–09:17 |',
      '| 3 | Индивидуальный анализ | 10 | 09:17–09:27 |',
      '| 4 | Работа в группах | 25 | 09:27–09:52 |',
      '| 5 | Презентация решений | 15 | 09:52–10:07 |',
      '| 6 | Голосование | 5 | 10:07–10:12 |',
      '| 7 | Выбор оптимального решения | 10 | 10:12–10:22 |',
      // Still running when the minutes were made.
      '| 8 | Рефлексия | 10 | 10:22–10:30 |',
      '',
    ]);
  });

  it('gives the case with its situation and questions', () => {
    expect(section(md, '## Кейс')).toEqual([
      '## Кейс',
      '',
      '**Сингапурская методика**',
      '',
      '**Ситуация:**',
      '',
      'Учитель не видит,',
      '',
      'поняли ли ученики цель.',
      '',
      '**Вопросы:**',
      '',
      'Что изменить?',
      '',
    ]);
  });

  it('records each group’s notes with their authors, personal notes apart', () => {
    expect(section(md, '### Индивидуальный анализ')).toEqual([
      '### Индивидуальный анализ',
      '',
      '#### Группа 1',
      '',
      '**Индивидуальные заметки:**',
      '',
      '- Факт: 40% учеников не понимают цель урока — Ахметова Дана',
      '',
      '#### Новаторы',
      '',
      '**Индивидуальные заметки:**',
      '',
      '- Нет обратной связи — Сулейменов Арман',
      '',
    ]);
    expect(section(md, '### Работа в группах')).toEqual([
      '### Работа в группах',
      '',
      '#### Группа 1',
      '',
      '- Проблема: низкая мотивация — Ахметова Дана',
      '- Причина: нет критериев успеха — Борисов Игорь',
      '',
      '#### Новаторы',
      '',
      '- Посещать уроки друг друга — Ким Сергей',
      '',
    ]);
    expect(section(md, '### Презентация решений')).toContain('- Показали план взаимопосещений — Иванова Мария');
  });

  it('keeps reflection anonymous and leaves out stages without a board', () => {
    const reflection = section(md, '### Рефлексия');
    expect(reflection).toContain('- Было полезно обсудить критерии');
    expect(reflection).toContain('Заметок нет.');
    expect(md).not.toContain('Было полезно обсудить критерии —');
    expect(md).not.toContain('Заметка этапа без доски');
    expect(lines).not.toContain('### Чтение кейса');
  });

  it('lists the groups’ solutions', () => {
    expect(section(md, '## Решения групп')).toEqual([
      '## Решения групп',
      '',
      '- **Группа 1:** Ввести критерии успеха на каждом уроке',
      '- **Новаторы:** Взаимопосещение уроков',
      '',
    ]);
  });

  it('tabulates the vote with places, votes and whole-percent shares', () => {
    expect(section(md, '## Итоги голосования')).toEqual([
      '## Итоги голосования',
      '',
      '| Место | Решение | Голоса | Доля |',
      '|---:|---|---:|---:|',
      `| 1 | Ввести критерии успеха на каждом уроке (Группа 1) | 7 | 58${NBSP}% |`,
      `| 2 | Взаимопосещение уроков (Новаторы) | 5 | 42${NBSP}% |`,
      '',
      'Проголосовали: 5; отдано голосов: 12.',
      '',
    ]);
  });

  it('ends with the decision, its reasons and the signature', () => {
    expect(lines.slice(lines.indexOf('## ПОСТАНОВИЛИ'))).toEqual([
      '## ПОСТАНОВИЛИ',
      '',
      'Ввести критерии успеха на каждом уроке',
      '',
      '**Обоснование:** Решение набрало больше голосов',
      '',
      'Методист: ____________ Сапарова Айгерим',
      '',
    ]);
  });
});

describe('minutes in Kazakh', () => {
  const md = markdown('kk');
  const lines = linesOf(md);

  it('uses the Kazakh catalogue throughout', () => {
    expect(lines[0]).toBe('# Хаттама');
    expect(lines).toContain('«Критерии успеха урока» әдістемелік сессиясының');
    expect(lines).toContain('- **Әдіс:** Кейс әдісі');
    expect(lines.find((l) => l.startsWith('- **Күні:**'))).toMatch(/2025.*наурыз/);
    expect(lines).toContain('Қатысқандар: 6');
    expect(lines).toContain('**1-топ:** Ахметова Дана, Борисов Игорь, Жумабаева Асель');
    expect(lines).toContain('| № | Кезең | Жоспар, мин | Нақты |');
    expect(lines).toContain('| 4 | Топтық жұмыс | 25 | 09:27–09:52 |');
    expect(lines).toContain('| Орны | Шешім | Дауыстар | Үлесі |');
    expect(lines).toContain('| 1 | Ввести критерии успеха на каждом уроке (1-топ) | 7 | 58% |');
    expect(lines).toContain('Дауыс бергендер: 5; берілген дауыстар: 12.');
    expect(lines).toContain('## ШЕШТІ');
    expect(lines).toContain('**Негіздеме:** Решение набрало больше голосов');
    expect(lines).toContain('Әдіскер: ____________ Сапарова Айгерим');
    expect(md).not.toMatch(/Протокол|ПОСТАНОВИЛИ|Minutes|DECIDED/);
  });
});

describe('minutes in English', () => {
  const md = markdown('en');
  const lines = linesOf(md);

  it('uses the English catalogue throughout', () => {
    expect(lines[0]).toBe('# Minutes');
    expect(lines).toContain('of the methodological session «Критерии успеха урока»');
    expect(lines).toContain('- **Date:** 12 March 2025');
    expect(lines).toContain('Present: 6');
    expect(lines).toContain('**Group 1:** Ахметова Дана, Борисов Игорь, Жумабаева Асель');
    expect(lines).toContain('| № | Stage | Planned, min | Actual |');
    expect(lines).toContain('| 3 | Individual analysis | 10 | 09:17–09:27 |');
    expect(lines).toContain('#### Group 1');
    expect(lines).toContain('**Individual notes:**');
    expect(lines).toContain('| Place | Solution | Votes | Share |');
    expect(lines).toContain('| 2 | Взаимопосещение уроков (Новаторы) | 5 | 42% |');
    expect(lines).toContain('Voters: 5; votes cast: 12.');
    expect(lines).toContain('## DECIDED');
    expect(lines).toContain('**Reasons:** Решение набрало больше голосов');
  });

  it('writes times in the given zone, UTC when none is given', () => {
    expect(markdown('en', { timeZone: undefined }).split('\n')).toContain('| 1 | Joining and groups | 5 | 04:00–04:07 |');
  });
});

describe('minutes of an unfinished session', () => {
  function early(): SessionState {
    let s = createSessionState({ id: 's', code: 'ABCDEF', title: 'T', locale: 'en', template: 'case-method', now: T0 });
    s = apply(s, { type: 'stage.go', index: 1 }, T0 + 5 * MIN);
    return apply(s, { type: 'stage.go', index: 0 }, T0 + 8 * MIN);
  }
  const participants: Participant[] = [
    { id: 'a', name: 'Zed', groupId: null, joinedAt: T0 },
    { id: 'b', name: 'Amy', groupId: 'g9', joinedAt: T0 },
    { id: 'c', name: 'Bob', groupId: 'g2', joinedAt: T0 },
  ];
  const input = (state: SessionState): MinutesInput => ({ state, participants, boards: [], generatedAt: T0 + 10 * MIN });

  it('spans a revisited stage from its first start to its last end, and marks unvisited stages', () => {
    const m = buildMinutes(input(early()));
    expect(m.agenda[0]!.actual).toMatchObject({ startedAt: T0, endedAt: T0 + 10 * MIN, start: '04:00', end: '04:10' });
    expect(m.agenda[1]!.actual).toMatchObject({ start: '04:05', end: '04:08' });
    expect(m.agenda[2]!.actual).toBeNull();
    expect(renderMinutesMarkdown(m).split('\n')).toContain('| 3 | Individual analysis | 10 | not held |');
  });

  it('puts teachers without a (surviving) group last', () => {
    const m = buildMinutes(input(early()));
    expect(m.present.groups).toEqual([
      { label: 'Group 2', names: ['Bob'] },
      { label: 'No group', names: ['Amy', 'Zed'] },
    ]);
  });

  it('says when there was no case, no vote and no decision', () => {
    const m = buildMinutes(input(early()));
    expect(m.case).toBeNull();
    expect(m.proceedings).toEqual([]);
    const lines = renderMinutesMarkdown(m).split('\n');
    expect(lines).not.toContain('## Case');
    expect(lines).toContain('No vote was held.');
    expect(lines).toContain('No decision was recorded.');
    expect(lines).toContain('- **Group 1:** No solution marked.');
    expect(lines.at(-2)).toBe('Facilitator: ____________');
  });

  it('says when a vote was held but its results were not revealed', () => {
    let s = apply(early(), { type: 'group.solution', groupId: 'g1', text: 'A' }, T0);
    s = apply(s, { type: 'vote.open' }, T0);
    expect(buildMinutes(input(s)).vote).toEqual({ status: 'not_revealed' });
    expect(renderMinutesMarkdown(buildMinutes(input(s))).split('\n')).toContain('The results were not revealed.');
  });

  it('flags a tie for first place', () => {
    let s = apply(early(), { type: 'group.solution', groupId: 'g1', text: 'A' }, T0);
    s = apply(s, { type: 'group.solution', groupId: 'g2', text: 'B' }, T0);
    s = apply(s, { type: 'vote.open' }, T0);
    s = apply(s, { type: 'vote.reveal' }, T0, [{ g1: 1 }, { g2: 1 }]);
    const lines = renderMinutesMarkdown(buildMinutes(input(s))).split('\n');
    expect(lines).toContain('| 1 | A (Group 1) | 1 | 50% |');
    expect(lines).toContain('| 1 | B (Group 2) | 1 | 50% |');
    expect(lines).toContain('Tie for first place.');
  });
});

describe('minutes with hostile text', () => {
  const HOSTILE = ['# hack', '| x |', 'first line\n## injected\n| a | b |', '<img src=x onerror=alert(1)>', '1. not a list', '> not a quote', '---'];

  function hostileMarkdown(): string {
    let s = session('en');
    s = apply(s, { type: 'group.rename', groupId: 'g2', name: 'Pipes | and ## hashes' }, T0);
    s = apply(s, { type: 'vote.reset' }, T0);
    s = apply(s, { type: 'group.solution', groupId: 'g1', text: '| 1 | injected row |' }, T0);
    s = apply(s, { type: 'vote.open' }, T0);
    s = apply(s, { type: 'vote.reveal' }, T0, BALLOTS);
    const notes = HOSTILE.map((text) => note('p5', 's4', text));
    return renderMinutesMarkdown(
      buildMinutes({ state: s, participants: PARTICIPANTS, boards: [{ boardId: 'g-g2', notes }], generatedAt: T0 + 90 * MIN, timeZone: ZONE }),
    );
  }
  const md = hostileMarkdown();
  const lines = linesOf(md);
  const headings = (text: string) => linesOf(text).filter((l) => /^#{1,6} /.test(l));
  /** Pipes a Markdown table would split on: those not escaped with a backslash. */
  const cellBreaks = (line: string) => line.replace(/\\./g, '').split('|').length - 1;

  it('cannot add headings', () => {
    const clean = renderMinutesMarkdown(
      buildMinutes({ state: session('en'), participants: PARTICIPANTS, boards: [], generatedAt: T0 + 90 * MIN, timeZone: ZONE }),
    );
    expect(headings(md)).toEqual(headings(clean).map((h) => (h === '#### Новаторы' ? '#### Pipes \\| and ## hashes' : h)));
  });

  it('keeps every note on one list line with block markers escaped', () => {
    const groupWork = section(md, '### Group work');
    expect(groupWork).toContain('#### Pipes \\| and ## hashes');
    expect(groupWork.filter((l) => l.startsWith('- '))).toEqual([
      '- \\# hack — Ким Сергей',
      '- \\| x \\| — Ким Сергей',
      '- first line ## injected \\| a \\| b \\| — Ким Сергей',
      '- \\<img src=x onerror=alert(1)> — Ким Сергей',
      '- 1\\. not a list — Ким Сергей',
      '- \\> not a quote — Ким Сергей',
      '- \\--- — Ким Сергей',
    ]);
  });

  it('shows an HTML tag verbatim as text, never as markup', () => {
    expect(md).toContain('<img src=x onerror=alert(1)>');
    expect(lines.some((l) => /(^|[^\\])<img/.test(l))).toBe(false);
  });

  it('cannot split or add table rows', () => {
    const tableLines = lines.filter((l) => l.startsWith('|'));
    expect(tableLines.length).toBe(2 + 8 + 2 + 2);
    expect(tableLines.every((l) => cellBreaks(l) === 5)).toBe(true);
    expect(lines).toContain('| 1 | \\| 1 \\| injected row \\| (Group 1) | 7 | 58% |');
    expect(lines).toContain('**Pipes \\| and ## hashes:** Иванова Мария, Ким Сергей, Сулейменов Арман');
  });
});

// ---------------------------------------------------------------------------
// A design-thinking sprint: every artefact on real board documents.

const DT_PEOPLE: Participant[] = [
  { id: 'p1', name: 'Ахметова Дана', groupId: 'g1', joinedAt: T0 },
  { id: 'p2', name: 'Борисов Игорь', groupId: 'g1', joinedAt: T0 },
  { id: 'p3', name: 'Иванова Мария', groupId: 'g2', joinedAt: T0 },
  { id: 'p4', name: 'Ким Сергей', groupId: 'g2', joinedAt: T0 },
];
const name = (id: string) => DT_PEOPLE.find((p) => p.id === id)!.name;

function dtSession(locale: Locale): SessionState {
  let s = createSessionState({
    id: 'dt',
    code: 'DT2025',
    title: 'Наставничество',
    facilitator: 'Сапарова Айгерим',
    locale,
    template: 'design-thinking',
    now: T0,
  });
  s = apply(s, { type: 'groups.split', count: 2 }, T0);
  s = apply(s, { type: 'group.role', groupId: 'g1', role: 'speaker', participantId: 'p1' }, T0);
  s = apply(s, { type: 'group.role', groupId: 'g1', role: 'timekeeper', participantId: 'p2' }, T0);
  // Focus hides authors; ideation uses the idea board with its shortlist.
  s = apply(s, { type: 'stage.settings', index: 2, showAuthors: false }, T0);
  s = apply(s, { type: 'stage.settings', index: 3, layout: 'ideas' }, T0);
  for (let i = 1; i <= 6; i++) s = apply(s, { type: 'stage.go', index: i }, T0 + i * 10 * MIN);
  return apply(s, { type: 'stage.reveal', index: 3 }, T0 + 35 * MIN);
}

let seq = 0;
function put(doc: Y.Doc, authorId: string, stageId: string, text: string, extra: Partial<NewNote> = {}): string {
  seq++;
  const id = extra.id ?? `n${seq}`;
  addNote(doc, { id, text, color: 'yellow', authorId, authorName: name(authorId), stageId, createdAt: T0 + seq, ...extra });
  return id;
}

function board(boardId: string, doc: Y.Doc): MinutesBoard {
  return { boardId, notes: readNotes(doc), clusters: readClusters(doc), cards: readCards(doc) };
}

/** Real board documents, written with the board model and read back as the server reads them. */
function dtBoards(): MinutesBoard[] {
  seq = 0;
  const g1 = new Y.Doc();
  const g2 = new Y.Doc();
  const p2 = new Y.Doc();
  const p3 = new Y.Doc();
  const plenary = new Y.Doc();

  // Empathy: the map's four areas, one note with no area and one with an unknown one, a cluster.
  put(g1, 'p1', 's2', 'Нам не хватает времени на наставничество', { area: 'says' });
  put(g1, 'p2', 's2', 'Молодые учителя боятся открытых уроков', { area: 'feels' });
  const a = put(g1, 'p1', 's2', 'Устают от отчётов', { area: 'feels' });
  const b = put(g1, 'p2', 's2', 'Выгорают к концу года', { area: 'feels' });
  createCluster(g1, { id: 'c1', name: 'Усталость', area: 'feels', stageId: 's2', createdAt: T0 + 100 }, [a, b]);
  put(g1, 'p2', 's2', 'Изучили опыт школ Алматы', { area: '' });
  put(g1, 'p1', 's2', 'Хотят видеть пример', { area: 'wonders' });
  put(g1, 'p2', 's2', 'Ищут методички в интернете', { area: 'does' });
  put(g1, 'p1', 's2', 'Думают, что наставник — это контроль', { area: 'thinks' });

  // Focus, authors hidden.
  put(g2, 'p3', 's3', 'Как мы могли бы сделать наставничество добровольным?', { area: 'hmw' });

  // Ideation: written in private, revealed (the copy keeps its id); one idea shortlisted with +1s.
  const idea = put(p2, 'p2', 's4', 'Школа молодого учителя', { area: 'ideas' });
  put(g1, 'p2', 's4', 'Школа молодого учителя', { id: idea, area: 'shortlist' });
  for (const who of ['p1', 'p2', 'p3']) toggleReaction(g1, idea, who);
  put(g1, 'p1', 's4', 'Чат наставников', { area: 'ideas' });
  put(p3, 'p3', 's4', 'Педагогический квест', { area: 'ideas' });

  // Prototyping: a mini-project card.
  addCard(g1, {
    ...EMPTY_CARD,
    id: 'card1',
    stageId: 's5',
    authorId: 'p1',
    authorName: name('p1'),
    createdAt: T0 + 200,
    fromNote: idea,
    title: 'Школа молодого учителя',
    manager: 'Ахметова Дана',
    goal: 'Поддержать учителей первых трёх лет',
    audience: 'Молодые учителя',
    forms: ['fishbowl', 'ted'],
    formsOther: 'Педагогическая мастерская',
    indicators: '80% молодых учителей дают открытый урок',
  });
  // The group publishes its shortlisted idea and its card to the plenary board.
  publishInto(plenary, g1, [idea, 'card1'], 'g1');
  toggleReaction(plenary, publishedId('g1', idea), 'p4');

  // Testing: the other group answers the prototype; the card's own group writes a forecast.
  put(g2, 'p3', 's6', 'Понятная цель', { area: 'like', subject: 'card1' });
  put(g2, 'p4', 's6', 'Добавить взаимопосещения', { area: 'wish', subject: 'card1' });
  put(g2, 'p4', 's6', 'Сколько это займёт часов?', { area: 'questions', subject: 'card1' });
  put(g1, 'p1', 's6', 'Прогноз: 10 открытых уроков за год', { area: 'whatIf' });

  // Closing reflection: anonymous.
  put(p3, 'p3', 's7', 'Полезно: карта эмпатии', { area: 'useful' });

  return [board('g-g1', g1), board('g-g2', g2), board('p-p2', p2), board('p-p3', p3), board('plenary', plenary)];
}

function dtInput(locale: Locale, boards: MinutesBoard[] = dtBoards()): MinutesInput {
  return { state: dtSession(locale), participants: DT_PEOPLE, boards, generatedAt: T0 + 80 * MIN, timeZone: ZONE };
}
const dtMarkdown = (locale: Locale) => renderMinutesMarkdown(buildMinutes(dtInput(locale)));

describe('minutes of a design-thinking sprint, in Russian', () => {
  const md = dtMarkdown('ru');
  const lines = linesOf(md);

  it('names the group roles beside the members', () => {
    expect(lines).toContain('**Группа 1:** Ахметова Дана, Борисов Игорь (Спикер: Ахметова Дана; Хронометрист: Борисов Игорь)');
    expect(lines).toContain('**Группа 2:** Иванова Мария, Ким Сергей');
  });

  it('lays the empathy map out by its areas, a note of no or unknown area in the first, a cluster as a sub-list', () => {
    expect(section(md, '### Эмпатия')).toEqual([
      '### Эмпатия',
      '',
      '#### Группа 1',
      '',
      '**Говорит:**',
      '',
      '- Нам не хватает времени на наставничество — Ахметова Дана',
      '- Изучили опыт школ Алматы — Борисов Игорь',
      '- Хотят видеть пример — Ахметова Дана',
      '',
      '**Думает:**',
      '',
      '- Думают, что наставник — это контроль — Ахметова Дана',
      '',
      '**Делает:**',
      '',
      '- Ищут методички в интернете — Борисов Игорь',
      '',
      '**Чувствует:**',
      '',
      '- Молодые учителя боятся открытых уроков — Борисов Игорь',
      '- Кластер «Усталость»:',
      '  - Устают от отчётов — Ахметова Дана',
      '  - Выгорают к концу года — Борисов Игорь',
      '',
      '#### Группа 2',
      '',
      'Заметок нет.',
      '',
    ]);
  });

  it('names no author in a stage that hides them', () => {
    const focus = section(md, '### Фокусировка');
    expect(focus).toContain('**Вопросы «Как мы могли бы…?»:**');
    expect(focus).toContain('- Как мы могли бы сделать наставничество добровольным?');
  });

  it('shows the shortlist with its +1 count, a revealed private idea once, and what went to the plenary board', () => {
    expect(section(md, '### Генерация идей')).toEqual([
      '### Генерация идей',
      '',
      '#### Группа 1',
      '',
      '**Идеи:**',
      '',
      '- Чат наставников — Ахметова Дана',
      '',
      '**Отобранные идеи:**',
      '',
      '- Школа молодого учителя (+3) — Борисов Игорь',
      '',
      '#### Группа 2',
      '',
      '**Индивидуальные заметки:**',
      '',
      '*Идеи:*',
      '',
      '- Педагогический квест — Иванова Мария',
      '',
      '#### Общая доска',
      '',
      '**Отобранные идеи:**',
      '',
      '- Школа молодого учителя (+1) — Борисов Игорь, Группа 1',
      '',
    ]);
  });

  it('gives each prototype card with its fields and forms of work', () => {
    expect(section(md, '### Прототипирование')).toEqual([
      '### Прототипирование',
      '',
      '#### Группа 1',
      '',
      '**Карточки мини-проектов:**',
      '',
      '**Школа молодого учителя**',
      '',
      '- **Руководитель:** Ахметова Дана',
      '- **Цель:** Поддержать учителей первых трёх лет',
      '- **Целевая аудитория:** Молодые учителя',
      '- **Формы работы:** TED-конференция, Аквариум, Другое: Педагогическая мастерская',
      '- **Показатели результата:** 80% молодых учителей дают открытый урок',
      '',
      '#### Группа 2',
      '',
      'Заметок нет.',
      '',
      '#### Общая доска',
      '',
      '**Карточки мини-проектов:**',
      '',
      '**Школа молодого учителя** (Группа 1)',
      '',
      '- **Руководитель:** Ахметова Дана',
      '- **Цель:** Поддержать учителей первых трёх лет',
      '- **Целевая аудитория:** Молодые учителя',
      '- **Формы работы:** TED-конференция, Аквариум, Другое: Педагогическая мастерская',
      '- **Показатели результата:** 80% молодых учителей дают открытый урок',
      '',
    ]);
  });

  it('groups the feedback under the prototype it answers, by the grid’s areas', () => {
    expect(section(md, '### Тестирование')).toEqual([
      '### Тестирование',
      '',
      '#### Группа 1',
      '',
      '**Что если:**',
      '',
      '- Прогноз: 10 открытых уроков за год — Ахметова Дана',
      '',
      '#### Обратная связь по прототипу «Школа молодого учителя» (Группа 1)',
      '',
      '**Нравится:**',
      '',
      '- Понятная цель — Иванова Мария, Группа 2',
      '',
      '**Хотелось бы:**',
      '',
      '- Добавить взаимопосещения — Ким Сергей, Группа 2',
      '',
      '**Вопросы:**',
      '',
      '- Сколько это займёт часов? — Ким Сергей, Группа 2',
      '',
    ]);
  });

  it('keeps the closing reflection anonymous', () => {
    const closing = section(md, '### Рефлексия и итоги');
    expect(closing).toContain('*Полезно:*');
    expect(closing).toContain('- Полезно: карта эмпатии');
    expect(md).not.toContain('Полезно: карта эмпатии —');
  });
});

describe('minutes of a design-thinking sprint, in Kazakh and English', () => {
  it('labels areas, cards, clusters and feedback in Kazakh', () => {
    const lines = linesOf(dtMarkdown('kk'));
    for (const area of ['**Айтады:**', '**Ойлайды:**', '**Істейді:**', '**Сезінеді:**', '**Іріктелген идеялар:**', '**Ұнайды:**', '**Қалар едім:**', '**Сұрақтар:**', '**Егер...**']) {
      expect(lines).toContain(area);
    }
    expect(lines).toContain('**1-топ:** Ахметова Дана, Борисов Игорь (Спикер: Ахметова Дана; Уақыт сақшысы: Борисов Игорь)');
    expect(lines).toContain('- «Усталость» кластері:');
    expect(lines).toContain('#### Ортақ тақта');
    expect(lines).toContain('**Мини-жоба карточкалары:**');
    expect(lines).toContain('- **Жетекші:** Ахметова Дана');
    expect(lines).toContain('- **Жұмыс формалары:** TED-конференция, Аквариум, Басқа: Педагогическая мастерская');
    expect(lines).toContain('- **Нәтиже көрсеткіштері:** 80% молодых учителей дают открытый урок');
    expect(lines).toContain('#### «Школа молодого учителя» прототипі бойынша кері байланыс (1-топ)');
    expect(lines).toContain('- Понятная цель — Иванова Мария, 2-топ');
  });

  it('labels areas, cards, clusters and feedback in English', () => {
    const lines = linesOf(dtMarkdown('en'));
    for (const area of ['**Says:**', '**Thinks:**', '**Does:**', '**Feels:**', '**Shortlist:**', '**I like:**', '**I wish:**', '**What if:**', '**Questions:**']) {
      expect(lines).toContain(area);
    }
    expect(lines).toContain('**Group 1:** Ахметова Дана, Борисов Игорь (Speaker: Ахметова Дана; Timekeeper: Борисов Игорь)');
    expect(lines).toContain('- Cluster «Усталость»:');
    expect(lines).toContain('#### Plenary board');
    expect(lines).toContain('- Школа молодого учителя (+1) — Борисов Игорь, Group 1');
    expect(lines).toContain('- **Forms of work:** TED-style conference, Fishbowl, Other: Педагогическая мастерская');
    expect(lines).toContain('- **Audience:** Молодые учителя');
    expect(lines).toContain('#### Feedback on the prototype «Школа молодого учителя» (Group 1)');
  });
});

describe('minutes of a design-thinking sprint, the model', () => {
  const m = buildMinutes(dtInput('en'));
  const stage = (id: string) => m.proceedings.find((s) => s.stageId === id)!;

  it('records a revealed private note once, on the group board', () => {
    const ideation = stage('s4');
    const g1 = ideation.groups.find((g) => g.label === 'Group 1')!;
    expect(g1.personal).toEqual([]);
    expect(g1.shared.map((a) => a.key)).toEqual(['ideas', 'shortlist']);
    expect(g1.shared[1]!.items).toEqual([
      { kind: 'note', note: { text: 'Школа молодого учителя', author: 'Борисов Игорь', individual: false, plus: 3, group: null } },
    ]);
  });

  it('keeps a prototype’s forms in the checklist’s order and its feedback apart from the groups’ notes', () => {
    expect(stage('s5').groups[0]!.cards[0]!.forms).toEqual(['TED-style conference', 'Fishbowl']);
    const test = stage('s6');
    expect(test.groups.map((g) => g.label)).toEqual(['Group 1']);
    expect(test.feedback).toHaveLength(1);
    expect(test.feedback[0]!.areas.map((a) => [a.label, a.items.length])).toEqual([
      ['I like', 1],
      ['I wish', 1],
      ['Questions', 1],
    ]);
  });

  it('hears feedback on a published copy, and a published feedback note once, under the group’s card', () => {
    const boards = dtBoards();
    const g2 = new Y.Doc();
    const plenary = new Y.Doc();
    seq = 500;
    const mine = put(g2, 'p3', 's6', 'Ясные показатели', { area: 'like', subject: 'card1' });
    publishInto(plenary, g2, [mine], 'g2');
    put(plenary, 'p4', 's6', 'А если онлайн?', { area: 'whatIf', subject: publishedId('g1', 'card1') });
    const extra = [board('g-g2', g2), board('plenary', plenary)];
    const merged = boards.map((b) => {
      const more = extra.find((x) => x.boardId === b.boardId);
      return more ? { ...b, notes: [...b.notes, ...more.notes], cards: [...(b.cards ?? []), ...(more.cards ?? [])] } : b;
    });
    const test = buildMinutes(dtInput('en', merged)).proceedings.find((st) => st.stageId === 's6')!;
    expect(test.feedback).toHaveLength(1);
    const texts = test.feedback[0]!.areas.flatMap((a) => a.items.map((i) => (i.kind === 'note' ? i.note.text : '')));
    expect(texts).toEqual(['Понятная цель', 'Ясные показатели', 'Добавить взаимопосещения', 'А если онлайн?', 'Сколько это займёт часов?']);
    expect(test.plenary).toBeNull();
  });

  it('leaves out feedback on a card that no longer exists from the feedback, keeping the note', () => {
    const boards = dtBoards().map((b) => (b.boardId === 'g-g1' ? { ...b, cards: [] } : b));
    const m2 = buildMinutes(dtInput('en', boards));
    const test = m2.proceedings.find((s) => s.stageId === 's6')!;
    expect(test.feedback).toEqual([]);
    expect(test.groups.map((g) => g.label)).toEqual(['Group 1', 'Group 2']);
  });

  it('hides every author, plenary ones included, when the stage says so', () => {
    const state = apply(dtSession('en'), { type: 'stage.settings', index: 3, showAuthors: false }, T0);
    const md = renderMinutesMarkdown(buildMinutes({ ...dtInput('en'), state }));
    const ideation = section(md, '### Ideation');
    expect(ideation).toContain('- Школа молодого учителя (+3)');
    expect(ideation).toContain('- Школа молодого учителя (+1) — Group 1');
    expect(ideation.join('\n')).not.toMatch(/Борисов|Ахметова|Иванова/);
  });

  it('keeps hostile card titles and cluster names inert', () => {
    const doc = new Y.Doc();
    seq = 0;
    const a = put(doc, 'p1', 's2', 'a', { area: 'feels' });
    const b = put(doc, 'p2', 's2', 'b', { area: 'feels' });
    createCluster(doc, { id: 'c9', name: 'x\n## injected | cell', area: 'feels', stageId: 's2', createdAt: T0 }, [a, b]);
    addCard(doc, { ...EMPTY_CARD, id: 'k', stageId: 's5', authorId: 'p1', authorName: '', createdAt: T0, fromNote: null, title: '# title\n## more', goal: '> quote' });
    const md = renderMinutesMarkdown(buildMinutes(dtInput('en', [board('g-g1', doc)])));
    expect(linesOf(md).filter((l) => /^#{1,6} /.test(l)).some((l) => /injected|title|more/.test(l))).toBe(false);
    expect(linesOf(md)).toContain('- Cluster «x ## injected \\| cell»:');
    expect(linesOf(md)).toContain('**\\# title ## more**');
    expect(linesOf(md)).toContain('- **Goal:** \\> quote');
  });
});
