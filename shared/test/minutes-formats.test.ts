import { describe, expect, it } from 'vitest';
import {
  applyCommand,
  buildBallot,
  buildMinutes,
  createSessionState,
  fitColumns,
  minutesOutline,
  renderMinutesHtml,
  renderMinutesMarkdown,
  selfRatingBallot,
  tallyBallot,
  type AnswerRecord,
  type Allocation,
  type Command,
  type Locale,
  type MinutesBoard,
  type NoteView,
  type OutlineBlock,
  type Participant,
  type SessionState,
} from '../src/index.js';
import { translateSpans } from '../src/minutes/spans.js';
import { FACILITATOR, MIN } from './helpers.js';

/** 12 March 2025, 09:00 in Aqtobe. */
const T0 = Date.UTC(2025, 2, 12, 4, 0);
const ZONE = 'Asia/Aqtobe';

const PEOPLE: Participant[] = [
  { id: 'p1', name: 'Әсел Қасымова', groupId: 'g1', joinedAt: T0 },
  { id: 'p2', name: 'Ұлан Үмбетов', groupId: 'g1', joinedAt: T0 },
  { id: 'p3', name: 'Іңкәр Ғабитқызы', groupId: 'g2', joinedAt: T0 },
  { id: 'p4', name: 'Һиба Өмірова', groupId: 'g2', joinedAt: T0 },
];

function apply(state: SessionState, cmd: Command, now = T0, ballots: Allocation[] = []): SessionState {
  const r = applyCommand(state, cmd, FACILITATOR, { now, ballots: () => ballots, present: () => [] });
  if (!r.ok) throw new Error(`${cmd.type}: ${r.error}`);
  return r.state;
}

/** A case-method session walked to its reflection stage, vote revealed and decision recorded. */
function session(locale: Locale, protocol: Partial<SessionState['protocol']> = {}): SessionState {
  let s = createSessionState({ id: 's1', code: 'K7M2QX', title: 'Критерии успеха', facilitator: 'Сапарова Айгерим', locale, template: 'case-method', now: T0 });
  s = apply(s, { type: 'groups.split', count: 2 });
  for (let i = 1; i <= 7; i++) s = apply(s, { type: 'stage.go', index: i }, T0 + i * 10 * MIN);
  s = apply(s, { type: 'group.solution', groupId: 'g1', text: 'Критерии на каждом уроке' });
  s = apply(s, { type: 'group.solution', groupId: 'g2', text: 'Взаимопосещения' });
  s = apply(s, { type: 'vote.open' });
  s = apply(s, { type: 'vote.reveal' }, T0, [{ g1: 2, g2: 1 }, { g1: 3 }, { g2: 1 }]);
  s = apply(s, { type: 'decision.record', optionId: 'g1', title: 'Критерии на каждом уроке', reason: 'Больше голосов' });
  return Object.keys(protocol).length > 0 ? apply(s, { type: 'protocol.edit', protocol }) : s;
}

/** The self-rating questionnaire with four teachers' answers, revealed. */
function withSelfRating(s: SessionState): SessionState {
  const def = { ...buildBallot(selfRatingBallot(s.locale), 'self-rating'), status: 'revealed' as const };
  const grades: Record<string, number>[] = [
    { planning: 5, afl: 3 },
    { planning: 4, afl: 2 },
    { planning: 4, afl: 3 },
    { planning: 3 },
  ];
  const records: AnswerRecord[] = grades.map((ratings, i) => ({ voter: `v${i}`, answer: { kind: 'rating', ratings } }));
  return { ...s, ballots: [{ ...def, results: tallyBallot(def, records) }] };
}

let seq = 0;
function note(authorId: string, stageId: string, text: string, extra: Partial<NoteView> = {}): NoteView {
  seq++;
  const name = PEOPLE.find((p) => p.id === authorId)!.name;
  return { id: `n${seq}`, text, color: 'yellow', authorId, authorName: name, stageId, createdAt: T0 + seq, area: '', clusterId: null, reactions: [], x: 0, y: 0, fromGroup: null, subject: null, ...extra };
}

function minutes(state: SessionState, boards: MinutesBoard[] = []) {
  return buildMinutes({ state, participants: PEOPLE, boards, generatedAt: T0 + 90 * MIN, timeZone: ZONE });
}

const PROTOCOL = {
  organisation: 'Школа-гимназия № 5',
  place: 'Актобе, методический кабинет',
  number: 'МС-12',
  summary: '  Учителя разобрали кейс.\n\nПредложены два решения.  ',
  decisions: ['Ввести критерии успеха на каждом уроке.', '   ', 'Составить график взаимопосещений.'],
};

