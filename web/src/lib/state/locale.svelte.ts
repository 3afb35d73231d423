import { isLocale, LOCALES, pickLocale, translate, type Locale, type Params } from '@kenes/shared';

const STORAGE_KEY = 'kenes:lang';

/** Where the current language came from; a weaker source never overrides a stronger one. */
type Source = 'url' | 'chosen' | 'saved' | 'session' | 'browser';

export type LocaleMode =
  /** Landing and console: the URL, else a saved choice, else the browser's languages. */
  | 'personal'
  /** Teachers: the URL, else a saved choice, else the session's language. */
  | 'teacher'
  /** Projector: the URL, else the session's language; a saved choice is someone else's laptop. */
  | 'screen';

function readSaved(): Locale | null {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return isLocale(v) ? v : null;
  } catch {
    return null;
  }
}

function readUrl(): Locale | null {
  const v = new URLSearchParams(location.search).get('lang');
  return isLocale(v) ? v : null;
}

class LocaleState {
  current = $state<Locale>('ru');
  private source: Source = 'browser';
  private persist = true;

  readonly all = LOCALES;

  /** Settle the language for a page; call once when the page mounts. */
  init(mode: LocaleMode): void {
    this.persist = mode !== 'screen';
    const url = readUrl();
    const saved = mode === 'screen' ? null : readSaved();
    if (url) this.set(url, 'url');
    else if (saved) this.set(saved, 'saved');
    else this.set(pickLocale(navigator.languages ?? [navigator.language]), 'browser');
  }

  /** The session's language, once known; it wins only over the browser's guess. */
  offerSession(locale: Locale): void {
    if (this.source === 'browser' || this.source === 'session') this.set(locale, 'session');
  }

  /** The viewer picked a language in the switcher. */
  choose(locale: Locale): void {
    this.set(locale, 'chosen');
    if (!this.persist) return;
    try {
      localStorage.setItem(STORAGE_KEY, locale);
    } catch {
      // Private mode: the choice lasts for this page only.
    }
  }

  private set(locale: Locale, source: Source): void {
    this.current = locale;
    this.source = source;
  }
}

export const locale = new LocaleState();

/** Text from the catalogues in the current language; reading it in a template re-renders on a language change. */
export function t(key: string, params?: Params): string {
  return translate(locale.current, key, params);
}

const pluralRules = new Map<Locale, Intl.PluralRules>();

/** A count in words: `${key}.one|few|many|other` chosen by the language's plural rules (Russian has three forms). */
export function tn(key: string, n: number, params?: Params): string {
  let rules = pluralRules.get(locale.current);
  if (!rules) {
    rules = new Intl.PluralRules(locale.current);
    pluralRules.set(locale.current, rules);
  }
  const form = rules.select(n);
  const full = { n, ...params };
  const text = translate(locale.current, `${key}.${form}`, full);
  return text === `${key}.${form}` ? translate(locale.current, `${key}.other`, full) : text;
}
