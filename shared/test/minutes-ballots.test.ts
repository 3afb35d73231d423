import { describe, expect, it } from 'vitest';
import {
  buildBallot,
  buildMinutes,
  createSessionState,
  renderMinutesMarkdown,
  tallyBallot,
  type AnswerRecord,
  type BallotAnswer,
  type BallotDef,
  type BallotSpec,
  type BallotStatus,
  type Locale,
  type SessionState,
} from '../src/index.js';

const T0 = Date.UTC(2025, 2, 12, 4, 0);
const NBSP = '\u00a0';

/** A ballot in the given status with its real tally (none for drafts and open ballots). */
function ballot(spec: BallotSpec, id: string, answers: BallotAnswer[], status: BallotStatus = 'revealed'): BallotDef {
  const def = { ...buildBallot(spec, id), status };
  const records: AnswerRecord[] = answers.map((answer, i) => ({ voter: `v${String(i).padStart(3, '0')}`, answer }));
  return { ...def, results: status === 'revealed' ? tallyBallot(def, records) : null };
}

const opts = (...labels: string[]) => labels.map((label, i) => ({ id: `o${i + 1}`, label }));

// Siegel & Castellan: 3 experts rank 8 objects; W = 0.656, χ² = 13.78, df = 7, p = 0.055.
const SIEGEL = [
  [5, 6, 7, 1, 2, 4, 3, 8],
  [1, 7, 6, 2, 3, 5, 4, 8],
  [4, 5, 1, 3, 2, 7, 6, 8],
];
const EIGHT = opts('А', 'Б', 'В', 'Г', 'Д', 'Е', 'Ж', 'З');
/** Each expert's ranks as an order, best first. */
const siegelOrders = SIEGEL.map((ranks) => ranks.map((r, j) => ({ r, id: EIGHT[j]!.id })).sort((a, b) => a.r - b.r).map((x) => x.id));

function ballots(): BallotDef[] {
  return [
    ballot({ kind: 'single', title: 'Формат встречи', options: opts('Очно', 'Онлайн', 'Смешанный') }, 'b1', [
      { kind: 'single', option: 'o1' },
      { kind: 'single', option: 'o1' },
      { kind: 'single', option: 'o2' },
      { kind: 'single', option: 'o3' },
    ]),
    ballot({ kind: 'dots', title: 'Приоритеты', options: opts('Наставничество', 'Открытые уроки', 'Чат'), dots: 2, privacy: 'named' }, 'b2', [
      { kind: 'dots', dots: { o1: 2 } },
      { kind: 'dots', dots: { o2: 1, o1: 1 } },
      { kind: 'dots', dots: { o2: 2 } },
    ]),
    ballot(
      { kind: 'ranking', title: 'Ранжирование методик', options: EIGHT, privacy: 'facilitator' },
      'b3',
      siegelOrders.map((order) => ({ kind: 'ranking', order })),
    ),
    ballot({ kind: 'rating', title: 'Полезность семинара', options: opts('Доклад', 'Практикум'), scale: { min: 1, max: 5 } }, 'b4', [
      { kind: 'rating', ratings: { o1: 4, o2: 5 } },
      { kind: 'rating', ratings: { o1: 3, o2: 5 } },
      { kind: 'rating', ratings: { o1: 5, o2: 4 } },
      { kind: 'rating', ratings: { o1: 4, o2: 5 } },
    ]),
    ballot(
      {
        kind: 'matrix',
        title: 'Экспертиза проектов',
        options: EIGHT,
        criteria: [
          { id: 'k1', label: 'Актуальность', weight: 2 },
          { id: 'k2', label: 'Реализуемость', weight: 1 },
        ],
        scale: { min: 1, max: 10 },
      },
      'b5',
      // Relevance is 9 − place and feasibility 5 throughout, so the weighted scores rank as Siegel's experts did.
      SIEGEL.map((ranks) => ({
        kind: 'matrix',
        scores: Object.fromEntries(EIGHT.map((o, j) => [o.id, { k1: 9 - ranks[j]!, k2: 5 }])),
      })),
    ),
    ballot(
      { kind: 'majority', title: 'Оценка идей', options: opts('Квест', 'Клуб'), scale: { min: 1, max: 3, labels: ['слабо', 'хорошо', 'отлично'] } },
      'b6',
      [
        { kind: 'majority', grades: { o1: 3, o2: 2 } },
        { kind: 'majority', grades: { o1: 3, o2: 1 } },
        { kind: 'majority', grades: { o1: 2, o2: 2 } },
      ],
    ),
    ballot({ kind: 'text', title: 'Что | мешает?', options: [] }, 'b7', [
      { kind: 'text', text: 'Нет времени *совсем*' },
      { kind: 'text', text: '# Отчёты\nи бумаги' },
    ]),
    ballot({ kind: 'single', title: 'Черновик', options: opts('Да', 'Нет') }, 'b8', [], 'draft'),
    ballot({ kind: 'single', title: 'Ещё идёт', options: opts('Да', 'Нет') }, 'b9', [], 'open'),
  ];
}

