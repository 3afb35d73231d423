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
