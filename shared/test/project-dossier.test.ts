import { describe, expect, it } from 'vitest';
import { renderOutlineMarkdown } from '../src/minutes/markdown.js';
import type { OutlineBlock } from '../src/minutes/outline.js';
import { plain } from '../src/minutes/spans.js';
import { projectDossierCsv, projectDossierOutline } from '../src/projects/dossier.js';
import { clockTime, portfolioOutline } from '../src/projects/portfolio-document.js';
import { DAY, NAMES, portfolioView, projectView, T0, TEACHER, ZONE } from './project-docs-fixture.js';

const at = T0 + 280 * DAY;
const dossier = (locale: 'ru' | 'kk', view = projectView(locale).view) =>
  projectDossierOutline(view, { locale, organisation: 'ГУ «Отдел образования г. Актобе»', workspaceName: 'Методический кабинет', generatedAt: at, timeZone: ZONE });

type Table = Extract<OutlineBlock, { kind: 'table' }>;
const headings = (blocks: OutlineBlock[], level: number) =>
  blocks.filter((b): b is Extract<OutlineBlock, { kind: 'heading' }> => b.kind === 'heading' && b.level === level).map((b) => plain(b.text));
/** The table right after the level-2 heading `title`. */
function tableUnder(blocks: OutlineBlock[], title: string): string[][] {
  const i = blocks.findIndex((b) => b.kind === 'heading' && plain(b.text) === title);
  const t = blocks.slice(i).find((b): b is Table => b.kind === 'table');
  return t!.rows.map((r) => r.map(plain));
}

describe('the project dossier in Russian', () => {
  const { view, texts } = projectView('ru');
  const outline = dossier('ru', view);
  const md = renderOutlineMarkdown(outline);

  it('heads it with the organisation, «Досье проекта» and the project, then the passport', () => {
    expect(outline.title).toBe(`Досье проекта — ${texts.title}`);
    expect(md.startsWith(`**ГУ «Отдел образования г. Актобе»**\n\n# Досье проекта\n\n«${texts.title}»\n\n*Сформировано 08.06.2027.*`)).toBe(true);
    expect(headings(outline.blocks, 2)).toEqual(['Паспорт проекта', 'Показатели результативности', 'Контрольные точки', 'Отчёты', 'История статусов']);
    for (const line of [
      '**Пространство:** Методический кабинет',
      `**Руководитель проекта:** ${NAMES.mgr}`,
      `**Цель:** ${texts.goal}`,
      `**Целевая аудитория:** ${texts.audience}`,
      `**Формы работы:** Мировое кафе, TED-конференция, Другое: ${texts.formsOther}`,
      '**Статус:** завершён',
      '**Источник:** прототип сессии ABC123',
      `1. ${NAMES.mate} — ${texts.teamRole}`,
    ]) {
      expect(md, line).toContain(line);
    }
  });

  it('follows each indicator from baseline to target through the reports, in time order', () => {
    expect(tableUnder(outline.blocks, 'Показатели результативности')).toEqual([
      ['1', texts.indicators[0], '%', '20', '60', '20.12.2026: 35; 24.05.2027: 50', '50', '75\u00a0%'],
      ['2', texts.indicators[1], 'уроков', '0', '10', '20.12.2026: 4; 24.05.2027: 12', '12', '100\u00a0%'],
    ]);
    const bars = outline.blocks.find((b) => b.kind === 'bars');
    expect(bars).toMatchObject({ max: 100, bars: [{ value: 75, display: '75\u00a0%' }, { value: 100, display: '100\u00a0%' }] });
  });

  it('marks each milestone as reported or not, with its kind and due date', () => {
    expect(tableUnder(outline.blocks, 'Контрольные точки')).toEqual([
      ['1', texts.milestones[0], 'промежуточный', '25.12.2026', 'сдан 20.12.2026'],
      ['2', texts.milestones[1], 'итоговый', '25.05.2027', 'сдан 24.05.2027'],
    ]);
    const reportless = projectView('ru').view;
    reportless.project = { ...reportless.project, reports: reportless.project.reports.slice(0, 1) };
    expect(tableUnder(dossier('ru', reportless).blocks, 'Контрольные точки')[1]![4]).toBe('не сдан');
  });

  it('gives each report its milestone, date, author, text, values and attachments', () => {
    expect(headings(outline.blocks, 3)).toEqual([`Отчёт № 1: ${texts.milestones[0]}`, `Отчёт № 2: ${texts.milestones[1]}`]);
    expect(md).toContain(`**Автор:** ${NAMES.mgr}`);
    expect(md).toContain(`**Автор:** ${NAMES.mate}`);
    expect(md).toContain(`**Приложенные файлы:** ${texts.file}`);
    expect(md).toContain('**Приложенные файлы:** нет');
    expect(md).toContain('Проведены три семинара.\n\nУчителя освоили онлайн-доски.');
    expect(md).toContain(`| ${texts.indicators[1]} | 12 | уроков |`);
  });

  it('prints the assessment: weights and means per criterion, each expert’s total, the total and Kendall’s W', () => {
    expect(headings(outline.blocks, 4)).toEqual(['Экспертная оценка']);
    expect(md).toContain('Оценивание завершено 24.12.2026; экспертов: 3. Шкала: от 1 до 5.');
    expect(md).toContain(`| ${texts.criteria[0]} | 0,50 | 3 | 4,67 | 5,00 | 0,47 |`);
    expect(md).toContain(`| ${texts.criteria[2]} | 0,25 | 3 | 2,00 | 2,00 | 0,82 |`);
    expect(md).toContain(`| 1 | ${NAMES.e1} | 4,00 | ${texts.comment} |`);
    expect(md).toContain(`| 3 | ${NAMES.e3} | 3,75 | — |`);
    expect(md).toContain('**Итоговый взвешенный балл: 3,58 по шкале от 1 до 5 (65\u00a0%).**');
    expect(md).toContain('**Коэффициент конкордации Кендалла W:** W = 0,778 (χ² = 4,67; df = 2; p = 0,097) — высокая согласованность');
  });

  it('ends with the status timeline, oldest first, with who changed it and why', () => {
    expect(tableUnder(outline.blocks, 'История статусов')).toEqual([
      ['01.09.2026', 'запланирован', NAMES.boss, '—'],
      ['03.09.2026', 'реализуется', NAMES.mgr, texts.notes[0]],
      ['29.05.2027', 'завершён', NAMES.boss, texts.notes[1]],
    ]);
  });

  it('says so where a project has no indicators, milestones or reports yet', () => {
    const bare = projectView('ru').view;
    bare.project = { ...bare.project, indicators: [], milestones: [], reports: [], team: [], source: null };
    bare.progress = [];
    const text = renderOutlineMarkdown(dossier('ru', bare));
    for (const line of ['Показатели не заданы.', 'Контрольные точки не заданы.', 'Отчёты пока не сданы.', 'Участники команды не указаны.']) expect(text).toContain(line);
    expect(text).not.toContain('Источник');
  });
});