function state(locale: Locale, list: BallotDef[] = ballots()): SessionState {
  const s = createSessionState({
    id: 'sess1',
    code: 'K7M2QX',
    title: 'Экспертиза',
    facilitator: 'Сапарова Айгерим',
    locale,
    template: 'case-method',
    now: T0,
  });
  return { ...s, ballots: list };
}

const markdown = (locale: Locale, list?: BallotDef[]) =>
  renderMinutesMarkdown(buildMinutes({ state: state(locale, list), participants: [], boards: [], generatedAt: T0 }));

/** The lines of a `##` section, from its heading up to the next `##` heading. */
function section(md: string, heading: string): string[] {
  const lines = md.split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`no section ${heading}`);
  const end = lines.findIndex((l, i) => i > start && /^## /.test(l));
  return lines.slice(start, end < 0 ? undefined : end);
}

describe('ballots in the minutes, in Russian', () => {
  const md = markdown('ru');
  const lines = section(md, '## Голосования и оценки');
  const ballotLines = (title: string) => {
    const from = lines.indexOf(`### ${title}`);
    const to = lines.findIndex((l, i) => i > from && /^### /.test(l));
    return lines.slice(from, to < 0 ? undefined : to).filter((l) => l !== '');
  };

  it('lists every ballot past its draft, an open one as not revealed', () => {
    expect(lines.filter((l) => l.startsWith('### '))).toEqual([
      '### Формат встречи',
      '### Приоритеты',
      '### Ранжирование методик',
      '### Полезность семинара',
      '### Экспертиза проектов',
      '### Оценка идей',
      '### Что \\| мешает?',
      '### Ещё идёт',
    ]);
    expect(ballotLines('Ещё идёт')).toEqual(['### Ещё идёт', 'Выбор одного варианта; анонимно; раунд 1.', 'Результаты не объявлены.']);
    expect(md).not.toContain('Черновик');
  });

  it('gives a single choice as votes, shares and places', () => {
    expect(ballotLines('Формат встречи')).toEqual([
      '### Формат встречи',
      'Выбор одного варианта; анонимно; раунд 1.',
      'Ответили: 4.',
      '| Место | Вариант | Голоса | Доля |',
      '|---:|---|---:|---:|',
      `| 1 | Очно | 2 | 50${NBSP}% |`,
      `| 2 | Онлайн | 1 | 25${NBSP}% |`,
      `| 2 | Смешанный | 1 | 25${NBSP}% |`,
    ]);
  });

  it('gives a dot vote with its tie for first place', () => {
    expect(ballotLines('Приоритеты')).toEqual([
      '### Приоритеты',
      'Голосование точками; открыто, с именами; раунд 1.',
      'Ответили: 3; отдано точек: 6.',
      '| Место | Вариант | Точки | Доля |',
      '|---:|---|---:|---:|',
      `| 1 | Наставничество | 3 | 50${NBSP}% |`,
      `| 1 | Открытые уроки | 3 | 50${NBSP}% |`,
      `| 3 | Чат | 0 | 0${NBSP}% |`,
      'Равенство на первом месте: Наставничество, Открытые уроки.',
    ]);
  });

  it('gives a ranking by Borda points and rank sums, with Kendall’s W of the Siegel–Castellan example', () => {
    expect(ballotLines('Ранжирование методик')).toEqual([
      '### Ранжирование методик',
      'Ранжирование; имена видит только ведущий; раунд 1.',
      'Ответили: 3.',
      '| Место | Вариант | Баллы Борда | Сумма рангов | Средний ранг |',
      '|---:|---|---:|---:|---:|',
      '| 1 | Г | 18 | 6 | 2,00 |',
      '| 2 | Д | 17 | 7 | 2,33 |',
      '| 3 | А | 14 | 10 | 3,33 |',
      '| 4 | Ж | 11 | 13 | 4,33 |',
      '| 5 | В | 10 | 14 | 4,67 |',
      '| 6 | Е | 8 | 16 | 5,33 |',
      '| 7 | Б | 6 | 18 | 6,00 |',
      '| 8 | З | 0 | 24 | 8,00 |',
      '**Коэффициент конкордации Кендалла W:** W = 0,656 (χ² = 13,78; df = 7; p = 0,055) — средняя согласованность',
      'Экспертов в расчёте W: 3; наиболее далеки от общего мнения: 1.',
    ]);
  });

  it('gives a rating scale with mean, median, quartiles, σ and V with its band', () => {
    expect(ballotLines('Полезность семинара')).toEqual([
      '### Полезность семинара',
      'Оценка по шкале; анонимно; раунд 1.',
      'Ответили: 4.',
      '| Место | Вариант | n | Среднее | Медиана | Q1–Q3 | IQR | σ | V, % | Согласованность |',
      '|---:|---|---:|---:|---:|---:|---:|---:|---:|---|',
      '| 1 | Практикум | 4 | 4,75 | 5,00 | 4,75–5,00 | 0,25 | 0,43 | 9,1 | высокая согласованность мнений |',
      '| 2 | Доклад | 4 | 4,00 | 4,00 | 3,75–4,25 | 0,50 | 0,71 | 17,7 | средняя согласованность мнений |',
      '**Коэффициент конкордации Кендалла W:** W = 0,250 (χ² = 1,00; df = 1; p = 0,317) — низкая согласованность',
      'Экспертов в расчёте W: 4; наиболее далеки от общего мнения: 1.',
    ]);
  });

  it('gives a rating matrix with weighted criteria, per-object scores and W = 0,656', () => {
    const matrix = ballotLines('Экспертиза проектов');
    expect(matrix.slice(0, 7)).toEqual([
      '### Экспертиза проектов',
      'Экспертная матрица оценок; анонимно; раунд 1.',
      'Ответили: 3.',
      '| Критерий | Вес | Среднее |',
      '|---|---:|---:|',
      '| Актуальность | 2 | 4,50 |',
      '| Реализуемость | 1 | 5,00 |',
    ]);
    expect(matrix).toContain('| Место | Объект | Взвешенная оценка | n | Медиана | Q1–Q3 | IQR | σ | V, % | Согласованность |');
    expect(matrix).toContain('| 1 | Г | 6,33 | 3 | 6,33 | 6,00–6,67 | 0,67 | 0,54 | 8,6 | высокая согласованность мнений |');
    expect(matrix).toContain('| 8 | З | 2,33 | 3 | 2,33 | 2,33–2,33 | 0,00 | 0,00 | 0,0 | высокая согласованность мнений |');
    expect(matrix.slice(-2)).toEqual([
      '**Коэффициент конкордации Кендалла W:** W = 0,656 (χ² = 13,78; df = 7; p = 0,055) — средняя согласованность',
      'Экспертов в расчёте W: 3; наиболее далеки от общего мнения: 1.',
    ]);
  });

  it('gives majority judgement with the grade’s label and Fleiss’ κ', () => {
    expect(ballotLines('Оценка идей')).toEqual([
      '### Оценка идей',
      'Мажоритарное суждение; анонимно; раунд 1.',
      'Ответили: 3.',
      '| Место | Вариант | Мажоритарная оценка | Среднее |',
      '|---:|---|---|---:|',
      '| 1 | Квест | отлично (3) | 2,67 |',
      '| 2 | Клуб | хорошо (2) | 1,67 |',
      'Каппа Флейса: κ = -0,091',
    ]);
  });

  it('lists open answers without names, every one made inert', () => {
    expect(ballotLines('Что \\| мешает?')).toEqual([
      '### Что \\| мешает?',
      'Открытый вопрос; анонимно; раунд 1.',
      'Ответили: 2.',
      'Ответы (без имён):',
      '- Нет времени \\*совсем\\*',
      '- \\# Отчёты и бумаги',
    ]);
  });
});

describe('ballots in the minutes, in Kazakh and English', () => {
  it('writes the section in Kazakh', () => {
    const lines = section(markdown('kk'), '## Дауыс беру және бағалау');
    expect(lines).toContain('Ранжирлеу; есімдерді тек жүргізуші көреді; 1-раунд.');
    expect(lines).toContain('| Орны | Нұсқа | Борда ұпайлары | Рангтер қосындысы | Орташа ранг |');
    expect(lines).toContain('**Кендаллдың конкордация коэффициенті W:** W = 0,656 (χ² = 13,78; df = 7; p = 0,055) — орташа келісімділік');
    expect(lines).toContain('Нәтижелер жарияланбады.');
  });

  it('writes the section in English, with English numbers', () => {
    const lines = section(markdown('en'), '## Ballots');
    expect(lines).toContain('Ranking; named to the facilitator only; round 1.');
    expect(lines).toContain("**Kendall's coefficient of concordance W:** W = 0.656 (χ² = 13.78; df = 7; p = 0.055) — medium agreement");
    expect(lines).toContain('| 1 | Практикум | 4 | 4.75 | 5.00 | 4.75–5.00 | 0.25 | 0.43 | 9.1 | high consistency |');
    expect(lines).toContain('Tie for first place: Наставничество, Открытые уроки.');
    expect(lines).toContain('The results were not revealed.');
  });
});

describe('ballots in the minutes, privacy', () => {
  const NAMES = ['Ахметова Дана', 'Борисов Игорь'];

  it('never names who answered an anonymous ballot', () => {
    const def = { ...buildBallot({ kind: 'text', title: 'Отзыв', options: [] }, 'b1'), status: 'revealed' as const };
    // Even were the tally handed voter keys that are names, the minutes show only the answers.
    const records: AnswerRecord[] = [
      { voter: NAMES[0]!, answer: { kind: 'text', text: 'Было полезно' } },
      { voter: NAMES[1]!, answer: { kind: 'text', text: 'Мало практики' } },
    ];
    const revealed = { ...def, results: tallyBallot(def, records) };
    const participants = NAMES.map((name, i) => ({ id: `p${i}`, name, groupId: null, joinedAt: T0 }));
    const md = renderMinutesMarkdown(buildMinutes({ state: state('ru', [revealed]), participants, boards: [], generatedAt: T0 }));
    const lines = section(md, '## Голосования и оценки');
    expect(lines).toContain('Открытый вопрос; анонимно; раунд 1.');
    expect(lines).toContain('- Было полезно');
    expect(lines).toContain('- Мало практики');
    for (const name of NAMES) expect(lines.join('\n')).not.toContain(name);
  });

  it('says a closed ballot whose results stayed hidden was not revealed, and leaves the section out when no ballot ran', () => {
    const closed = { ...buildBallot({ kind: 'single', title: 'Скрыто', options: opts('Да', 'Нет') }, 'b1'), status: 'closed' as const };
    const lines = section(markdown('ru', [closed]), '## Голосования и оценки').filter((l) => l !== '');
    expect(lines).toEqual(['## Голосования и оценки', '### Скрыто', 'Выбор одного варианта; анонимно; раунд 1.', 'Результаты не объявлены.']);
    expect(markdown('ru', [])).not.toContain('## Голосования и оценки');
  });
});

describe('ballots in the minutes, expert competence', () => {
  it('says when the scores are weighted by the experts’ self-rated competence', () => {
    const spec = { kind: 'matrix' as const, title: 'Компетентность', options: opts('А', 'Б'), criteria: [{ id: 'k', label: 'К', weight: 1 }], scale: { min: 1, max: 5 }, competence: true };
    const def = { ...buildBallot(spec, 'b1'), status: 'revealed' as const };
    const records: AnswerRecord[] = [
      { voter: 'v1', answer: { kind: 'matrix', scores: { o1: { k: 5 }, o2: { k: 1 } }, competence: 9 } },
      { voter: 'v2', answer: { kind: 'matrix', scores: { o1: { k: 1 }, o2: { k: 5 } }, competence: 1 } },
    ];
    const revealed = { ...def, results: tallyBallot(def, records) };
    const lines = section(markdown('ru', [revealed]), '## Голосования и оценки');
    expect(lines).toContain('Оценки взвешены по самооценке компетентности экспертов (средняя компетентность 5,00).');
    expect(lines.some((l) => l.startsWith('| 1 | А | 4,60 |'))).toBe(true);
  });
});
