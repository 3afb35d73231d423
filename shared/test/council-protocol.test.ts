import { describe, expect, it } from 'vitest';
import { protocolCouncilEn } from '../src/i18n/protocol-council/en.js';
import { protocolCouncilKk } from '../src/i18n/protocol-council/kk.js';
import { protocolCouncilRu } from '../src/i18n/protocol-council/ru.js';
import { renderOutlineHtml } from '../src/minutes/html.js';
import { renderOutlineMarkdown } from '../src/minutes/markdown.js';
import { councilProtocolOutline, protocolDate, protocolDay, type CouncilProtocolInput } from '../src/workspace/protocol.js';
import { councilMeeting, NAMES, run, T0, TEXTS } from './council-fixture.js';

const markdown = (input: CouncilProtocolInput) => renderOutlineMarkdown(councilProtocolOutline(input));

/** Where each line first appears, so a test can say what comes before what. */
function order(text: string, lines: string[]): number[] {
  return lines.map((l) => {
    const at = text.indexOf(l);
    expect(at, l).toBeGreaterThanOrEqual(0);
    return at;
  });
}
const ascending = (xs: number[]) => xs.every((x, i) => i === 0 || xs[i - 1]! < x);

describe('the council protocol in Russian', () => {
  const { input, texts } = councilMeeting('ru');
  const md = markdown(input);

  it('heads it with the organisation, the number, the council, date, time, place, chair and secretary', () => {
    expect(md.startsWith(`**${input.workspace.organisation}**\n\n# ПРОТОКОЛ № 3\n\nзаседания: Городской методический совет\n`)).toBe(true);
    expect(md).toContain('**Дата:** 4 декабря 2026 г.');
    expect(md).toContain('**Время:** 15:00');
    // The meeting names no place of its own, so the workspace's is used.
    expect(md).toContain('**Место проведения:** г. Алматы, ул. Абая, 12');
    expect(md).toContain(`**Председатель:** ${NAMES.a1}`);
    expect(md).toContain(`**Секретарь:** ${NAMES.a2}`);
    expect(md).not.toContain('Проект');
  });

  it('lists who was present (alphabetically), who was absent, the quorum and the invited', () => {
    const present = Object.entries(NAMES)
      .filter(([id]) => id !== 'a10')
      .map(([, n]) => n)
      .sort(new Intl.Collator('ru-RU').compare);
    expect(md).toContain(`**Присутствовали:** 9 из 10 — ${present.join(', ')}`);
    expect(md).toContain(`**Отсутствовали:** ${NAMES.a10}`);
    expect(md).toContain('Кворум имеется (9 из 10, требуется 6).');
    expect(md).toContain(`**Приглашённые:**\n\n- ${texts.guest}, ${texts.position}`);
  });

  it('numbers the agenda with its reporters, the review of earlier decisions first', () => {
    expect(md).toContain(
      [
        '## ПОВЕСТКА ДНЯ',
        '',
        `1. О ходе исполнения ранее принятых решений. Докладчик: ${NAMES.a1}.`,
        `2. ${texts.item}. Докладчик: ${texts.reporter}.`,
      ].join('\n'),
    );
  });

  it('reviews the earlier decisions with their protocol, responsible, deadline and status now', () => {
    expect(md).toContain('| № | Решение | № протокола | Ответственный | Срок | Статус |');
    expect(md).toContain(`| 1 | ${texts.earlier[0]} | № 2 от 15.10.2026 | ${NAMES.a3} | 30.11.2026 | просрочено |`);
    expect(md).toContain(`| 2 | ${texts.earlier[1]} | № 2 от 15.10.2026 | ${NAMES.a5} | 15.01.2027 | в работе |`);
    expect(md).toContain(`| 3 | ${texts.earlier[2]} | № 2 от 15.10.2026 | ${NAMES.a6} | 01.12.2026 | выполнено |`);
  });

  it('records each item as СЛУШАЛИ, ВЫСТУПИЛИ and ПОСТАНОВИЛИ with numbered decisions, who, by when and the vote', () => {
    const [heardFirst, heardSecond] = texts.heard.split('\n');
    const at = order(md, [
      `**1. СЛУШАЛИ:** ${NAMES.a1} — О ходе исполнения ранее принятых решений`,
      '**ПОСТАНОВИЛИ:**',
      `1.1. ${texts.decisions[0]}\n\nГолосовали: единогласно.`,
      `1.2. ${texts.decisions[1]}\n\nСрок: до 15.01.2027\n\nГолосовали: за — 7, против — 1, воздержались — 1.`,
      `**2. СЛУШАЛИ:** ${texts.reporter} — ${heardFirst}\n\n${heardSecond}`,
      `**ВЫСТУПИЛИ:**\n\n- ${NAMES.a2} (03:05) — ${texts.summary}\n- ${texts.guest} (01:30) — ${texts.guestSummary}\n`,
      `2.1. ${texts.decisions[2]}\n\nОтветственный: ${NAMES.a3}; срок: до 20.12.2026\n\nГолосовали: за — 8, против — 0, воздержались — 1.`,
      `2.2. ${texts.decisions[3]}\n\nОтветственный: ${texts.responsibleName}; срок: постоянно\n\nГолосовали: единогласно.`,
      `Председатель ____________ / ${NAMES.a1} /\n\nСекретарь ____________ / ${NAMES.a2} /\n`,
    ]);
    expect(ascending(at)).toBe(true);
    // Сейітов asked for the floor but never had it: he is not among those who spoke.
    expect(md.slice(md.indexOf('**ВЫСТУПИЛИ:**'))).not.toContain(NAMES.a7);
    expect(md.endsWith(`Секретарь ____________ / ${NAMES.a2} /\n`)).toBe(true);
  });

  it('keeps the block structure renderers walk: a title first, the two signatures last', () => {
    const outline = councilProtocolOutline(input);
    expect(outline.lang).toBe('ru-RU');
    expect(outline.title).toBe('ПРОТОКОЛ № 3 — Городской методический совет');
    expect(outline.pageLabel).toBe('Стр. {page} из {pages}');
    expect(outline.blocks[0]!.kind).toBe('title');
    expect(outline.blocks.slice(-2).map((b) => b.kind)).toEqual(['signature', 'signature']);
    expect(new Set(outline.blocks.map((b) => b.kind))).toEqual(new Set(['title', 'fields', 'paragraph', 'list', 'heading', 'table', 'signature']));
  });
});