describe('the project dossier in Kazakh', () => {
  const { view, texts } = projectView('kk');
  const outline = dossier('kk', view);
  const md = renderOutlineMarkdown(outline);

  it('has the Kazakh headings and labels', () => {
    expect(outline.lang).toBe('kk-KZ');
    expect(headings(outline.blocks, 2)).toEqual(['Жоба паспорты', 'Нәтижелілік көрсеткіштері', 'Бақылау нүктелері', 'Есептер', 'Мәртебелер тарихы']);
    expect(md).toContain('# Жоба досьесі');
    expect(md).toContain(`**Жоба жетекшісі:** ${NAMES.mgr}`);
    expect(md).toContain(`**Жұмыс формалары:** Әлемдік кафе, TED-конференция, Басқа: ${texts.formsOther}`);
    expect(md).toContain('**Мәртебесі:** аяқталған');
  });

  it('has the same figures, W and timeline', () => {
    expect(tableUnder(outline.blocks, 'Нәтижелілік көрсеткіштері')[0]).toEqual(['1', texts.indicators[0], '%', '20', '60', '20.12.2026: 35; 24.05.2027: 50', '50', '75%']);
    expect(md).toContain(`### № 1 есеп: ${texts.milestones[0]}`);
    expect(md).toContain('Бағалау 24.12.2026 аяқталды; сарапшылар: 3. Шкала: 1–5.');
    expect(md).toContain('**Қорытынды салмақты балл: 1–5 шкаласы бойынша 3,58 (65%).**');
    expect(md).toContain('**Кендаллдың конкордация коэффициенті W:** W = 0,778 (χ² = 4,67; df = 2; p = 0,097) — жоғары келісімділік');
    expect(tableUnder(outline.blocks, 'Мәртебелер тарихы').map((r) => r[1])).toEqual(['жоспарланған', 'іске асырылуда', 'аяқталған']);
  });
});

