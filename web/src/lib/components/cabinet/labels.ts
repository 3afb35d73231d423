import type { Locale, QuorumRule } from '@kenes/shared';

/** Each language names itself, so a reader finds theirs whatever the page's language is. */
export const LANGUAGE_NAMES: Record<Locale, string> = { ru: 'Русский', kk: 'Қазақша', en: 'English' };

/** A quorum rule as a catalogue key and its parameters. */
export function quorumRuleText(rule: QuorumRule): { key: string; params?: Record<string, number> } {
  switch (rule.kind) {
    case 'majority':
      return { key: 'quorum.rule.majority' };
    case 'two-thirds':
      return { key: 'quorum.rule.twoThirds' };
    case 'fraction':
      return { key: 'quorum.rule.fraction', params: { num: rule.num, den: rule.den } };
    case 'count':
      return { key: 'quorum.rule.count', params: { n: rule.min } };
  }
}

/** A date `YYYY-MM-DD` as the page's language writes it. */
export function formatDate(date: string, locale: Locale): string {
  const d = new Date(`${date}T12:00:00Z`);
  if (Number.isNaN(d.getTime())) return date;
  return new Intl.DateTimeFormat(locale === 'kk' ? 'kk-KZ' : locale === 'ru' ? 'ru-RU' : 'en-GB', { timeZone: 'UTC', dateStyle: 'long' }).format(d);
}

/** A new id for something added from this page (an item, a speaker, a decision). */
export function newId(): string {
  const bytes = new Uint8Array(9);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