describe('the council protocol in Kazakh', () => {
  const { input, texts } = councilMeeting('kk');
  const md = markdown(input);

  it('writes the head, attendance and quorum in Kazakh', () => {
    expect(md).toContain('# № 3 ХАТТАМА\n\nҚалалық әдістемелік кеңес отырысы\n');
    expect(md).toContain('**Күні:** 2026 ж. 4 желтоқсан');
    expect(md).toContain('**Өткізілген орны:** г. Алматы, ул. Абая, 12');
    expect(md).toContain(`**Төраға:** ${NAMES.a1}`);
    expect(md).toContain(`**Хатшы:** ${NAMES.a2}`);
    expect(md).toMatch(/\*\*Қатысқандар:\*\* 10 мүшеден 9 — /);
    expect(md).toContain(`**Қатыспағандар:** ${NAMES.a10}`);
    expect(md).toContain('Кворум бар (10 мүшеден 9, қажет — 6).');
    expect(md).toContain(`**Шақырылғандар:**\n\n- ${texts.guest}, ${texts.position}`);
  });

  it('writes the agenda, the proceedings and the votes in Kazakh', () => {
    const at = order(md, [
      '## КҮН ТӘРТІБІ',
      `1. Бұрын қабылданған шешімдердің орындалу барысы туралы. Баяндамашы: ${NAMES.a1}.`,
      `**1. ТЫҢДАЛДЫ:** ${NAMES.a1} — Бұрын қабылданған шешімдердің орындалу барысы туралы`,
      `| 1 | ${texts.earlier[0]} | 15.10.2026 № 2 | ${NAMES.a3} | 30.11.2026 | мерзімі өтті |`,
      `| 3 | ${texts.earlier[2]} | 15.10.2026 № 2 | ${NAMES.a6} | 01.12.2026 | орындалды |`,
      '**ҚАУЛЫ ЕТТІ:**',
      `1.1. ${texts.decisions[0]}\n\nДауыс берді: бірауыздан.`,
      `1.2. ${texts.decisions[1]}\n\nМерзімі: 15.01.2027 дейін\n\nДауыс берді: жақтап — 7, қарсы — 1, қалыс қалғандар — 1.`,
      `**2. ТЫҢДАЛДЫ:** ${texts.reporter} — ${texts.heard.split('\n')[0]}`,
      `**СӨЙЛЕДІ:**\n\n- ${NAMES.a2} (03:05) — ${texts.summary}`,
      `2.1. ${texts.decisions[2]}\n\nЖауапты: ${NAMES.a3}; мерзімі: 20.12.2026 дейін\n\nДауыс берді: жақтап — 8, қарсы — 0, қалыс қалғандар — 1.`,
      `2.2. ${texts.decisions[3]}\n\nЖауапты: ${texts.responsibleName}; мерзімі: тұрақты\n\nДауыс берді: бірауыздан.`,
      `Төраға ____________ / ${NAMES.a1} /\n\nХатшы ____________ / ${NAMES.a2} /`,
    ]);
    expect(ascending(at)).toBe(true);
    expect(md).toContain('| 2 | ');
    expect(md).toContain('| орындалуда |');
  });
});