describe('the protocol’s particulars in the minutes model', () => {
  it('carries the organisation, place, number, summary and decisions as entered, blanks dropped', () => {
    const m = minutes(session('ru', PROTOCOL));
    expect(m.particulars).toEqual({ organisation: 'Школа-гимназия № 5', place: 'Актобе, методический кабинет', number: 'МС-12' });
    expect(m.summary).toBe('Учителя разобрали кейс.\n\nПредложены два решения.');
    expect(m.decisions).toEqual(['Ввести критерии успеха на каждом уроке.', 'Составить график взаимопосещений.']);
    expect(m.decision).toEqual({ title: 'Критерии на каждом уроке', reason: 'Больше голосов' });
  });

  it('is empty for a session whose protocol was never edited', () => {
    const m = minutes(session('en'));
    expect(m.particulars).toEqual({ organisation: '', place: '', number: '' });
    expect(m.summary).toBe('');
    expect(m.decisions).toEqual([]);
  });
});

describe('the reflection summary', () => {
  const boards = (): MinutesBoard[] => [
    { boardId: 'g-g1', notes: [note('p1', 's8', 'Было полезно', { area: 'useful', reactions: ['p2', 'p3'] }), note('p1', 's4', 'Не рефлексия')] },
    { boardId: 'p-p3', notes: [note('p3', 's8', 'Мало времени', { area: 'difficult' }), note('p3', 's8', '   ', { area: 'useful' })] },
  ];

  it('aggregates the self-rating per criterion, in the questionnaire’s order, with no voter in it', () => {
    const r = minutes(withSelfRating(session('ru')), boards()).reflection!;
    expect(r.selfRatings).toHaveLength(1);
    const rating = r.selfRatings[0]!;
    expect(rating.scale).toEqual({ min: 1, max: 5 });
    expect(rating.voters).toBe(4);
    expect(rating.rows.slice(0, 2)).toEqual([
      { criterion: 'Планирование урока', n: 4, mean: 4, median: 4 },
      { criterion: 'Оценивание для обучения', n: 3, mean: 8 / 3, median: 3 },
    ]);
    expect(JSON.stringify(r)).not.toMatch(/"v\d"/);
  });

  it('lists the reflection notes by area without any author, even when the stage shows authors', () => {
    const shown = apply(session('ru'), { type: 'stage.settings', index: 7, showAuthors: true });
    const r = minutes(shown, boards()).reflection!;
    expect(r.notes.map((a) => [a.label, a.items.map((i) => (i.kind === 'note' ? [i.note.text, i.note.author, i.note.group, i.note.plus] : null))])).toEqual([
      ['Полезно', [['Было полезно', null, null, 2]]],
      ['Трудно', [['Мало времени', null, null, 0]]],
    ]);
    const md = renderMinutesMarkdown(minutes(shown, boards()));
    // The proceedings name the author, as the stage asked; the summary does not.
    expect(md).toContain('- Было полезно (+2) — Әсел Қасымова');
    const section = md.slice(md.indexOf('## Итоги рефлексии'), md.indexOf('## ПОСТАНОВИЛИ'));
    expect(section).toContain('- Было полезно (+2)');
    for (const p of PEOPLE) expect(section).not.toContain(p.name);
  });

  it('counts a revealed private note once, though it sits on the group board too', () => {
    const copy = note('p1', 's8', 'Одна мысль', { area: 'useful' });
    const r = minutes(session('ru'), [
      { boardId: 'p-p1', notes: [copy] },
      { boardId: 'g-g1', notes: [{ ...copy }] },
    ]).reflection!;
    expect(r.notes.flatMap((a) => a.items)).toHaveLength(1);
  });

  it('is absent when the session had no reflection stage with a board and no self-rating', () => {
    let s = createSessionState({ id: 's', code: 'ABCDEF', title: 'T', locale: 'en', template: 'delphi', now: T0 });
    s = apply(s, { type: 'stage.go', index: 1 }, T0 + MIN);
    expect(minutes(s).reflection).toBeNull();
    expect(renderMinutesMarkdown(minutes(s))).not.toContain('Reflection summary');
    expect(minutes(withSelfRating(s)).reflection?.selfRatings).toHaveLength(1);
  });

  it('says so when reflection was held but nothing was written', () => {
    const lines = renderMinutesMarkdown(minutes(session('en'))).split('\n');
    expect(lines).toContain('## Reflection summary');
    expect(lines).toContain('No reflection was recorded.');
  });
});

