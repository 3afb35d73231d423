import { describe, expect, it } from 'vitest';
import {
  applyCommand,
  buildMinutes,
  builtinTemplate,
  countsOf,
  createSessionFromTemplate,
  createSessionState,
  expertKey,
  expertLabel,
  expertProblem,
  interviewOf,
  minutesOutline,
  normalizeTags,
  renderMinutesMarkdown,
  recordProblem,
  summarizeInterview,
  tagsProblem,
  templateFromState,
  type InterviewAnswer,
  type InterviewState,
  type SessionState,
} from '../src/index.js';
import { sessionTemplateSchema } from '../src/protocol/schemas.js';
import { deepFreeze, FACILITATOR, teacher } from './helpers.js';

const ctx = { now: 1_000 };

function session(): SessionState {
  return deepFreeze(createSessionState({ id: 's', code: 'ABC234', title: 'Интервью', locale: 'ru', template: 'expert-interview', now: 0 }));
}

/** Run facilitator commands one after another; each must be accepted. */
function run(state: SessionState, ...cmds: Parameters<typeof applyCommand>[1][]): SessionState {
  return cmds.reduce((s, cmd) => {
    const r = applyCommand(s, cmd, FACILITATOR, ctx);
    if (!r.ok) throw new Error(`${cmd.type}: ${r.error}`);
    return deepFreeze(r.state);
  }, state);
}

/** Three questions, three themes, open. */
function guided(): SessionState {
  return run(
    session(),
    {
      type: 'interview.guide',
      questions: [
        { text: '  Что мешает наставничеству?  ', followUps: ['Приведите пример', '  '] },
        { text: 'Какие ресурсы нужны?' },
        { text: 'Что бы вы изменили?' },
      ],
    },
    { type: 'interview.themes', themes: [{ label: 'Время' }, { label: 'Ресурсы' }, { label: 'Мотивация' }] },
    { type: 'interview.settings', open: true },
  );
}

let clock = 0;
function answer(questionId: string, expert: string, themes: string[], extra: Partial<InterviewAnswer> = {}): InterviewAnswer {
  const at = ++clock;
  return {
    questionId,
    expert,
    participantId: expert.startsWith('p:') ? expert.slice(2) : null,
    name: expert.slice(2),
    text: `${expert} → ${questionId}`,
    themes,
    by: 'expert',
    createdAt: at,
    updatedAt: at,
    ...extra,
  };
}