describe('the council protocol in English', () => {
  const { input, texts } = councilMeeting('en');
  const md = markdown(input);

  it('writes every part in English', () => {
    const at = order(md, [
      '# MINUTES No. 3\n\nof the meeting of Городской методический совет',
      '**Date:** 4 December 2026',
      '**Place:** г. Алматы, ул. Абая, 12',
      `**Chair:** ${NAMES.a1}`,
      `**Secretary:** ${NAMES.a2}`,
      '**Present:** 9 of 10 — ',
      `**Absent:** ${NAMES.a10}`,
      'Quorum present (9 of 10, 6 required).',
      `**Invited:**\n\n- ${texts.guest}`,
      '## AGENDA',
      `1. On the execution of earlier decisions. Reporter: ${NAMES.a1}.`,
      `**1. HEARD:** ${NAMES.a1} — On the execution of earlier decisions`,
      `| 1 | ${texts.earlier[0]} | No. 2 of 15/10/2026 | ${NAMES.a3} | 30/11/2026 | overdue |`,
      '**DECIDED:**',
      'Vote: unanimously.',
      'Deadline: 15/01/2027',
      'Vote: for 7, against 1, abstained 1.',
      '**2. HEARD:**',
      `**SPOKE:**\n\n- ${NAMES.a2} (03:05) — ${texts.summary}`,
      `Responsible: ${NAMES.a3}; deadline: 20/12/2026`,
      'Vote: for 8, against 0, abstained 1.',
      `Responsible: ${texts.responsibleName}; deadline: ongoing`,
      `Chair ____________ / ${NAMES.a1} /`,
      `Secretary ____________ / ${NAMES.a2} /`,
    ]);
    expect(ascending(at)).toBe(true);
  });
});

