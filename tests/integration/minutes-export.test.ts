import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardConnection } from '@kenes/shared/client';
import { addNote, groupBoardId, personalBoardId, selfRatingBallot, type Allocation, type Command } from '@kenes/shared';
import { startServer, type TestServer } from '../helpers/server.js';
import { board, newFacilitator, newTeacher, type Facilitator, type Teacher } from '../helpers/people.js';
import { waitFor } from '../helpers/wait.js';

let server: TestServer;
let fac: Facilitator;
let teachers: Teacher[] = [];
const boards: BoardConnection[] = [];
const dir = mkdtempSync(join(tmpdir(), 'kenes-minutes-'));

/** Every letter of the Kazakh alphabet that Russian does not have. */
const KAZAKH_LETTERS = ['Ә', 'ә', 'Ғ', 'ғ', 'Қ', 'қ', 'Ң', 'ң', 'Ө', 'ө', 'Ұ', 'ұ', 'Ү', 'ү', 'Һ', 'һ', 'І', 'і'];
const NAMES = ['Әсел Қасымова', 'Ұлан Үмбетов', 'Іңкәр Ғабитқызы', 'Һиба Өмірова'];
const PROTOCOL = {
  organisation: 'Ақтөбе қаласының № 5 мектеп-гимназиясы',
  place: 'Әдістемелік кабинет, Ғабит Мүсірепов көшесі',
  number: 'ӘК-3',
  summary: 'Ұстаздар кейсті талдап, екі шешім ұсынды.\nҺәр топ өз ұсынысын қорғады: Әә Ғғ Ққ Ңң Өө Ұұ Үү Һһ Іі.',
  decisions: ['Әр сабақта табыс критерийлерін қолдану.', 'Өзара сабаққа қатысу кестесін Ұлжан Һибатоллақызы жасасын; мерзімі — үш күн.'],
};
const SOLUTIONS = ['Әр сабақта табыс критерийлерін енгізу', 'Өзара сабаққа қатысу'];
const HOSTILE = '<script>alert("minutes")</script> & «тырнақша»';
const REFLECTION = 'Кейсті топпен талдау өте пайдалы болды';

const get = (path: string, token?: string) =>
  fetch(`${server.url}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
const minutes = (format: string) => get(`/api/sessions/${fac.created.code}/minutes?format=${format}&tz=Asia/Aqtobe`, fac.created.facilitatorToken);

async function command(cmd: Command): Promise<void> {
  const ack = await fac.client.command(cmd);
  expect(ack, cmd.type).toMatchObject({ ok: true });
}

/** Wait until the server's boards hold the text, read through the JSON export as the minutes read them. */
async function serverHas(text: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    if ((await (await minutes('json')).text()).includes(JSON.stringify(text).slice(1, -1))) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the server never received «${text}»`);
}