describe('the interview guide and themes', () => {
  it('numbers new questions and themes, trims texts and drops blank follow-ups', () => {
    const i = interviewOf(guided());
    expect(i.questions).toEqual([
      { id: 'q1', text: 'Что мешает наставничеству?', followUps: ['Приведите пример'] },
      { id: 'q2', text: 'Какие ресурсы нужны?', followUps: [] },
      { id: 'q3', text: 'Что бы вы изменили?', followUps: [] },
    ]);
    expect(i.themes.map((t) => [t.id, t.label])).toEqual([
      ['t4', 'Время'],
      ['t5', 'Ресурсы'],
      ['t6', 'Мотивация'],
    ]);
    expect(i).toMatchObject({ open: true, named: false, shown: false });
  });

  it('keeps ids when questions are reordered, and never gives a removed question’s id to a new one', () => {
    const s = run(guided(), { type: 'interview.guide', questions: [{ id: 'q3', text: 'Что бы вы изменили?' }, { id: 'q1', text: 'Что мешает?' }, { text: 'Новый вопрос' }] });
    expect(interviewOf(s).questions.map((q) => q.id)).toEqual(['q3', 'q1', 'q7']);
  });

  it.each([
    ['a blank question', [{ text: '   ' }], 'bad_guide'],
    ['a question over 500 characters', [{ text: 'я'.repeat(501) }], 'bad_guide'],
    ['eleven follow-ups', [{ text: 'Вопрос', followUps: Array.from({ length: 11 }, (_, k) => `Уточнение ${k}`) }], 'bad_guide'],
    ['31 questions', Array.from({ length: 31 }, (_, k) => ({ text: `Вопрос ${k}` })), 'bad_guide'],
    ['an id the guide does not have', [{ id: 'q99', text: 'Вопрос' }], 'unknown_question'],
    ['one id twice', [{ id: 'q1', text: 'А' }, { id: 'q1', text: 'Б' }], 'unknown_question'],
  ])('refuses a guide with %s, leaving the state as it was', (_what, questions, code) => {
    const before = guided();
    expect(applyCommand(before, { type: 'interview.guide', questions }, FACILITATOR, ctx)).toEqual({ ok: false, error: code });
  });

  it.each([
    ['a blank label', [{ label: ' ' }], 'bad_themes'],
    ['the same label twice, whatever the case', [{ label: 'Время' }, { label: 'время' }], 'bad_themes'],
    ['a label over 100 characters', [{ label: 'ә'.repeat(101) }], 'bad_themes'],
    ['an id the list does not have', [{ id: 't1', label: 'Время' }], 'unknown_theme'],
  ])('refuses themes with %s', (_what, themes, code) => {
    expect(applyCommand(guided(), { type: 'interview.themes', themes }, FACILITATOR, ctx)).toEqual({ ok: false, error: code });
  });

  it('is the facilitator’s alone to edit', () => {
    const r = applyCommand(guided(), { type: 'interview.settings', shown: true }, teacher('p1', null), ctx);
    expect(r).toEqual({ ok: false, error: 'forbidden' });
  });

  it('travels in a template and starts a session with the same guide, closed', () => {
    const shown = run(guided(), { type: 'interview.settings', named: true, shown: true });
    const template = templateFromState(shown);
    expect(template.interview?.questions.map((q) => q.id)).toEqual(['q1', 'q2', 'q3']);
    const parsed = sessionTemplateSchema.parse(JSON.parse(JSON.stringify(template)));
    const fresh = createSessionFromTemplate(parsed, { id: 'x', code: 'XYZ234', title: 'Снова', now: 5 });
    expect(fresh.interview).toEqual({ ...interviewOf(shown), open: false, shown: false });
    // New questions in the new session go on numbering past the template's.
    const more = run(fresh, { type: 'interview.guide', questions: [...interviewOf(fresh).questions, { text: 'Ещё' }] });
    expect(interviewOf(more).questions.at(-1)?.id).toBe('q7');
    expect(builtinTemplate('expert-interview', 'kk').interview).toBeUndefined();
    const broken = { ...template, interview: { ...template.interview!, themes: [{ id: 't1', label: '' }] } };
    expect(sessionTemplateSchema.safeParse(broken).success).toBe(false);
  });
});

describe('answers and tags', () => {
  const i = (): InterviewState => interviewOf(guided());

  it('keys an expert by the teacher, or by the name whatever its case and spacing', () => {
    expect(expertKey({ participantId: 'p7' })).toBe('p:p7');
    expect(expertKey({ name: '  Айгуль   Бекова ' })).toBe(expertKey({ name: 'айгуль бекова' }));
    expect(expertProblem({ name: '   ' })).toBe('bad_expert');
    expect(expertProblem({ name: 'Қ'.repeat(61) })).toBe('bad_expert');
    expect(expertProblem({ name: 'Құралай' })).toBeNull();
  });

  it('takes an expert’s answer only while open; the interviewer records at any time', () => {
    const closed = { ...i(), open: false };
    expect(recordProblem(closed, 'q1', 'Ответ', 'expert')).toBe('interview_closed');
    expect(recordProblem(closed, 'q1', 'Ответ', 'interviewer')).toBeNull();
    expect(recordProblem(i(), 'q9', 'Ответ', 'interviewer')).toBe('unknown_question');
    expect(recordProblem(i(), 'q1', '  \n ', 'expert')).toBe('empty_answer');
    expect(recordProblem(i(), 'q1', 'я'.repeat(5001), 'expert')).toBe('answer_too_long');
    expect(recordProblem(i(), 'q1', ` ${'я'.repeat(5000)} `, 'expert')).toBeNull();
    expect(recordProblem(i(), 'q1', null, 'expert')).toBeNull();
  });

  it('takes tags of known themes only, each once and in the themes’ order', () => {
    expect(tagsProblem(i(), ['t5', 'q1'])).toBe('unknown_theme');
    expect(tagsProblem(i(), [])).toBeNull();
    expect(normalizeTags(i(), ['t6', 't4', 't6'])).toEqual(['t4', 't6']);
  });
});