describe('the dossier as CSV', () => {
  const { view, texts } = projectView('ru');

  it('has one row per indicator and report, a BOM, CRLF and headers in the language asked', () => {
    const csv = projectDossierCsv(view, 'ru', ZONE);
    expect(csv.startsWith('\uFEFFПроект,Показатель,Ед. изм.,Исходное значение,Целевое значение,Контрольная точка,Дата отчёта,Значение\r\n')).toBe(true);
    const rows = csv.slice(1).split('\r\n');
    expect(rows.pop()).toBe('');
    expect(rows.slice(1)).toEqual([
      `${texts.title},${texts.indicators[0]},%,20,60,${texts.milestones[0]},2026-12-20,35`,
      `${texts.title},${texts.indicators[0]},%,20,60,${texts.milestones[1]},2027-05-24,50`,
      `${texts.title},${texts.indicators[1]},уроков,0,10,${texts.milestones[0]},2026-12-20,4`,
      `${texts.title},${texts.indicators[1]},уроков,0,10,${texts.milestones[1]},2027-05-24,12`,
    ]);
    expect(projectDossierCsv(view, 'kk').split('\r\n')[0]).toBe('\uFEFFЖоба,Көрсеткіш,Өлш. бірл.,Бастапқы мәні,Мақсатты мәні,Бақылау нүктесі,Есеп күні,Мәні');
  });

  it('neutralises a typed formula, quotes commas, and lists an indicator no report has given', () => {
    const typed = projectView('ru').view;
    typed.project = { ...typed.project, title: '=HYPERLINK("http://x","y")' };
    typed.progress = [{ ...typed.progress[0]!, name: 'Охват, %', points: [], latest: null, share: null }];
    const rows = projectDossierCsv(typed, 'ru').split('\r\n');
    expect(rows[1]).toBe(`"'=HYPERLINK(""http://x"",""y"")","Охват, %",%,20,60,,,`);
    expect(rows).toHaveLength(3);
  });
});