describe('the outline every format walks', () => {
  const blocks = minutesOutline(minutes(withSelfRating(session('kk', PROTOCOL)))).blocks;
  const headings = blocks.filter((b): b is Extract<OutlineBlock, { kind: 'heading' }> => b.kind === 'heading' && b.level === 2);
  const text = (spans: { text: string }[]) => spans.map((s) => s.text).join('');

  it('opens with the organisation, the numbered heading and the subtitle, the place after the date', () => {
    expect(blocks[0]).toMatchObject({ kind: 'title', organisation: [{ text: PROTOCOL.organisation, user: true }] });
    const title = blocks[0] as Extract<OutlineBlock, { kind: 'title' }>;
    expect(text(title.heading)).toBe('Хаттама № МС-12');
    expect(title.heading.find((s) => s.user)?.text).toBe('МС-12');
    const fields = blocks[1] as Extract<OutlineBlock, { kind: 'fields' }>;
    expect(fields.items.map((f) => text(f.label))).toEqual(['Күні', 'Өткізілген орны', 'Бөлме коды', 'Әдіс', 'Әдіскер']);
  });

  it('orders the sections as a council files them, decisions last before the signature', () => {
    expect(headings.map((h) => text(h.text))).toEqual([
      'Күн тәртібі',
      'Жұмыс барысы',
      'Топтардың шешімдері',
      'Дауыс беру қорытындысы',
      'Дауыс беру және бағалау',
      'Рефлексия қорытындысы',
      'Қысқаша қорытынды',
      'ШЕШТІ',
    ]);
    expect(headings.filter((h) => h.pageBreak).map((h) => text(h.text))).toEqual(['Жұмыс барысы', 'Топтардың шешімдері']);
    expect(blocks.at(-2)).toEqual({
      kind: 'list',
      ordered: true,
      items: [{ text: [{ text: PROTOCOL.decisions[0], user: true }] }, { text: [{ text: PROTOCOL.decisions[2], user: true }] }],
    });
    expect(blocks.at(-1)?.kind).toBe('signature');
  });

  it('charts the vote and the self-rating with their figures', () => {
    const charts = blocks.filter((b): b is Extract<OutlineBlock, { kind: 'bars' }> => b.kind === 'bars');
    expect(charts[0]).toMatchObject({ caption: 'Дауыс беру қорытындысы', max: 5 });
    expect(charts[0]!.bars.map((b) => [text(b.label), b.value, b.display])).toEqual([
      ['Критерии на каждом уроке (1-топ)', 5, '5 (71%)'],
      ['Взаимопосещения (2-топ)', 2, '2 (29%)'],
    ]);
    const selfRating = charts.filter((c) => c.max === 5 && c.caption.startsWith('Өзін-өзі бағалау'));
    expect(selfRating.length).toBeGreaterThan(0);
    expect(selfRating.at(-1)!.bars.slice(0, 2).map((b) => [text(b.label), b.value, b.display])).toEqual([
      ['Сабақты жоспарлау', 4, '4,00'],
      ['Оқыту үшін бағалау', 8 / 3, '2,67'],
    ]);
  });

  it('falls back to the decision recorded after the vote when the protocol lists none', () => {
    const md = renderMinutesMarkdown(minutes(session('ru', { ...PROTOCOL, decisions: [] })));
    expect(md.slice(md.indexOf('## ПОСТАНОВИЛИ'))).toBe(
      '## ПОСТАНОВИЛИ\n\nКритерии на каждом уроке\n\n**Обоснование:** Больше голосов\n\nМетодист: ____________ Сапарова Айгерим\n',
    );
  });
});

describe('the Markdown protocol', () => {
  const md = renderMinutesMarkdown(minutes(session('ru', { ...PROTOCOL, decisions: ['# не заголовок', '| не таблица |'] })));
  const lines = md.split('\n');

  it('heads the protocol with the organisation and its number, and gives the place', () => {
    expect(lines.slice(0, 6)).toEqual(['**Школа-гимназия № 5**', '', '# Протокол № МС-12', '', 'методической сессии «Критерии успеха»', '']);
    expect(lines).toContain('- **Место проведения:** Актобе, методический кабинет');
  });

  it('gives the summary paragraph by paragraph and the decisions as a numbered list, made inert', () => {
    const summary = lines.slice(lines.indexOf('## Краткие итоги'), lines.indexOf('## ПОСТАНОВИЛИ'));
    expect(summary).toEqual(['## Краткие итоги', '', 'Учителя разобрали кейс.', '', 'Предложены два решения.', '']);
    expect(lines.slice(lines.indexOf('## ПОСТАНОВИЛИ'), lines.indexOf('## ПОСТАНОВИЛИ') + 4)).toEqual([
      '## ПОСТАНОВИЛИ',
      '',
      '1. \\# не заголовок',
      '2. \\| не таблица \\|',
    ]);
  });
});