describe('what the protocol says in other cases', () => {
  it('marks a protocol of a meeting not yet closed as a draft, with when it was drawn up in the given zone', () => {
    const { input } = councilMeeting('ru', { status: 'open' });
    const md = markdown(input);
    expect(md).toContain('*Проект: заседание не закрыто, протокол сформирован 04.12.2026 в 17:00.*');
    expect(md.indexOf('Проект')).toBeGreaterThan(md.indexOf('# ПРОТОКОЛ № 3'));
    expect(markdown({ ...input, locale: 'kk' })).toContain('*Жоба: отырыс жабылмаған, хаттама 04.12.2026, 17:00 жасалды.*');
    // An unknown zone falls back to UTC instead of failing.
    expect(markdown({ ...input, timeZone: 'Mars/Olympus' })).toContain('сформирован 04.12.2026 в 12:00.');
  });

  it('states that there is no quorum when too few members came', () => {
    const { input } = councilMeeting('ru');
    const attendance = { a1: 'present', a2: 'present', a3: 'present', a4: 'present', a5: 'absent' } as const;
    const md = markdown({ ...input, meeting: { ...input.meeting, attendance } });
    expect(md).toContain('**Присутствовали:** 4 из 10 — ');
    expect(md).toContain('Кворума нет (4 из 10, требуется 6).');
    // Members never marked are not present: they are listed as absent.
    expect(md).toContain(`**Отсутствовали:** ${['a5', 'a6', 'a7', 'a8', 'a9', 'a10'].map((id) => NAMES[id]!).sort(new Intl.Collator('ru-RU').compare).join(', ')}`);
    // With four present, 4–0–0 is everyone present, so unanimous.
    const two = markdown({ ...input, meeting: { ...input.meeting, attendance, quorum: { kind: 'count', min: 4 } } });
    expect(two).toContain('Кворум имеется (4 из 10, требуется 4).');
    expect(markdown({ ...input, locale: 'en', meeting: { ...input.meeting, attendance } })).toContain('No quorum (4 of 10, 6 required).');
    expect(markdown({ ...input, locale: 'kk', meeting: { ...input.meeting, attendance } })).toContain('Кворум жоқ (10 мүшеден 4, қажет — 6).');
  });

  it('calls a vote unanimous only when everyone present voted for', () => {
    const { input } = councilMeeting('ru');
    // 9 for with 9 present is unanimous; the same 9 with a tenth member present is not.
    const md = markdown({ ...input, meeting: { ...input.meeting, attendance: { ...input.meeting.attendance, a10: 'present' } } });
    expect(md.match(/Голосовали: за — 9, против — 0, воздержались — 0\./g)).toHaveLength(2);
    expect(md).not.toContain('единогласно');
    expect(markdown(input).match(/Голосовали: единогласно\./g)).toHaveLength(2);
  });

  it('draws up an empty meeting without a chair or secretary, leaving blanks to sign by hand', () => {
    const { input } = councilMeeting('ru');
    const meeting = { ...input.meeting, items: [], guests: [], chairId: null, secretaryId: null, place: 'Актовый зал', time: '' };
    const md = markdown({ ...input, meeting });
    expect(md).toContain('**Место проведения:** Актовый зал');
    expect(md).not.toContain('**Время:**');
    expect(md).not.toContain('**Председатель:**');
    expect(md).not.toContain('Приглашённые');
    expect(md).toContain('## ПОВЕСТКА ДНЯ\n\nВопросы в повестку дня не внесены.');
    expect(md).toContain('Председатель ____________ / ________________ /');
    expect(md).toContain('Секретарь ____________ / ________________ /');
  });

  it('says so when an item took no decision or a review item had nothing to review', () => {
    const { input } = councilMeeting('ru');
    const items = input.meeting.items.map((it) => ({ ...it, decisions: [], reviewed: it.kind === 'execution' ? [] : it.reviewed }));
    const md = markdown({ ...input, meeting: { ...input.meeting, items } });
    expect(md).toContain('На контроле не было решений.');
    expect(md.match(/\*\*ПОСТАНОВИЛИ:\*\*\n\nРешение не принималось\./g)).toHaveLength(2);
  });

  it('keeps a review item renamed by the secretary under its new title', () => {
    const { input } = councilMeeting('ru');
    const meeting = run({ ...input.meeting, status: 'open' }, [{ type: 'item.update', id: 'r1', title: 'Контроль исполнения решений' }], T0);
    const md = markdown({ ...input, meeting });
    expect(md).toContain(`1. Контроль исполнения решений. Докладчик: ${NAMES.a1}.`);
    expect(md).not.toContain('О ходе исполнения ранее принятых решений');
  });

  it('makes typed text inert: markup stays text in Markdown and HTML', () => {
    const { input } = councilMeeting('ru');
    const hostile = '# <script>alert(1)</script> **жирный** | столбец';
    const items = input.meeting.items.map((it) => ({ ...it, title: hostile, heard: hostile }));
    const tampered = { ...input, meeting: { ...input.meeting, items }, council: { ...input.council, name: '<b>Совет</b>' } };
    const md = markdown(tampered);
    expect(md).toContain('2. \\# \\<script>alert(1)\\</script> \\*\\*жирный\\*\\* \\| столбец.');
    expect(md).not.toMatch(/(?<!\\)<script>/);
    const html = renderOutlineHtml(councilProtocolOutline(tampered));
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>Совет</b>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('<title>ПРОТОКОЛ № 3 — &lt;b&gt;Совет&lt;/b&gt;</title>');
    expect(html).toContain('<html lang="ru-RU">');
  });

  it('writes dates in words and in figures for each language', () => {
    expect(protocolDate('2026-12-04', 'ru')).toBe('4 декабря 2026 г.');
    expect(protocolDate('2026-12-04', 'en')).toBe('4 December 2026');
    expect(protocolDate('2026-12-04', 'kk')).toMatch(/^2026 ж\. 4 желтоқсан$/);
    expect(protocolDay('2026-12-20', 'ru')).toBe('20.12.2026');
    expect(protocolDay('2026-12-20', 'kk')).toBe('20.12.2026');
    expect(protocolDay('2026-12-20', 'en')).toBe('20/12/2026');
  });

  it('uses the typed texts of a Kazakh council as typed', () => {
    const { input } = councilMeeting('ru', { texts: 'kk' });
    expect(markdown(input)).toContain(`2. ${TEXTS.kk.item}. Докладчик: ${TEXTS.kk.reporter}.`);
  });
});

describe('the council protocol catalogues', () => {
  const CATALOGUES = { en: protocolCouncilEn, ru: protocolCouncilRu, kk: protocolCouncilKk };
  const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

  it.each(['ru', 'kk'] as const)('%s has the keys and placeholders of en, and no empty text', (locale) => {
    expect(Object.keys(CATALOGUES[locale]).sort()).toEqual(Object.keys(protocolCouncilEn).sort());
    for (const [key, text] of Object.entries(protocolCouncilEn)) {
      expect(placeholders(CATALOGUES[locale][key]!), key).toEqual(placeholders(text));
      expect(CATALOGUES[locale][key]!.trim(), key).not.toBe('');
    }
  });
});
