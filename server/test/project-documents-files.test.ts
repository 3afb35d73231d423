import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portfolioOutline } from '../../shared/src/projects/portfolio-document.js';
import { projectDossierOutline } from '../../shared/src/projects/dossier.js';
import { DAY, NAMES, portfolioView, projectView, T0, TEACHER, ZONE } from '../../shared/test/project-docs-fixture.js';
import { docxParagraphs, pdfFonts, pdfText } from '../../tests/helpers/documents.js';
import { documentFileBase, isDossierFormat, isPortfolioFormat, sendDossier, sendPortfolioDocument } from '../src/export/projects.js';
import { RenderPool } from '../src/export/render-pool.js';

/** Every letter Kazakh adds to the Russian alphabet (Ң, which starts no word, only in lower case). */
const KAZAKH_LETTERS = [...'ӘәҒғҚқңӨөҰұҮүҺһІі'];
const ORG = 'ГУ «Отдел образования г. Актобе»';

const pool = new RenderPool({ size: 1 });
afterAll(() => pool.close());

const dossierCtx = (locale: 'ru' | 'kk') => ({ locale, organisation: ORG, workspaceName: 'Методический кабинет', generatedAt: T0 + 280 * DAY, timeZone: ZONE });
const dossierFile = (format: 'docx' | 'pdf', locale: 'ru' | 'kk') => pool.renderOutline(format, projectDossierOutline(projectView(locale).view, dossierCtx(locale)));
const portfolioFile = (format: 'docx' | 'pdf', locale: 'ru' | 'kk') =>
  pool.renderOutline(format, portfolioOutline(portfolioView(locale).view, { locale, generatedAt: T0 + 160 * DAY, timeZone: ZONE }));

describe('the project dossier as a Word document and a PDF', () => {
  it('holds the Russian dossier: headings, the figures, W, the names and the timeline', async () => {
    const { texts } = projectView('ru');
    const paragraphs = docxParagraphs(await dossierFile('docx', 'ru'));
    for (const line of [
      ORG,
      'Досье проекта',
      `«${texts.title}»`,
      'Паспорт проекта',
      `Руководитель проекта: ${NAMES.mgr}`,
      `1.\t${NAMES.mate} — ${texts.teamRole}`,
      'Показатели результативности',
      '20.12.2026: 35; 24.05.2027: 50',
      '75\u00a0%',
      'Контрольные точки',
      'сдан 20.12.2026',
      `Отчёт № 1: ${texts.milestones[0]}`,
      `Приложенные файлы: ${texts.file}`,
      'Экспертная оценка',
      'Итоговый взвешенный балл: 3,58 по шкале от 1 до 5 (65\u00a0%).',
      'Коэффициент конкордации Кендалла W: W = 0,778 (χ² = 4,67; df = 2; p = 0,097) — высокая согласованность',
      NAMES.e3,
      'История статусов',
      texts.notes[1],
    ]) {
      expect(paragraphs, line).toContain(line);
    }
  });

  it('holds the Kazakh dossier as a PDF with an embedded font, every Kazakh letter read back', async () => {
    const { texts } = projectView('kk');
    const file = await dossierFile('pdf', 'kk');
    for (const line of pdfFonts(file)) expect(line.split(/\s+/)[4], line).toBe('yes');
    const text = pdfText(file);
    for (const line of [
      'Жоба досьесі',
      'Жоба паспорты',
      `Жоба жетекшісі: ${NAMES.mgr}`,
      'Нәтижелілік көрсеткіштері',
      texts.indicators[0],
      'Бақылау нүктелері',
      `№ 1 есеп: ${texts.milestones[0]}`,
      'Сараптамалық бағалау',
      'Қорытынды салмақты балл: 1–5 шкаласы бойынша 3,58 (65%).',
      'W = 0,778',
      'жоғары келісімділік',
      'Мәртебелер тарихы',
      NAMES.boss,
    ]) {
      expect(text, line).toContain(line);
    }
    for (const letter of KAZAKH_LETTERS) expect(text, letter).toContain(letter);
  });

  it('holds the Kazakh dossier as a Word document, and the Russian one as a PDF', async () => {
    const kk = docxParagraphs(await dossierFile('docx', 'kk')).join('\n');
    for (const line of ['Жоба паспорты', 'Нәтижелілік көрсеткіштері', 'Мәртебелер тарихы', 'аяқталған', NAMES.e1]) expect(kk, line).toContain(line);
    const ru = pdfText(await dossierFile('pdf', 'ru'));
    for (const line of ['Досье проекта', 'Паспорт проекта', 'Показатели результативности', 'W = 0,778', NAMES.mate, 'Стр. 1 из']) expect(ru, line).toContain(line);
  });
});

