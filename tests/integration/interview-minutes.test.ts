import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchMinutesFile } from '@kenes/shared/client';
import type { Command, InterviewAnswerAck } from '@kenes/shared';
import { docxParagraphs, pdfFonts, pdfText } from '../helpers/documents.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { newFacilitator, newTeacher, type Facilitator, type Teacher } from '../helpers/people.js';
import { waitFor } from '../helpers/wait.js';

let server: TestServer;
let fac: Facilitator;
let experts: Teacher[] = [];

const QUESTIONS = ['Тәлімгерлікке не кедергі?', 'Жаңа мұғалімге қандай ресурс қажет?'];
const THEMES = ['Уақыт', 'Ресурстар'];
const ANSWERS = ['Өзара сабаққа қатысуға уақыт жоқ', 'Әдістемелік құрал және Ғылыми кеңес', 'Қосымша сағат керек'];
const BY_PHONE = 'Һибатолла Үмбетұлы';

const ok = (ack: InterviewAnswerAck) => {
  if (!ack.ok) throw new Error(ack.error.code);
  return ack;
};

async function command(cmd: Command): Promise<void> {
  expect(await fac.client.command(cmd), cmd.type).toMatchObject({ ok: true });
}

const minutes = async (format: 'docx' | 'pdf') =>
  Buffer.from(await (await fetchMinutesFile(server.url, fac.created.code, fac.created.facilitatorToken, format)).arrayBuffer());

beforeAll(async () => {
  server = await startServer();
  fac = await newFacilitator(server.url, { title: 'Тәлімгерлік сұхбаты', template: 'expert-interview', locale: 'kk', facilitator: 'Гүлнар Сейтқазы' });
  experts = await Promise.all(['Әсел Қасымова', 'Ұлан Өмірұлы'].map((n) => newTeacher(server.url, fac.created.code, n)));
  await command({ type: 'interview.guide', questions: [{ text: QUESTIONS[0]!, followUps: ['Мысал келтіріңіз'] }, { text: QUESTIONS[1]! }] });
  await command({ type: 'interview.themes', themes: THEMES.map((label) => ({ label })) });
  await command({ type: 'interview.settings', open: true });
  for (const t of experts) await waitFor(() => t.client.state?.interview?.open, `${t.name} sees the interview open`);
  const [asel, ulan] = experts as [Teacher, Teacher];
  const a1 = ok(await asel.client.interviewAnswer('q1', ANSWERS[0]!));
  const a2 = ok(await asel.client.interviewAnswer('q2', ANSWERS[1]!));
  const u1 = ok(await ulan.client.interviewAnswer('q1', ANSWERS[2]!));
  const phone = ok(await fac.client.interviewAnswer('q1', 'Іс-шаралар тым көп', { name: BY_PHONE }));
  ok(await fac.client.interviewTag('q1', a1.expert, ['t3']));
  ok(await fac.client.interviewTag('q2', a2.expert, ['t4']));
  ok(await fac.client.interviewTag('q1', u1.expert, ['t3', 't4']));
  ok(await fac.client.interviewTag('q1', phone.expert, ['t3']));
});

afterAll(async () => {
  for (const t of experts) t.client.close();
  fac?.client.close();
  await server?.kill('SIGTERM');
});

describe('the interview section of the minutes, in Kazakh', () => {
  it('is in the Word document: the guide, the table of questions × themes, quotes per theme, anonymous by default', async () => {
    const paragraphs = docxParagraphs(await minutes('docx'));
    expect(paragraphs).toContain('Құрылымдалған сараптамалық сұхбат');
    expect(paragraphs).toContain('Сұхбат берген сарапшылар: 3. Сұхбат алушы жазған жауаптар: 1. Сарапшылар атысыз келтіріледі: 1-сарапшы, 2-сарапшы… алғашқы жауап берген ретімен.');
    for (const q of QUESTIONS) expect(paragraphs).toContain(q);
    expect(paragraphs).toContain('Мысал келтіріңіз');
    // The table's cells are paragraphs of their own: the header, then question 1 with 3 × Уақыт, 1 × Ресурстар, 3 answers.
    const header = paragraphs.indexOf('Жиынтық кесте: сұрақтар × тақырыптар');
    expect(paragraphs.slice(header + 1, header + 6)).toEqual(['№', 'Сұрақ', ...THEMES, 'Жауаптар']);
    const row = paragraphs.indexOf(QUESTIONS[0]!, header);
    expect(paragraphs.slice(row - 1, row + 4)).toEqual(['1', QUESTIONS[0], '3', '1', '3']);
    expect(paragraphs).toContain('Тақырыптар бойынша дәйексөздер');
    expect(paragraphs).toContain('Уақыт (3)');
    expect(paragraphs).toContain(`«${ANSWERS[0]}» — 1-сарапшы, 1-сұрақ`);
    expect(paragraphs).toContain('«Іс-шаралар тым көп» — 3-сарапшы, 1-сұрақ');
    expect(paragraphs).toContain('2-сұрақ: 2-сарапшы, 3-сарапшы');
    const section = paragraphs.slice(paragraphs.indexOf('Құрылымдалған сараптамалық сұхбат')).join('\n');
    for (const name of [BY_PHONE, ...experts.map((t) => t.name)]) expect(section).not.toContain(name);
  });

  it('is in the PDF, named once the facilitator names the experts, every Kazakh letter written with an embedded font', async () => {
    await command({ type: 'interview.settings', named: true });
    const bytes = await minutes('pdf');
    for (const line of pdfFonts(bytes)) expect(line.split(/\s+/)[4], line).toBe('yes');
    const text = pdfText(bytes);
    expect(text).toContain('Құрылымдалған сараптамалық сұхбат');
    expect(text).toContain('Жиынтық кесте: сұрақтар × тақырыптар');
    expect(text).toContain(`1 ${QUESTIONS[0]} 3 1 3`);
    expect(text).toContain(`2 ${QUESTIONS[1]} 0 1 1`);
    expect(text).toContain('Сарапшылар аты-жөнімен келтіріледі.');
    expect(text).toContain(`«${ANSWERS[1]}» — Әсел Қасымова, 2-сұрақ`);
    expect(text).toContain(`«Іс-шаралар тым көп» — ${BY_PHONE}, 1-сұрақ`);
    expect(text).toContain(`2-сұрақ: Ұлан Өмірұлы, ${BY_PHONE}`);
    // Every Kazakh letter the experts typed is read back.
    const typed = new Set([...QUESTIONS, ...ANSWERS, ...THEMES, BY_PHONE].join('').match(/[ӘәҒғҚқҢңӨөҰұҮүҺһІі]/g));
    expect(typed.size).toBeGreaterThanOrEqual(12);
    for (const letter of typed) expect(text).toContain(letter);
  });
});