describe('the portfolio document', () => {
  const generatedAt = T0 + 160 * DAY;

  it('has a title page, the contents, the explanatory note and the sections, in Russian', () => {
    const { view, texts } = portfolioView('ru');
    const outline = portfolioOutline(view, { locale: 'ru', generatedAt, timeZone: ZONE });
    const md = renderOutlineMarkdown(outline);
    expect(outline.title).toBe(`Портфолио педагога — ${TEACHER}`);
    expect(md.startsWith(`**${texts.school}**\n\n# Портфолио педагога\n\n${TEACHER}\n`)).toBe(true);
    for (const line of [
      `**Ф. И. О.:** ${TEACHER}`,
      `**Должность:** ${texts.position}`,
      `**Квалификационная категория:** ${texts.category}`,
      `**Педагогический стаж:** ${texts.experience}`,
      '**Учебный год:** 2026–2027',
    ]) {
      expect(md, line).toContain(line);
    }
    const sections = [
      '1. Пояснительная записка',
      '2. Участие в методических мероприятиях',
      '3. Самооценка в динамике',
      '4. Рефлексия',
      '5. Методические продукты',
      '6. Сертификаты и повышение квалификации',
      '7. Самоанализ урока по видеозаписи',
    ];
    expect(headings(outline.blocks, 2)).toEqual(['Содержание', ...sections, 'Приложения']);
    expect(md).toContain(`## Содержание\n\n${[...sections, 'Приложения'].join('\n\n')}`);
    // The contents start a page of their own after the title page, and the note another.
    const breaks = outline.blocks.flatMap((b) => (b.kind === 'heading' && b.pageBreak ? [plain(b.text)] : []));
    expect(breaks).toEqual(['Содержание', sections[0], 'Приложения']);
    expect(md).toContain(`## 1. Пояснительная записка\n\nПортфолио отражает работу по внедрению ЦОР.\n\nСобрано за 2026–2027 учебный год.`);
  });

  it('lists sessions by date, self-ratings per criterion over time, products, certificates and the lesson notes', () => {
    const { view, texts } = portfolioView('ru');
    const outline = portfolioOutline(view, { locale: 'ru', generatedAt, timeZone: ZONE });
    const md = renderOutlineMarkdown(outline);
    expect(tableUnder(outline.blocks, '2. Участие в методических мероприятиях')).toEqual([
      ['1', '21.09.2026', 'KXR4PA', texts.sessions[0], 'Дизайн-мышление', texts.group, 'Секретарь'],
      ['2', '29.01.2027', 'QWE7RT', texts.sessions[1], 'Самооценка', '—', '—'],
    ]);
    expect(headings(outline.blocks, 3)).toContain(texts.criterion);
    expect(tableUnder(outline.blocks, '3. Самооценка в динамике')).toEqual([
      ['21.09.2026', texts.sessions[0], '3', '1–5'],
      ['29.01.2027', texts.sessions[1], '4', '1–5'],
    ]);
    expect(outline.blocks.find((b) => b.kind === 'bars')).toMatchObject({ max: 5, bars: [{ value: 3, display: '3 / 5' }, { value: 4, display: '4 / 5' }] });
    expect(tableUnder(outline.blocks, '5. Методические продукты')).toEqual([
      ['1', texts.products[0], 'программа', '2026', '—', 'https://example.org/robotics'],
      ['2', texts.products[1], 'учебно-методический комплекс', '2027', texts.coAuthors, 'Приложение 1'],
    ]);
    expect(tableUnder(outline.blocks, '6. Сертификаты и повышение квалификации')).toEqual([['1', texts.certificate, texts.issuer, '20.11.2026', 'Приложение 2']]);
    expect(md).toContain(`- 01:35 — ${texts.timed[0]}\n- 12:40 — ${texts.timed[1]}`);
    expect(md).toContain('**Видеозапись:** https://video.example.org/lesson-7');
  });

  it('takes in only the diary entries the teacher shared, and says so', () => {
    const { view, texts } = portfolioView('ru');
    const md = renderOutlineMarkdown(portfolioOutline(view, { locale: 'ru', generatedAt }));
    expect(md).toContain('Включены только записи дневника рефлексии, которыми педагог поделился.');
    expect(md).toContain(`| 21.09.2026 | ${texts.sessions[0]} | Успех | ${texts.sharedEntry} |`);
    expect(md).not.toContain(texts.privateEntry);
  });

  it('numbers every attached file as an appendix with its format and size, and lists every link', () => {
    const { view, texts } = portfolioView('ru');
    const outline = portfolioOutline(view, { locale: 'ru', generatedAt });
    expect(tableUnder(outline.blocks, 'Приложения')).toEqual([
      ['1', texts.files[0], 'DOCX', '1,5 МБ'],
      ['2', texts.files[1], 'PDF', '340 КБ'],
    ]);
    const md = renderOutlineMarkdown(outline);
    expect(md).toContain(`### Ссылки\n\n1. ${texts.products[0]} — https://example.org/robotics\n2. ${texts.video} — https://video.example.org/lesson-7`);
  });

  it('is in Kazakh with the Kazakh section names', () => {
    const { view, texts } = portfolioView('kk');
    const outline = portfolioOutline(view, { locale: 'kk', generatedAt });
    const md = renderOutlineMarkdown(outline);
    expect(headings(outline.blocks, 2)).toEqual([
      'Мазмұны',
      '1. Түсіндірме жазба',
      '2. Әдістемелік іс-шараларға қатысу',
      '3. Өзін-өзі бағалау серпіні',
      '4. Рефлексия',
      '5. Әдістемелік өнімдер',
      '6. Сертификаттар және біліктілікті арттыру',
      '7. Бейнежазба бойынша сабақты өзіндік талдау',
      'Қосымшалар',
    ]);
    expect(md).toContain('# Педагогтің портфолиосы');
    expect(md).toContain('**Оқу жылы:** 2026–2027');
    expect(md).toContain(`| 2 | ${texts.products[1]} | оқу-әдістемелік кешен | 2027 | ${texts.coAuthors} | 1-қосымша |`);
    expect(md).toContain(texts.sharedEntry);
    expect(md).not.toContain(texts.privateEntry);
  });

  it('says what is missing in an empty portfolio, and dates the academic year from September', () => {
    const { view } = portfolioView('ru');
    const empty = { ...view, sessions: [], diary: [], files: [], record: { ...view.record, note: '', products: [], certificates: [], videos: [], selfRatings: [] } };
    const md = renderOutlineMarkdown(portfolioOutline(empty, { locale: 'ru', generatedAt: Date.UTC(2027, 7, 31) }));
    for (const line of [
      'Пояснительная записка ещё не составлена.',
      'Участия в методических мероприятиях пока нет.',
      'Самооценок пока нет.',
      'Открытых записей дневника нет.',
      'Методические продукты не указаны.',
      'Сертификаты не указаны.',
      'Видеозаписи уроков пока не проанализированы.',
      'Файлы не приложены.',
      'Ссылок нет.',
      '**Учебный год:** 2026–2027',
    ]) {
      expect(md, line).toContain(line);
    }
    expect(renderOutlineMarkdown(portfolioOutline(empty, { locale: 'ru', generatedAt: Date.UTC(2027, 8, 1) }))).toContain('**Учебный год:** 2027–2028');
  });

  it('writes the moments of a recording as mm:ss', () => {
    expect([0, 59.6, 95, 3600].map(clockTime)).toEqual(['00:00', '01:00', '01:35', '60:00']);
  });
});
