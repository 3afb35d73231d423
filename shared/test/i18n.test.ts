import { describe, expect, it } from 'vitest';
import { domainEn } from '../src/i18n/domain/en.js';
import { domainKk } from '../src/i18n/domain/kk.js';
import { domainRu } from '../src/i18n/domain/ru.js';
import { uiEn } from '../src/i18n/ui/en.js';
import { workspaceEn } from '../src/i18n/workspace/en.js';
import { workspaceKk } from '../src/i18n/workspace/kk.js';
import { workspaceRu } from '../src/i18n/workspace/ru.js';
import { protocolCouncilEn } from '../src/i18n/protocol-council/en.js';
import { protocolCouncilKk } from '../src/i18n/protocol-council/kk.js';
import { protocolCouncilRu } from '../src/i18n/protocol-council/ru.js';
import { cabinetEn } from '../src/i18n/cabinet/en.js';
import { cabinetKk } from '../src/i18n/cabinet/kk.js';
import { cabinetRu } from '../src/i18n/cabinet/ru.js';
import { projectsEn } from '../src/i18n/projects/en.js';
import { projectsKk } from '../src/i18n/projects/kk.js';
import { projectsRu } from '../src/i18n/projects/ru.js';
import { projectDocsEn } from '../src/i18n/project-docs/en.js';
import { projectDocsKk } from '../src/i18n/project-docs/kk.js';
import { projectDocsRu } from '../src/i18n/project-docs/ru.js';
import { interviewEn } from '../src/i18n/interview/en.js';
import { interviewKk } from '../src/i18n/interview/kk.js';
import { interviewRu } from '../src/i18n/interview/ru.js';
import { CATALOGUES, ERROR_CODES, pickLocale, TEMPLATE_IDS, TEMPLATES, translate, type Locale } from '../src/index.js';

const DOMAIN: Record<Locale, Record<string, string>> = { en: domainEn, ru: domainRu, kk: domainKk };
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('domain catalogues', () => {
  it.each(['ru', 'kk'] as const)('%s has exactly the keys of en', (locale) => {
    const en = Object.keys(domainEn).sort();
    const other = Object.keys(DOMAIN[locale]).sort();
    expect(en.filter((k) => !other.includes(k))).toEqual([]);
    expect(other.filter((k) => !en.includes(k))).toEqual([]);
  });

  it.each(['en', 'ru', 'kk'] as const)('%s has no empty text', (locale) => {
    expect(Object.entries(DOMAIN[locale]).filter(([, v]) => v.trim() === '')).toEqual([]);
  });

  it.each(['ru', 'kk'] as const)('%s uses the same placeholders as en', (locale) => {
    const mismatched = Object.keys(domainEn).filter(
      (k) => JSON.stringify(placeholders(domainEn[k]!)) !== JSON.stringify(placeholders(DOMAIN[locale][k] ?? '')),
    );
    expect(mismatched).toEqual([]);
  });

  it('names every template, stage and error in every language', () => {
    const keys = [
      ...TEMPLATE_IDS.map((id) => `template.${id}.name`),
      ...TEMPLATE_IDS.flatMap((id) => TEMPLATES[id].stages.flatMap((s) => [`stage.${s.key}.title`, `stage.${s.key}.instructions`])),
      ...ERROR_CODES.map((code) => `error.${code}`),
    ];
    for (const locale of ['en', 'ru', 'kk'] as const) {
      expect(keys.filter((k) => !(k in CATALOGUES[locale]))).toEqual([]);
    }
  });

  it('writes Kazakh with Kazakh letters', () => {
    expect(domainKk['minutes.heading']).toBe('Хаттама');
    expect(domainKk['minutes.decided']).toBe('ШЕШТІ');
    expect(Object.values(domainKk).join(' ')).toMatch(/[ӘәҒғҚқҢңӨөҰұҮүІі]/);
  });
});

describe('the workspace, council protocol, cabinet, project and interview catalogues', () => {
  const SETS: [string, Record<Locale, Record<string, string>>][] = [
    ['workspace', { en: workspaceEn, ru: workspaceRu, kk: workspaceKk }],
    ['council protocol', { en: protocolCouncilEn, ru: protocolCouncilRu, kk: protocolCouncilKk }],
    ['cabinet', { en: cabinetEn, ru: cabinetRu, kk: cabinetKk }],
    ['projects', { en: projectsEn, ru: projectsRu, kk: projectsKk }],
    ['project documents', { en: projectDocsEn, ru: projectDocsRu, kk: projectDocsKk }],
    ['interview', { en: interviewEn, ru: interviewRu, kk: interviewKk }],
  ];
  it.each(SETS)('%s: ru and kk have exactly the keys of en, none empty, the same placeholders', (_name, set) => {
    const en = Object.keys(set.en).sort();
    for (const locale of ['ru', 'kk'] as const) {
      expect(Object.keys(set[locale]).sort()).toEqual(en);
      expect(Object.entries(set[locale]).filter(([, v]) => v.trim() === '')).toEqual([]);
      expect(en.filter((k) => JSON.stringify(placeholders(set.en[k]!)) !== JSON.stringify(placeholders(set[locale][k]!)))).toEqual([]);
    }
  });

  it('no key is defined by two catalogues, so none silently replaces another', () => {
    const all = [domainEn, uiEn, workspaceEn, protocolCouncilEn, cabinetEn, projectsEn, projectDocsEn, interviewEn].flatMap((c) => Object.keys(c));
    expect(all.filter((k, i) => all.indexOf(k) !== i)).toEqual([]);
  });
});

describe('translate', () => {
  it('fills in parameters', () => {
    expect(translate('ru', 'minutes.present', { count: 6 })).toBe('Присутствовали: 6');
    expect(translate('kk', 'group.default', { n: 2 })).toBe('2-топ');
    expect(translate('en', 'minutes.vote.summary', { voters: 5, dots: 12 })).toBe('Voters: 5; votes cast: 12.');
  });

  it('leaves a placeholder it has no value for', () => {
    expect(translate('en', 'group.default', {})).toBe('Group {n}');
  });

  it('falls back to the key itself when no language has it', () => {
    expect(translate('kk', 'no.such.key')).toBe('no.such.key');
  });
});

describe('pickLocale', () => {
  it('picks the first of our languages from the browser list', () => {
    expect(pickLocale(['de-DE', 'kk-KZ', 'ru'])).toBe('kk');
    expect(pickLocale(['EN-gb'])).toBe('en');
    expect(pickLocale(['de', 'fr'])).toBe('ru');
    expect(pickLocale([], 'kk')).toBe('kk');
  });
});