describe('the HTML protocol', () => {
  const HOSTILE = '<img src=x onerror="alert(1)">';
  function hostile(): string {
    let s = session('en', { organisation: `Org ${HOSTILE}`, place: `Place ${HOSTILE}`, number: `<b>7</b>`, summary: HOSTILE, decisions: [HOSTILE] });
    s = apply(s, { type: 'group.rename', groupId: 'g1', name: `Group ${HOSTILE}` });
    s = { ...s, title: `Title ${HOSTILE}`, facilitator: `"Quoted" & <i>` };
    return renderMinutesHtml(minutes(s, [{ boardId: 'g-g1', notes: [note('p1', 's4', `Note ${HOSTILE}`)] }]));
  }
  const html = hostile();

  it('is a standalone page in the session’s language, set for A4 printing', () => {
    expect(html.startsWith('<!doctype html>\n<html lang="en-GB">')).toBe(true);
    expect(renderMinutesHtml(minutes(session('kk')))).toContain('<html lang="kk-KZ">');
    expect(renderMinutesHtml(minutes(session('ru')))).toContain('<html lang="ru-RU">');
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('@page { size: A4;');
    expect(html).toMatch(/@media print \{.*\.page-break \{ break-before: page; \} \}/);
    expect(html).not.toMatch(/<script|<link|src="http/i);
  });

  it('escapes every piece of typed text, in content and in the chart alike', () => {
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>7</b>');
    expect(html).not.toContain('<i>');
    expect(html).toContain('<title>Minutes No. &lt;b&gt;7&lt;/b&gt; — Title &lt;img src=x onerror=&quot;alert(1)&quot;&gt;</title>');
    expect(html).toContain('<p class="org">Org &lt;img src=x onerror=&quot;alert(1)&quot;&gt;</p>');
    expect(html).toContain('<li>Note &lt;img src=x onerror=&quot;alert(1)&quot;&gt; — Әсел Қасымова</li>');
    expect(html).toContain('&quot;Quoted&quot; &amp; &lt;i&gt;');
    // The vote chart's label for the renamed group, wrapped over lines but escaped on each.
    const chart = html.slice(html.indexOf('<svg'), html.indexOf('</svg>'));
    expect(chart).toContain('&lt;img');
    expect(chart).not.toContain('<img');
  });

  it('sets tables with right-aligned figures and charts with readable text labels', () => {
    const clean = renderMinutesHtml(minutes(session('en')));
    expect(clean).toContain('<th scope="col" class="num">Planned, min</th>');
    expect(clean).toContain('<td class="num">25</td>');
    expect(clean).toMatch(/<svg [^>]*role="img" aria-labelledby="chart-1">\n<title id="chart-1">Chart: Vote results<\/title>/);
    expect(clean).toContain('>Критерии на каждом уроке (Group 1)</tspan>');
    expect(clean).toMatch(/<text class="value" x="\d+" y="[\d.]+">5 \(71%\)<\/text>/);
    expect(clean).toContain('<h2 class="page-break">Proceedings</h2>');
  });
});

describe('catalogue text with typed parameters', () => {
  it('marks the typed part as the user’s and leaves an unknown placeholder as it is', () => {
    expect(translateSpans('ru', 'minutes.subtitle', { title: { text: '<T>', user: true } })).toEqual([
      { text: 'методической сессии «' },
      { text: '<T>', user: true },
      { text: '»' },
    ]);
    expect(translateSpans('en', 'minutes.vote.summary', { voters: 3 })).toEqual([{ text: 'Voters: ' }, { text: '3' }, { text: '; votes cast: {dots}.' }]);
  });
});

describe('table column widths for the paged formats', () => {
  const sum = (xs: number[]) => xs.reduce((a, x) => a + x, 0);

  it('gives text columns the room to spare when everything fits', () => {
    const widths = fitColumns(
      [
        { natural: 20, minimum: 20, numeric: true },
        { natural: 100, minimum: 60, numeric: false },
        { natural: 50, minimum: 40, numeric: false },
      ],
      500,
    );
    expect(widths[0]).toBe(20);
    expect(widths[1]! / widths[2]!).toBeCloseTo(2);
    expect(sum(widths)).toBeCloseTo(500);
  });

  it('shrinks number columns to their minimum and lets a short text column keep its width before a long one', () => {
    const widths = fitColumns(
      [
        { natural: 60, minimum: 30, numeric: true },
        { natural: 80, minimum: 50, numeric: false },
        { natural: 900, minimum: 70, numeric: false },
      ],
      400,
    );
    expect(widths).toEqual([30, 80, 290]);
  });

  it('always fills exactly the width it is given', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ natural: 80 + i, minimum: 50, numeric: i % 2 === 0 }));
    expect(sum(fitColumns(many, 450))).toBeCloseTo(450);
    expect(sum(fitColumns([{ natural: 10, minimum: 10, numeric: true }], 300))).toBeCloseTo(300);
  });
});
