import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchMinutes, SessionClient } from '@kenes/shared/client';
import {
  countsOf,
  INTERVIEW_EVENTS,
  summarizeInterview,
  type Command,
  type InterviewAnswer,
  type InterviewAnswerAck,
  type InterviewChange,
  type InterviewCounts,
  type InterviewListAck,
} from '@kenes/shared';
import { startServer, type TestServer } from '../helpers/server.js';
import { newFacilitator, newTeacher, rejoin, type Facilitator, type Teacher } from '../helpers/people.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { waitFor } from '../helpers/wait.js';

const SECRET = 'Наставничеству мешает перегрузка расписания';
const BY_PHONE = 'Айгуль Бекова';

/** Every event a client receives, as text, to look for what must never reach it. */
function spy(client: SessionClient): { event: string; payload: string }[] {
  const heard: { event: string; payload: string }[] = [];
  client.socket.onAny((event: string, ...args: unknown[]) => heard.push({ event, payload: JSON.stringify(args) }));
  return heard;
}

const saved = (ack: InterviewAnswerAck): InterviewAnswer => {
  if (!ack.ok) throw new Error(ack.error.code);
  if (!ack.answer) throw new Error('withdrawn');
  return ack.answer;
};

async function answersOf(client: SessionClient): Promise<InterviewAnswer[]> {
  const ack: InterviewListAck = await client.interviewList();
  if (!ack.ok || ack.role === 'screen') throw new Error(JSON.stringify(ack));
  return ack.answers;
}

let pg: TestPostgres | undefined;
afterAll(async () => {
  await pg?.destroy();
});