describe('the portfolio document as a Word document and a PDF', () => {
  it('is in Russian with its title page, contents, sections and appendices', async () => {
    const { texts } = portfolioView('ru');
    const paragraphs = docxParagraphs(await portfolioFile('docx', 'ru'));
    for (const line of [
      texts.school,
      'Портфолио педагога',
      `Ф. И. О.: ${TEACHER}`,
      `Квалификационная категория: ${texts.category}`,
      'Учебный год: 2026–2027',
      'Содержание',
      '1. Пояснительная записка',
      '7. Самоанализ урока по видеозаписи',
      'Приложения',
      texts.products[1],
      'Приложение 1',
      texts.sharedEntry,
      `01:35 — ${texts.timed[0]}`,
      texts.files[1],
    ]) {
      expect(paragraphs, line).toContain(line);
    }
    expect(paragraphs.join('\n')).not.toContain(texts.privateEntry);
  });

  it('is in Kazakh as a PDF, every Kazakh letter read back, the private entry left out', async () => {
    const { texts } = portfolioView('kk');
    const text = pdfText(await portfolioFile('pdf', 'kk'));
    for (const line of ['Педагогтің портфолиосы', TEACHER, 'Мазмұны', '1. Түсіндірме жазба', '5. Әдістемелік өнімдер', 'Қосымшалар', '1-қосымша', texts.certificate, texts.sharedEntry]) {
      expect(text, line).toContain(line);
    }
    expect(text).not.toContain(texts.privateEntry);
    for (const letter of KAZAKH_LETTERS) expect(text, letter).toContain(letter);
  });
});

describe('sending the documents', () => {
  let app: FastifyInstance;
  let base: string;

  beforeAll(async () => {
    app = Fastify();
    app.get<{ Querystring: { format?: string } }>('/dossier', (req, reply) => {
      const format = req.query.format ?? 'md';
      if (!isDossierFormat(format)) return reply.code(400).send({ error: 'format' });
      return sendDossier(reply, format, projectView('ru').view, dossierCtx('ru'), pool);
    });
    app.get<{ Querystring: { format?: string } }>('/portfolio', (req, reply) => {
      const format = req.query.format ?? 'md';
      if (!isPortfolioFormat(format)) return reply.code(400).send({ error: 'format' });
      return sendPortfolioDocument(reply, format, portfolioView('kk').view, { locale: 'kk' }, pool);
    });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => app.close());

  const disposition = (name: string) => `filename*=UTF-8''${encodeURIComponent(name)}`;

  it('names the dossier after the project in any script, and sends its CSV as a spreadsheet file', async () => {
    const { texts } = projectView('ru');
    const csv = await fetch(`${base}/dossier?format=csv`);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toContain(disposition(`Досье проекта — ${texts.title}.csv`));
    const body = new Uint8Array(await csv.arrayBuffer());
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(body)).toContain(`${texts.indicators[0]},%,20,60,${texts.milestones[1]},2027-05-24,50\r\n`);

    const pdf = await fetch(`${base}/dossier?format=pdf`);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toContain(disposition(`Досье проекта — ${texts.title}.pdf`));
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    const md = await fetch(`${base}/dossier`);
    expect(md.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(await md.text()).toContain('# Досье проекта');
  });

  it('names the portfolio after the teacher and answers Word files; an unknown format is refused', async () => {
    const docx = await fetch(`${base}/portfolio?format=docx`);
    expect(docx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(docx.headers.get('content-disposition')).toContain(disposition(`Педагогтің портфолиосы — ${TEACHER}.docx`));
    expect(docxParagraphs(Buffer.from(await docx.arrayBuffer()))).toContain('Педагогтің портфолиосы');
    expect((await fetch(`${base}/portfolio?format=csv`)).status).toBe(400);
    expect((await fetch(`${base}/dossier?format=html`)).status).toBe(400);
  });

  it('keeps a file name free of what file systems refuse', () => {
    expect(documentFileBase('Досье проекта', 'A/B: "C"\n*?')).toBe('Досье проекта — A B C');
    expect(documentFileBase('Досье проекта', '   ')).toBe('Досье проекта');
    expect(documentFileBase('Досье', 'ы'.repeat(200))).toHaveLength('Досье — '.length + 80);
  });
});