/** The text of each paragraph of word/document.xml, runs joined, entities decoded. */
function docxParagraphs(xml: string): string[] {
  const decode = (s: string) =>
    s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  return xml.split('</w:p>').map((p) => [...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => decode(m[1]!)).join(''));
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ');

beforeAll(async () => {
  server = await startServer();
  fac = await newFacilitator(server.url, { title: `Сабақтың табыс критерийлері ${HOSTILE}`, facilitator: 'Гүлнар Сейтқазы', locale: 'kk' });
  teachers = await Promise.all(NAMES.map((n) => newTeacher(server.url, fac.created.code, n)));
  await waitFor(() => fac.client.roster.size === NAMES.length, 'every teacher joined');

  await command({ type: 'case.set', case: { title: 'Мақсатсыз сабақ', situation: 'Мұғалім сабақтың мақсатын айтпайды.', questions: 'Не өзгерту керек?' } });
  await command({ type: 'groups.split', count: 2 });
  for (const t of teachers) await waitFor(() => t.client.me?.groupId, `${t.name} gets a group`);
  for (let i = 1; i <= 3; i++) await command({ type: 'stage.go', index: i, from: i - 1 });

  // Group work: one note per group, the first one typed with markup in it.
  for (const [g, gid] of ['g1', 'g2'].entries()) {
    const author = teachers.find((t) => t.client.me!.groupId === gid)!;
    const conn = board(server.url, author.sessionId, groupBoardId(gid), author.token);
    boards.push(conn);
    await conn.synced;
    const text = g === 0 ? `Мәселе: ${HOSTILE}` : 'Себеп: критерийлер жоқ';
    addNote(conn.doc, { id: `n-${gid}`, text, color: 'green', authorId: author.participantId, authorName: author.name, stageId: 's4', createdAt: Date.now() });
    await serverHas(text);
    expect((await author.client.command({ type: 'group.solution', groupId: gid, text: SOLUTIONS[g]! })).ok).toBe(true);
  }

  // The dot vote: g1 gets 7 dots, g2 gets 5.
  await command({ type: 'stage.go', index: 4, from: 3 });
  await command({ type: 'stage.go', index: 5, from: 4 });
  await command({ type: 'vote.configure', dots: 3, maxPerOption: 3 });
  await command({ type: 'vote.open' });
  for (const t of teachers) await waitFor(() => t.client.state?.vote.status === 'open', 'the vote is open');
  const ballots: Allocation[] = [{ g1: 2, g2: 1 }, { g1: 2, g2: 1 }, { g1: 2, g2: 1 }, { g1: 1, g2: 2 }];
  for (const [i, t] of teachers.entries()) expect((await t.client.vote(ballots[i]!)).ok).toBe(true);
  await waitFor(() => fac.client.ballotsCast === teachers.length, 'every ballot counted');
  await command({ type: 'vote.close' });
  await command({ type: 'vote.reveal' });

  // The self-rating questionnaire, anonymous, revealed.
  const spec = selfRatingBallot('kk');
  await command({ type: 'ballot.create', ballot: spec });
  await command({ type: 'ballot.open', ballotId: spec.id! });
  for (const t of teachers) await waitFor(() => t.client.state?.ballots.find((b) => b.id === spec.id)?.status === 'open', 'self-rating open');
  for (const [i, t] of teachers.entries()) {
    const ack = await t.client.answer(spec.id!, { kind: 'rating', ratings: { planning: 3 + (i % 3), afl: 2 + (i % 2) } });
    expect(ack.ok).toBe(true);
  }
  await waitFor(() => fac.client.answerCounts.get(spec.id!)?.answers === teachers.length, 'every self-rating counted');
  await command({ type: 'ballot.reveal', ballotId: spec.id! });

  // Reflection on a personal board, which the minutes must keep anonymous.
  await command({ type: 'stage.go', index: 6, from: 5 });
  await command({ type: 'stage.go', index: 7, from: 6 });
  const reflecting = teachers[2]!;
  const own = board(server.url, reflecting.sessionId, personalBoardId(reflecting.participantId), reflecting.token);
  boards.push(own);
  await own.synced;
  addNote(own.doc, { id: 'n-refl', text: REFLECTION, color: 'yellow', authorId: reflecting.participantId, authorName: reflecting.name, stageId: 's8', createdAt: Date.now(), area: 'useful' });
  await serverHas(REFLECTION);

  await command({ type: 'protocol.edit', protocol: PROTOCOL });
});

afterAll(async () => {
  for (const b of boards) b.close();
  for (const t of teachers) t.client.close();
  fac?.client.close();
  await server?.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

describe('the minutes in every format, in Kazakh', () => {
  it('gives Markdown laid out as a protocol, with the particulars, the decisions and an anonymous reflection', async () => {
    const res = await minutes('md');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/markdown; charset=utf-8/);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="minutes-${fac.created.code}.md"`);
    const md = await res.text();
    const lines = md.split('\n');
    expect(lines.slice(0, 3)).toEqual([`**${PROTOCOL.organisation}**`, '', '# Хаттама № ӘК-3']);
    expect(lines).toContain(`- **Өткізілген орны:** ${PROTOCOL.place}`);
    expect(lines).toContain('- **Әдіскер:** Гүлнар Сейтқазы');
    expect(lines).toContain('Қатысқандар: 4');
    for (const name of NAMES) expect(md).toContain(name);
    expect(lines).toContain('## Қысқаша қорытынды');
    expect(lines).toContain('Ұстаздар кейсті талдап, екі шешім ұсынды.');
    const decided = lines.slice(lines.indexOf('## ШЕШТІ'));
    expect(decided.slice(0, 4)).toEqual(['## ШЕШТІ', '', `1. ${PROTOCOL.decisions[0]}`, `2. ${PROTOCOL.decisions[1]}`]);
    expect(md).toContain('Дауыс бергендер: 4; берілген дауыстар: 12.');

    const start = lines.indexOf('## Рефлексия қорытындысы');
    const reflection = lines.slice(start, lines.indexOf('## Қысқаша қорытынды')).join('\n');
    expect(start).toBeGreaterThan(0);
    expect(reflection).toContain(`- ${REFLECTION}`);
    expect(reflection).toContain('| Сабақты жоспарлау | 4 |');
    for (const name of NAMES) expect(reflection).not.toContain(name);
  });

  it('gives a standalone, print-ready HTML page in the session’s language with every typed text escaped', async () => {
    const res = await minutes('html');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await res.text();
    expect(html.startsWith('<!doctype html>\n<html lang="kk-KZ">')).toBe(true);
    expect(html).toContain('@page { size: A4;');
    expect(html).toContain('@media print');
    expect(html).toMatch(/<h2 class="page-break">Жұмыс барысы<\/h2>/);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;alert(&quot;minutes&quot;)&lt;/script&gt; &amp; «тырнақша»');
    expect(html).toContain(`<p class="org">${PROTOCOL.organisation}</p>`);
    expect(html).toContain('<h2>ШЕШТІ</h2>');
    expect(html).toContain(`<li>${PROTOCOL.decisions[0]}</li>`);
    // The vote as a chart: an SVG whose labels are text, 7 dots of 12 for the first solution.
    expect(html).toMatch(/<svg [^>]*role="img"[^>]*>\n<title id="chart-1">Диаграмма: Дауыс беру қорытындысы<\/title>/);
    expect(html).toContain(`>${SOLUTIONS[1]} (2-топ)</tspan>`);
    expect(html).toMatch(/<text class="value" [^>]*>7 \(58\s?%\)<\/text>/);
    expect(html).toMatch(/<text class="value" [^>]*>5 \(42\s?%\)<\/text>/);
    for (const name of NAMES) expect(html).toContain(name);
  });

  it('gives a Word document with the protocol, its results and chart, in Kazakh on A4', async () => {
    const res = await minutes('docx');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="minutes-${fac.created.code}.docx"`);
    const file = join(dir, 'minutes.docx');
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const xml = execFileSync('unzip', ['-p', file, 'word/document.xml'], { encoding: 'utf8' });
    const styles = execFileSync('unzip', ['-p', file, 'word/styles.xml'], { encoding: 'utf8' });
    const paragraphs = docxParagraphs(xml);
    const text = paragraphs.join('\n');

    expect(paragraphs).toContain(PROTOCOL.organisation);
    expect(paragraphs).toContain('Хаттама № ӘК-3');
    expect(paragraphs).toContain(`Өткізілген орны: ${PROTOCOL.place}`);
    expect(paragraphs).toContain('ШЕШТІ');
    for (const d of PROTOCOL.decisions) expect(text).toContain(d);
    for (const name of NAMES) expect(text).toContain(name);
    for (const letter of KAZAKH_LETTERS) expect(text).toContain(letter);
    expect(paragraphs).toContain(`1-топ: ${SOLUTIONS[0]}`);
    expect(paragraphs).toContain('Дауыс бергендер: 4; берілген дауыстар: 12.');
    expect(text).toContain(`Мәселе: ${HOSTILE}`);
    expect(text).toContain(REFLECTION);
    // The chart's bar is a shaded cell; A4 with a 30 mm binding margin; Kazakh as the document's language.
    expect(xml).toMatch(/<w:shd [^>]*w:fill="2F5F98"/);
    expect(xml).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    expect(xml).toMatch(/<w:pgMar [^>]*w:left="1701"/);
    expect(styles).toMatch(/<w:lang w:val="kk-KZ"/);
  });

  it('gives a PDF with an embedded font that writes every Kazakh letter, and numbered pages', async () => {
    const res = await minutes('pdf');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="minutes-${fac.created.code}.pdf"`);
    const file = join(dir, 'minutes.pdf');
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));

    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' }).trim().split('\n').slice(2);
    expect(fonts.length).toBeGreaterThan(0);
    for (const line of fonts) {
      expect(line).toMatch(/DejaVuSans/);
      // Columns: name, type (two words), encoding, then "emb": every font is embedded.
      expect(line.split(/\s+/)[4], line).toBe('yes');
    }

    const text = oneLine(execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }));
    expect(text).toContain(PROTOCOL.organisation);
    expect(text).toContain('Хаттама № ӘК-3');
    expect(text).toContain(`Өткізілген орны: ${PROTOCOL.place}`);
    expect(text).toContain('ШЕШТІ');
    for (const d of PROTOCOL.decisions) expect(text).toContain(`${PROTOCOL.decisions.indexOf(d) + 1}. ${d}`);
    for (const name of NAMES) expect(text).toContain(name);
    for (const letter of KAZAKH_LETTERS) expect(text).toContain(letter);
    expect(text).toContain('Әә Ғғ Ққ Ңң Өө Ұұ Үү Һһ Іі');
    expect(text).toContain(`1-топ: ${SOLUTIONS[0]}`);
    expect(text).toContain('Дауыс бергендер: 4; берілген дауыстар: 12.');
    expect(text).toContain(REFLECTION);
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
    expect(pages).toBeGreaterThan(1);
    for (let p = 1; p <= pages; p++) expect(text).toContain(`${pages} беттің ${p}-беті`);
  });

  it('answers only the facilitator, and names the formats it knows when asked for another', async () => {
    const path = (format: string) => `/api/sessions/${fac.created.code}/minutes?format=${format}`;
    for (const format of ['pdf', 'docx', 'html']) {
      const anonymous = await get(path(format));
      expect(anonymous.status).toBe(401);
      expect((await anonymous.json()).error.code).toBe('unauthorized');
      const teacher = await get(path(format), teachers[0]!.token);
      expect(teacher.status).toBe(403);
      expect((await teacher.json()).error.code).toBe('forbidden');
      expect((await get(path(format), 'not-a-token')).status).toBe(403);
    }
    const odt = await get(path('odt'), fac.created.facilitatorToken);
    expect(odt.status).toBe(400);
    expect(await odt.json()).toEqual({
      error: { code: 'bad_request', message: 'Unknown minutes format «odt»; use one of: md, docx, pdf, html, csv, json.' },
    });
  });
});