describe('the summary table', () => {
  it('counts per question and theme the experts whose answer carries it, with the quotes behind each count', () => {
    clock = 0;
    const answers = [
      answer('q1', 'p:aigerim', ['t4', 't6']),
      answer('q1', 'n:бекова', ['t4'], { by: 'interviewer', name: 'Бекова' }),
      answer('q2', 'p:aigerim', ['t5']),
      answer('q1', 'p:daniyar', []),
      answer('q2', 'p:daniyar', ['t5', 't4']),
      answer('q3', 'n:бекова', ['t6'], { by: 'interviewer', name: 'Бекова' }),
    ];
    const s = summarizeInterview(interviewOf(guided()), answers);
    expect(s.experts.map((e) => [e.number, e.key])).toEqual([
      [1, 'p:aigerim'],
      [2, 'n:бекова'],
      [3, 'p:daniyar'],
    ]);
    expect(s.rows.map((r) => [r.questionId, r.answered, r.counts])).toEqual([
      ['q1', 3, { t4: 2, t5: 0, t6: 1 }],
      ['q2', 2, { t4: 1, t5: 2, t6: 0 }],
      ['q3', 1, { t4: 0, t5: 0, t6: 1 }],
    ]);
    expect(s.rows[0]!.quotes.t4).toEqual([
      { expert: 'p:aigerim', text: 'p:aigerim → q1' },
      { expert: 'n:бекова', text: 'n:бекова → q1' },
    ]);
    expect(s.rows[0]!.untagged).toEqual([{ expert: 'p:daniyar', text: 'p:daniyar → q1' }]);
    expect(s.themes).toEqual([
      { themeId: 't4', total: 3, experts: 3 },
      { themeId: 't5', total: 2, experts: 2 },
      { themeId: 't6', total: 2, experts: 2 },
    ]);
    // Who did not answer which question.
    expect(s.rows.map((r) => r.missing)).toEqual([[], ['n:бекова'], ['p:aigerim', 'p:daniyar']]);
  });

  it('leaves out answers to removed questions and tags of removed themes', () => {
    clock = 0;
    const trimmed = run(
      guided(),
      { type: 'interview.guide', questions: [{ id: 'q2', text: 'Какие ресурсы нужны?' }] },
      { type: 'interview.themes', themes: [{ id: 't5', label: 'Ресурсы' }] },
    );
    const s = summarizeInterview(interviewOf(trimmed), [answer('q1', 'p:a', ['t4']), answer('q2', 'p:b', ['t4', 't5']), answer('q2', 'p:c', ['t4'])]);
    expect(s.experts.map((e) => e.key)).toEqual(['p:b', 'p:c']);
    expect(s.rows).toEqual([
      {
        questionId: 'q2',
        answered: 2,
        counts: { t5: 1 },
        quotes: { t5: [{ expert: 'p:b', text: 'p:b → q2' }] },
        untagged: [{ expert: 'p:c', text: 'p:c → q2' }],
        missing: [],
      },
    ]);
    expect(s.themes).toEqual([{ themeId: 't5', total: 1, experts: 1 }]);
  });

  it('gives the projector counts without a name or a quote', () => {
    clock = 0;
    const s = summarizeInterview(interviewOf(guided()), [answer('q1', 'p:aigerim', ['t4'], { text: 'Секрет Айгерим' }), answer('q1', 'n:бекова', ['t4'], { name: 'Бекова' })]);
    const counts = countsOf(s);
    expect(counts).toEqual({
      experts: 2,
      rows: [
        { questionId: 'q1', answered: 2, counts: { t4: 2, t5: 0, t6: 0 } },
        { questionId: 'q2', answered: 0, counts: { t4: 0, t5: 0, t6: 0 } },
        { questionId: 'q3', answered: 0, counts: { t4: 0, t5: 0, t6: 0 } },
      ],
      totals: { t4: 2, t5: 0, t6: 0 },
    });
    expect(JSON.stringify(counts)).not.toMatch(/Секрет|Бекова|aigerim/);
  });

  it('is empty, not broken, before anyone answered', () => {
    const s = summarizeInterview(interviewOf(guided()), []);
    expect(s.experts).toEqual([]);
    expect(s.rows.every((r) => r.answered === 0 && r.missing.length === 0)).toBe(true);
    expect(s.themes.every((t) => t.total === 0)).toBe(true);
  });

  it('numbers experts by their first answer, and names them only when the interview is named', () => {
    clock = 0;
    const later = answer('q2', 'p:zhanna', []);
    const earlier = answer('q1', 'p:aibek', [], { createdAt: 0 });
    const s = summarizeInterview(interviewOf(guided()), [later, earlier]);
    expect(s.experts.map((e) => e.key)).toEqual(['p:aibek', 'p:zhanna']);
    expect(expertLabel(s.experts[0]!, false, 'ru')).toBe('Эксперт 1');
    expect(expertLabel(s.experts[1]!, false, 'kk')).toBe('2-сарапшы');
    expect(expertLabel(s.experts[1]!, true, 'en')).toBe('zhanna');
  });
});