/** The same interview on each engine: SQLite (a file in DATA_DIR) and PostgreSQL (DATABASE_URL). */
describe.each([
  ['SQLite', async (): Promise<Record<string, string>> => ({})],
  [
    'PostgreSQL',
    async (): Promise<Record<string, string>> => {
      pg ??= await startPostgres();
      return { DATABASE_URL: await pg.createDatabase('interview') };
    },
  ],
])('a structured expert interview on %s', (_engine, configure) => {
  let env: Record<string, string> = {};
  const servers: TestServer[] = [];
  let server: TestServer;
  let fac: Facilitator;
  let alice: Teacher;
  let bob: Teacher;
  let carol: Teacher;
  let screen: SessionClient;
  let heardByBob: ReturnType<typeof spy>;
  let heardByCarol: ReturnType<typeof spy>;
  let heardByScreen: ReturnType<typeof spy>;
  let heardByFac: ReturnType<typeof spy>;
  const clients: SessionClient[] = [];

  const command = async (cmd: Command) => {
    const ack = await fac.client.command(cmd);
    expect(ack, cmd.type).toMatchObject({ ok: true });
  };

  beforeAll(async () => {
    env = await configure();
    server = await startServer({ env });
    servers.push(server);
    fac = await newFacilitator(server.url, { title: 'Наставничество в школе', template: 'expert-interview', locale: 'ru' });
    const code = fac.created.code;
    alice = await newTeacher(server.url, code, 'Алия Нурланова');
    bob = await newTeacher(server.url, code, 'Бауыржан Сейтов');
    carol = await newTeacher(server.url, code, 'Карлыгаш Омарова');
    screen = new SessionClient({ url: server.url, code });
    await screen.ready();
    clients.push(fac.client, alice.client, bob.client, carol.client, screen);
    heardByBob = spy(bob.client);
    heardByCarol = spy(carol.client);
    heardByScreen = spy(screen);
    heardByFac = spy(fac.client);
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    for (const s of servers) await s.kill();
  });

  it('sets the guide and the themes, and opens the interview to the experts', async () => {
    await command({
      type: 'interview.guide',
      questions: [
        { text: 'Что мешает наставничеству в вашей школе?', followUps: ['Приведите пример из этого года'] },
        { text: 'Какие ресурсы нужны молодому учителю?' },
        { text: 'Что бы вы изменили в первую очередь?' },
      ],
    });
    await command({ type: 'interview.themes', themes: [{ label: 'Время' }, { label: 'Ресурсы' }, { label: 'Мотивация' }] });
    await command({ type: 'interview.settings', open: true });
    const guide = await waitFor(() => alice.client.state?.interview?.open && alice.client.state.interview, 'the expert sees the open guide');
    expect(guide.questions.map((q) => [q.id, q.text])).toEqual([
      ['q1', 'Что мешает наставничеству в вашей школе?'],
      ['q2', 'Какие ресурсы нужны молодому учителю?'],
      ['q3', 'Что бы вы изменили в первую очередь?'],
    ]);
    expect(guide.questions[0]!.followUps).toEqual(['Приведите пример из этого года']);
    expect(guide.themes.map((t) => t.id)).toEqual(['t4', 't5', 't6']);
  });

  it('takes an expert’s own answers, sends them to their other tabs and the facilitator, and to nobody else', async () => {
    const otherTab = await rejoin(server.url, fac.created.code, alice);
    clients.push(otherTab.client);
    const heardByTab = spy(otherTab.client);
    const first = saved(await alice.client.interviewAnswer('q1', `  ${SECRET}  `));
    expect(first).toMatchObject({ questionId: 'q1', expert: `p:${alice.participantId}`, participantId: alice.participantId, name: alice.name, text: SECRET, themes: [], by: 'expert' });
    saved(await alice.client.interviewAnswer('q2', 'Методическое пособие и час в неделю'));
    await waitFor(() => heardByTab.some((h) => h.event === INTERVIEW_EVENTS.mine && h.payload.includes(SECRET)), 'her other tab hears');
    await waitFor(() => heardByFac.some((h) => h.event === INTERVIEW_EVENTS.recorded && h.payload.includes(SECRET)), 'the facilitator hears');
    expect((await answersOf(alice.client)).map((a) => a.questionId)).toEqual(['q1', 'q2']);
    // Another expert sees only their own answers; another teacher none.
    expect(await answersOf(bob.client)).toEqual([]);
    expect(await answersOf(carol.client)).toEqual([]);
  });

  it('records answers for a teacher and for an expert only named, as the interviewer', async () => {
    const forBob = saved(await fac.client.interviewAnswer('q1', 'Нет времени на взаимопосещения', { participantId: bob.participantId }));
    expect(forBob).toMatchObject({ expert: `p:${bob.participantId}`, name: bob.name, by: 'interviewer' });
    await waitFor(() => heardByBob.some((h) => h.event === INTERVIEW_EVENTS.mine && h.payload.includes('взаимопосещения')), 'bob hears his answer');
    const phone = saved(await fac.client.interviewAnswer('q1', 'Молодые учителя стесняются спрашивать', { name: `  ${BY_PHONE} ` }));
    expect(phone).toMatchObject({ expert: 'n:айгуль бекова', participantId: null, name: BY_PHONE, by: 'interviewer' });
    // The same name, however typed, is the same expert.
    const again = saved(await fac.client.interviewAnswer('q3', 'Дать наставнику часы в нагрузке', { name: 'айгуль  бекова' }));
    expect(again.expert).toBe(phone.expert);
    expect((await answersOf(bob.client)).map((a) => a.text)).toEqual(['Нет времени на взаимопосещения']);
  });

  it('lets the facilitator tag answers by themes, and the summary counts the experts per question and theme', async () => {
    const a = `p:${alice.participantId}`;
    const b = `p:${bob.participantId}`;
    expect(saved(await fac.client.interviewTag('q1', a, ['t6', 't4', 't4'])).themes).toEqual(['t4', 't6']);
    saved(await fac.client.interviewTag('q1', b, ['t4']));
    saved(await fac.client.interviewTag('q1', 'n:айгуль бекова', ['t6']));
    saved(await fac.client.interviewTag('q2', a, ['t5']));
    saved(await fac.client.interviewTag('q3', 'n:айгуль бекова', ['t4']));
    // An expert changing the text keeps the tags.
    expect(saved(await alice.client.interviewAnswer('q2', 'Методическое пособие и наставник рядом')).themes).toEqual(['t5']);

    const all = await answersOf(fac.client);
    expect(all).toHaveLength(5);
    const summary = summarizeInterview(fac.client.state!.interview!, all);
    expect(summary.experts.map((e) => [e.number, e.name])).toEqual([
      [1, alice.name],
      [2, bob.name],
      [3, BY_PHONE],
    ]);
    expect(summary.rows.map((r) => [r.questionId, r.answered, r.counts])).toEqual([
      ['q1', 3, { t4: 2, t5: 0, t6: 2 }],
      ['q2', 1, { t4: 0, t5: 1, t6: 0 }],
      ['q3', 1, { t4: 1, t5: 0, t6: 0 }],
    ]);
    expect(summary.themes.map((t) => [t.themeId, t.total, t.experts])).toEqual([
      ['t4', 3, 3],
      ['t5', 1, 1],
      ['t6', 2, 2],
    ]);
    expect(summary.rows[0]!.quotes.t6!.map((q) => q.text)).toEqual([SECRET, 'Молодые учителя стесняются спрашивать']);
    expect(summary.rows.map((r) => r.missing)).toEqual([[], [b, 'n:айгуль бекова'], [a, b]]);
  });

  it('puts the counts on the projector only when shown, without a name or a quote', async () => {
    expect(await screen.interviewList()).toEqual({ ok: true, role: 'screen', counts: null });
    await command({ type: 'interview.settings', shown: true });
    const pushed = await waitFor(() => heardByScreen.find((h) => h.event === INTERVIEW_EVENTS.summary), 'the projector gets the counts');
    const counts = (JSON.parse(pushed.payload) as InterviewCounts[])[0]!;
    expect(counts).toEqual(countsOf(summarizeInterview(fac.client.state!.interview!, await answersOf(fac.client))));
    expect(counts.rows[0]).toEqual({ questionId: 'q1', answered: 3, counts: { t4: 2, t5: 0, t6: 2 } });
    expect(await screen.interviewList()).toEqual({ ok: true, role: 'screen', counts });
    // A new tag while shown reaches the projector at once.
    const before = heardByScreen.length;
    saved(await fac.client.interviewTag('q2', `p:${alice.participantId}`, ['t5', 't6']));
    await waitFor(() => heardByScreen.slice(before).some((h) => h.event === INTERVIEW_EVENTS.summary && h.payload.includes('"t6":1')), 'the new count shows');
  });

  it('never sends an expert’s answer to another teacher or the projector', async () => {
    for (const c of [bob.client, carol.client, screen]) {
      const sync = await c.socket.emitWithAck('sync', {});
      expect(JSON.stringify(sync)).not.toContain(SECRET);
    }
    await new Promise((r) => setTimeout(r, 200));
    for (const heard of [heardByBob, heardByCarol, heardByScreen]) {
      expect(heard.filter((h) => h.payload.includes(SECRET) || h.payload.includes('стесняются'))).toEqual([]);
    }
    expect(heardByCarol.filter((h) => h.event.startsWith('interview.'))).toEqual([]);
    // The projector lists who joined (its join poster), but no interview event of its names an expert.
    expect(heardByScreen.filter((h) => h.event.startsWith('interview.') && (h.payload.includes(alice.name) || h.payload.includes(BY_PHONE)))).toEqual([]);
  });

  it('refuses bad input with a named code and changes nothing', async () => {
    const answersBefore = await answersOf(fac.client);
    const version = fac.client.state!.version;
    const code = async (p: Promise<{ ok: boolean; error?: { code: string } }>) => ((await p) as { error?: { code: string } }).error?.code;
    const refusals: [string, Promise<{ ok: boolean; error?: { code: string } }>][] = [
      ['bad_guide', fac.client.command({ type: 'interview.guide', questions: [{ text: '   ' }] })],
      ['bad_guide', fac.client.command({ type: 'interview.guide', questions: [{ text: 'я'.repeat(501) }] })],
      ['unknown_question', fac.client.command({ type: 'interview.guide', questions: [{ id: 'q42', text: 'Чужой вопрос' }] })],
      ['bad_themes', fac.client.command({ type: 'interview.themes', themes: [{ label: 'Время' }, { label: 'ВРЕМЯ' }] })],
      ['unknown_question', alice.client.interviewAnswer('q42', 'Ответ')],
      ['answer_too_long', alice.client.interviewAnswer('q3', 'я'.repeat(5001))],
      ['empty_answer', alice.client.interviewAnswer('q3', ' \n ')],
      ['bad_expert', fac.client.interviewAnswer('q3', 'Без эксперта')],
      ['bad_expert', fac.client.interviewAnswer('q3', 'Без имени', { name: '   ' })],
      ['unknown_participant', fac.client.interviewAnswer('q3', 'Никто', { participantId: 'nobody' })],
      ['forbidden', alice.client.interviewAnswer('q3', 'За другого', { participantId: bob.participantId })],
      ['forbidden', screen.interviewAnswer('q3', 'С проектора')],
      ['forbidden', alice.client.interviewTag('q1', `p:${alice.participantId}`, ['t4'])],
      ['unknown_theme', fac.client.interviewTag('q1', `p:${alice.participantId}`, ['t99'])],
      ['unknown_answer', fac.client.interviewTag('q3', `p:${carol.participantId}`, ['t4'])],
      ['unknown_question', fac.client.interviewTag('q42', `p:${alice.participantId}`, ['t4'])],
      ['bad_request', fac.client.socket.emitWithAck(INTERVIEW_EVENTS.answer, { rid: 'short', questionId: 'q1', text: 5 })],
    ];
    for (const [expected, p] of refusals) expect(await code(p), expected).toBe(expected);
    // Closed to experts: the interviewer may still record.
    await command({ type: 'interview.settings', open: false });
    await waitFor(() => alice.client.state?.interview?.open === false, 'the expert sees it closed');
    expect(await code(alice.client.interviewAnswer('q3', 'Поздно'))).toBe('interview_closed');
    expect(await answersOf(fac.client)).toEqual(answersBefore);
    expect(fac.client.state!.version).toBe(version + 1);
    await command({ type: 'interview.settings', open: true });
  });

  it('answers a repeated request id from its record, adding nothing twice', async () => {
    const payload = { rid: 'interview-retry-0001', questionId: 'q3', text: 'Сократить отчёты' };
    const first = (await carol.client.socket.emitWithAck(INTERVIEW_EVENTS.answer, payload)) as InterviewAnswerAck;
    // The retry carries another text: the first answer stands.
    const second = (await carol.client.socket.emitWithAck(INTERVIEW_EVENTS.answer, { ...payload, text: 'Другое' })) as InterviewAnswerAck;
    expect(second).toEqual(first);
    expect((await answersOf(carol.client)).map((a) => a.text)).toEqual(['Сократить отчёты']);
    // Withdrawn: gone for her and for the facilitator.
    const withdrawn = (await carol.client.interviewAnswer('q3', null)) as InterviewAnswerAck & InterviewChange;
    expect(withdrawn).toMatchObject({ ok: true, questionId: 'q3', answer: null });
    expect(await answersOf(carol.client)).toEqual([]);
    expect((await answersOf(fac.client)).some((a) => a.expert === `p:${carol.participantId}`)).toBe(false);
  });

  it('keeps every acknowledged answer and tag through a SIGKILL, and puts them in the minutes', async () => {
    const last = saved(await fac.client.interviewAnswer('q2', 'Записано перед сбоем', { name: BY_PHONE }));
    saved(await fac.client.interviewTag('q2', last.expert, ['t5']));
    const before = await answersOf(fac.client);
    await server.kill('SIGKILL');
    server = await startServer({ dataDir: server.dataDir, port: server.port, env });
    servers.push(server);
    await waitFor(() => fac.client.status === 'online' && alice.client.status === 'online', 'clients reconnect', 15_000);
    expect(await answersOf(fac.client)).toEqual(before);
    expect((await answersOf(alice.client)).map((a) => a.text)).toEqual([SECRET, 'Методическое пособие и наставник рядом']);
    expect(before.find((a) => a.text === 'Записано перед сбоем')?.themes).toEqual(['t5']);

    const md = await fetchMinutes(server.url, fac.created.code, fac.created.facilitatorToken, 'md');
    const lines = md.split('\n');
    expect(lines).toContain('## Структурированное экспертное интервью');
    expect(lines).toContain('| № | Вопрос | Время | Ресурсы | Мотивация | Ответов |');
    expect(lines).toContain('| 1 | Что мешает наставничеству в вашей школе? | 2 | 0 | 2 | 3 |');
    expect(lines).toContain('| 2 | Какие ресурсы нужны молодому учителю? | 0 | 2 | 1 | 2 |');
    expect(lines).toContain(`- «${SECRET}» — Эксперт 1, вопрос 1`);
    // Anonymous by default: no expert's name in the interview section.
    const section = md.slice(md.indexOf('## Структурированное экспертное интервью'));
    expect(section).not.toContain(BY_PHONE);
    expect(section).not.toContain(alice.name);
  });
});
