import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { councilProtocolOutline } from '../../shared/src/workspace/protocol.js';
import { councilMeeting, NAMES } from '../../shared/test/council-fixture.js';
import { isProtocolFormat, sendProtocolDocument } from '../src/export/council.js';
import { RenderPool } from '../src/export/render-pool.js';

/** Every letter Kazakh adds to the Russian alphabet (Ң, which starts no word, only in lower case). */
const KAZAKH_LETTERS = [...'ӘәҒғҚқңӨөҰұҮүҺһІі'];

const pool = new RenderPool({ size: 1 });
const dir = mkdtempSync(join(tmpdir(), 'kenes-council-'));
afterAll(async () => {
  await pool.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Each paragraph's text, runs joined and tabs as tabs, from a DOCX's document.xml. */
function docxParagraphs(xml: string): string[] {
  const decode = (s: string) =>
    s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  return xml
    .split('</w:p>')
    .map((p) => [...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>|<w:tab\/>/g)].map((m) => (m[1] === undefined ? '\t' : decode(m[1]))).join(''));
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ');

function saved(name: string, file: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, file);
  return path;
}

describe('the council protocol as a Word document', () => {
  it('holds the whole protocol in Russian, one paragraph per line of it, on A4', async () => {
    const { input, texts } = councilMeeting('ru');
    const file = saved('ru.docx', await pool.renderOutline('docx', councilProtocolOutline(input)));
    const xml = execFileSync('unzip', ['-p', file, 'word/document.xml'], { encoding: 'utf8' });
    const styles = execFileSync('unzip', ['-p', file, 'word/styles.xml'], { encoding: 'utf8' });
    const paragraphs = docxParagraphs(xml);

    for (const line of [
      input.workspace.organisation,
      'ПРОТОКОЛ № 3',
      'заседания: Городской методический совет',
      'Дата: 4 декабря 2026 г.',
      'Время: 15:00',
      'Место проведения: г. Алматы, ул. Абая, 12',
      `Председатель: ${NAMES.a1}`,
      `Секретарь: ${NAMES.a2}`,
      `Отсутствовали: ${NAMES.a10}`,
      'Кворум имеется (9 из 10, требуется 6).',
      'ПОВЕСТКА ДНЯ',
      `${texts.guest}, ${texts.position}`,
      `${NAMES.a2} (03:05) — ${texts.summary}`,
      `1.2. ${texts.decisions[1]}`,
      'Срок: до 15.01.2027',
      'Голосовали: за — 7, против — 1, воздержались — 1.',
      `2.1. ${texts.decisions[2]}`,
      `Ответственный: ${NAMES.a3}; срок: до 20.12.2026`,
      'Голосовали: единогласно.',
      'ВЫСТУПИЛИ:',
      'ПОСТАНОВИЛИ:',
      `Председатель ____________ / ${NAMES.a1} /`,
      `Секретарь ____________ / ${NAMES.a2} /`,
    ]) {
      expect(paragraphs, line).toContain(line);
    }
    expect(paragraphs.some((p) => p.startsWith('Присутствовали: 9 из 10 — '))).toBe(true);
    expect(paragraphs).toContain(`1. СЛУШАЛИ: ${NAMES.a1} — О ходе исполнения ранее принятых решений`);
    // The agenda is numbered, a tab after the number.
    expect(paragraphs).toContain(`1.\tО ходе исполнения ранее принятых решений. Докладчик: ${NAMES.a1}.`);
    // The review table: one row per reviewed decision, with the status now.
    const text = paragraphs.join('\n');
    for (const status of ['просрочено', 'в работе', 'выполнено']) expect(text).toContain(status);
    expect(text).toContain('№ 2 от 15.10.2026');
    expect(xml).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    expect(styles).toMatch(/<w:lang w:val="ru-RU"/);
  });

  it('is in Kazakh for a Kazakh protocol, every Kazakh letter kept', async () => {
    const { input, texts } = councilMeeting('kk');
    const file = saved('kk.docx', await pool.renderOutline('docx', councilProtocolOutline(input)));
    const xml = execFileSync('unzip', ['-p', file, 'word/document.xml'], { encoding: 'utf8' });
    const styles = execFileSync('unzip', ['-p', file, 'word/styles.xml'], { encoding: 'utf8' });
    const paragraphs = docxParagraphs(xml);
    for (const line of [
      '№ 3 ХАТТАМА',
      'Қалалық әдістемелік кеңес отырысы',
      'Кворум бар (10 мүшеден 9, қажет — 6).',
      'КҮН ТӘРТІБІ',
      'ҚАУЛЫ ЕТТІ:',
      'СӨЙЛЕДІ:',
      `Жауапты: ${NAMES.a3}; мерзімі: 20.12.2026 дейін`,
      'Дауыс берді: жақтап — 8, қарсы — 0, қалыс қалғандар — 1.',
      'Дауыс берді: бірауыздан.',
      `Төраға ____________ / ${NAMES.a1} /`,
      `Хатшы ____________ / ${NAMES.a2} /`,
    ]) {
      expect(paragraphs, line).toContain(line);
    }
    expect(paragraphs).toContain(`2. ТЫҢДАЛДЫ: ${texts.reporter} — ${texts.heard.split('\n')[0]}`);
    const text = paragraphs.join('\n');
    for (const letter of KAZAKH_LETTERS) expect(text, letter).toContain(letter);
    expect(styles).toMatch(/<w:lang w:val="kk-KZ"/);
  });
});

describe('the council protocol as a PDF', () => {
  it('embeds a font that writes every Kazakh letter, and reads back as the protocol', async () => {
    const { input, texts } = councilMeeting('kk');
    const file = saved('kk.pdf', await pool.renderOutline('pdf', councilProtocolOutline(input), NAMES.a2));
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' }).trim().split('\n').slice(2);
    expect(fonts.length).toBeGreaterThan(0);
    for (const line of fonts) {
      expect(line).toMatch(/DejaVuSans/);
      expect(line.split(/\s+/)[4], line).toBe('yes');
    }
    const text = oneLine(execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }));
    for (const line of [
      input.workspace.organisation,
      '№ 3 ХАТТАМА',
      'Қалалық әдістемелік кеңес отырысы',
      'Күні: 2026 ж. 4 желтоқсан',
      `Төраға: ${NAMES.a1}`,
      'Кворум бар (10 мүшеден 9, қажет — 6).',
      'КҮН ТӘРТІБІ',
      '1. ТЫҢДАЛДЫ:',
      'ҚАУЛЫ ЕТТІ:',
      `2.1. ${texts.decisions[2]}`,
      `Жауапты: ${NAMES.a3}; мерзімі: 20.12.2026 дейін`,
      'Дауыс берді: жақтап — 7, қарсы — 1, қалыс қалғандар — 1.',
      'Дауыс берді: бірауыздан.',
      `${NAMES.a2} (03:05) — ${texts.summary}`,
      'мерзімі өтті',
      'орындалды',
      `Төраға ____________ / ${NAMES.a1} /`,
      `Хатшы ____________ / ${NAMES.a2} /`,
    ]) {
      expect(text, line).toContain(line);
    }
    for (const letter of KAZAKH_LETTERS) expect(text, letter).toContain(letter);
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(/Title:\s+№ 3 ХАТТАМА — Қалалық әдістемелік кеңес/);
    expect(info).toContain(NAMES.a2);
    const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
    for (let p = 1; p <= pages; p++) expect(text).toContain(`${pages} беттің ${p}-беті`);
  });

  it('writes a Russian protocol in Russian', async () => {
    const { input } = councilMeeting('ru');
    const file = saved('ru.pdf', await pool.renderOutline('pdf', councilProtocolOutline(input)));
    const text = oneLine(execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }));
    for (const line of ['ПРОТОКОЛ № 3', 'заседания: Городской методический совет', 'Дата: 4 декабря 2026 г.', 'Кворум имеется (9 из 10, требуется 6).', 'ПОВЕСТКА ДНЯ', 'СЛУШАЛИ:', 'ВЫСТУПИЛИ:', 'ПОСТАНОВИЛИ:', 'Голосовали: за — 8, против — 0, воздержались — 1.', 'Стр. 1 из']) {
      expect(text, line).toContain(line);
    }
  });
});