describe('the interview in the minutes', () => {
  function minutes(state: SessionState, answers: InterviewAnswer[]) {
    return buildMinutes({ state, participants: [], boards: [], generatedAt: 10_000, interview: answers });
  }
  const coded = () => {
    clock = 0;
    return [
      answer('q1', 'p:aigerim', ['t4', 't6'], { name: 'Айгерим', text: 'Нет времени на взаимопосещения' }),
      answer('q1', 'n:бекова', ['t4'], { by: 'interviewer', name: 'Бекова', text: 'Расписание | перегружено' }),
      answer('q2', 'p:aigerim', [], { name: 'Айгерим', text: 'Методические пособия' }),
    ];
  };

  it('lays out the guide, the table of questions × themes, the quotes per theme and who left what unanswered, anonymously by default', () => {
    const md = renderMinutesMarkdown(minutes(guided(), coded()));
    const lines = md.split('\n');
    expect(lines).toContain('## Структурированное экспертное интервью');
    expect(md).toContain('Опрошено экспертов: 2. Ответов записано интервьюером: 1. Эксперты цитируются без имён');
    expect(lines).toContain('1. Что мешает наставничеству?');
    expect(lines).toContain('| № | Вопрос | Время | Ресурсы | Мотивация | Ответов |');
    expect(lines).toContain('| 1 | Что мешает наставничеству? | 2 | 0 | 1 | 2 |');
    expect(lines).toContain('| 2 | Какие ресурсы нужны? | 0 | 0 | 0 | 1 |');
    expect(lines).toContain('|  | **Итого** | **2** | **0** | **1** | **3** |');
    expect(lines).toContain('#### Время (2)');
    expect(lines).toContain('- «Нет времени на взаимопосещения» — Эксперт 1, вопрос 1');
    // A typed pipe cannot break the table or the list.
    expect(md).toContain('«Расписание \\| перегружено» — Эксперт 2, вопрос 1');
    expect(lines).toContain('#### Без темы');
    expect(lines).toContain('- Вопрос 2: Эксперт 2');
    expect(lines).toContain('- Вопрос 3: Эксперт 1, Эксперт 2');
    expect(md).not.toMatch(/Айгерим|Бекова/);
  });

  it('names the experts when the interview is named', () => {
    const md = renderMinutesMarkdown(minutes(run(guided(), { type: 'interview.settings', named: true }), coded()));
    expect(md).toContain('- «Нет времени на взаимопосещения» — Айгерим, вопрос 1');
    expect(md).toContain('- Вопрос 2: Бекова');
    expect(md).toContain('Эксперты цитируются по имени.');
  });

  it('is left out without a guide, and says so when nobody answered', () => {
    expect(minutes(session(), coded()).interview).toBeNull();
    const blocks = minutesOutline(minutes(guided(), [])).blocks;
    const start = blocks.findIndex((b) => b.kind === 'heading' && b.text[0]?.text === 'Структурированное экспертное интервью');
    expect(start).toBeGreaterThan(0);
    expect(blocks.slice(start).some((b) => b.kind === 'paragraph' && b.text[0]?.text === 'Ответы не записаны.')).toBe(true);
    expect(blocks.slice(start).some((b) => b.kind === 'table')).toBe(false);
  });
});
