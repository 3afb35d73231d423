import type { Locale } from '../model/types.js';
import { LOCALES } from '../model/types.js';
import { domainEn } from './domain/en.js';
import { domainKk } from './domain/kk.js';
import { domainRu } from './domain/ru.js';
import { uiEn } from './ui/en.js';
import { uiKk } from './ui/kk.js';
import { uiRu } from './ui/ru.js';
import { workspaceEn } from './workspace/en.js';
import { workspaceKk } from './workspace/kk.js';
import { workspaceRu } from './workspace/ru.js';
import { protocolCouncilEn } from './protocol-council/en.js';
import { protocolCouncilKk } from './protocol-council/kk.js';
import { protocolCouncilRu } from './protocol-council/ru.js';
import { cabinetEn } from './cabinet/en.js';
import { cabinetKk } from './cabinet/kk.js';
import { cabinetRu } from './cabinet/ru.js';
import { projectsEn } from './projects/en.js';
import { projectsKk } from './projects/kk.js';
import { projectsRu } from './projects/ru.js';
import { projectDocsEn } from './project-docs/en.js';
import { projectDocsKk } from './project-docs/kk.js';
import { projectDocsRu } from './project-docs/ru.js';
import { interviewEn } from './interview/en.js';
import { interviewKk } from './interview/kk.js';
import { interviewRu } from './interview/ru.js';

export type Messages = Record<string, string>;

/** One catalogue per language: domain terms, stages, errors and minutes, plus the screens' text. */
export const CATALOGUES: Record<Locale, Messages> = {
  en: { ...domainEn, ...uiEn, ...workspaceEn, ...protocolCouncilEn, ...cabinetEn, ...projectsEn, ...projectDocsEn, ...interviewEn },
  ru: { ...domainRu, ...uiRu, ...workspaceRu, ...protocolCouncilRu, ...cabinetRu, ...projectsRu, ...projectDocsRu, ...interviewRu },
  kk: { ...domainKk, ...uiKk, ...workspaceKk, ...protocolCouncilKk, ...cabinetKk, ...projectsKk, ...projectDocsKk, ...interviewKk },
};

export type Params = Record<string, string | number>;

/** Look a key up in a language, falling back to English, then to the key itself. */
export function translate(locale: Locale, key: string, params?: Params): string {
  const text = CATALOGUES[locale][key] ?? CATALOGUES.en[key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

export function isLocale(x: unknown): x is Locale {
  return typeof x === 'string' && (LOCALES as readonly string[]).includes(x);
}

/** Pick the best of our languages from a list such as navigator.languages. */
export function pickLocale(preferred: readonly string[], fallback: Locale = 'ru'): Locale {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLocale(base)) return base;
  }
  return fallback;
}