describe('sending the protocol', () => {
  let app: FastifyInstance;
  let base: string;
  const { input } = councilMeeting('ru');
  const outline = councilProtocolOutline(input);

  beforeAll(async () => {
    app = Fastify();
    app.get<{ Querystring: { format?: string; name?: string } }>('/protocol', (req, reply) => {
      const format = req.query.format ?? 'md';
      if (!isProtocolFormat(format)) return reply.code(400).send({ error: 'format' });
      return sendProtocolDocument(reply, format, outline, req.query.name ?? 'protocol-3-2026', pool);
    });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => app.close());

  const get = (query: string) => fetch(`${base}/protocol?${query}`);

  it('answers Markdown as a file to save and HTML as a page to print', async () => {
    const md = await get('format=md');
    expect(md.status).toBe(200);
    expect(md.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(md.headers.get('content-disposition')).toBe('attachment; filename="protocol-3-2026.md"');
    expect(await md.text()).toContain('# ПРОТОКОЛ № 3');

    const html = await get('format=html');
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.headers.get('content-disposition')).toBe('inline; filename="protocol-3-2026.html"');
    const page = await html.text();
    expect(page).toContain('<h1>ПРОТОКОЛ № 3</h1>');
    expect(page).toContain('<p>Кворум имеется (9 из 10, требуется 6).</p>');
  });

  it('answers Word and PDF files rendered in the pool', async () => {
    const docx = await get('format=docx');
    expect(docx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(docx.headers.get('content-disposition')).toBe('attachment; filename="protocol-3-2026.docx"');
    expect(Buffer.from(await docx.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');
    const pdf = await get('format=pdf');
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('keeps a file name in Cyrillic for browsers and gives older clients an ASCII one', async () => {
    const res = await get(`format=md&name=${encodeURIComponent('Протокол №3 (2026)')}`);
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="_3_2026_.md"; filename*=UTF-8''${encodeURIComponent('Протокол №3 ')}%282026%29.md`,
    );
    expect(isProtocolFormat('odt')).toBe(false);
    expect((await get('format=odt')).status).toBe(400);
  });
});
