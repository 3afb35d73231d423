import { translate, type Params } from '../i18n/index.js';
import { numberWriter, type NumberWriter } from '../minutes/ballots.js';
import { localeTag } from '../minutes/build.js';
import type { OutlineBlock, OutlineColumn, OutlineField } from '../minutes/outline.js';
import { own, translateSpans, user, type Inline, type SpanParams } from '../minutes/spans.js';
import type { Locale } from '../model/types.js';
import { isoDay } from '../workspace/dates.js';
import { protocolDay } from '../workspace/protocol.js';

/**
 * The pieces a project's dossier and a teacher's portfolio are both built of: their
 * language, numbers and dates written for it, and the outline's blocks made short.
 */
export interface DocumentWriter {
  locale: Locale;
  t: (key: string, params?: Params) => string;
  ts: (key: string, params?: SpanParams) => Inline;
  num: NumberWriter;
  /** A moment as the calendar day it fell on in the document's time zone, in figures: 15.01.2027. */
  day: (at: number) => string;
  /** A `YYYY-MM-DD` day in figures. */
  date: (iso: string) => string;
}

/** `timeZone` must be valid already (the route checks it); UTC when absent. */
export function documentWriter(locale: Locale, timeZone = 'UTC'): DocumentWriter {
  return {
    locale,
    t: (key, params) => translate(locale, key, params),
    ts: (key, params) => translateSpans(locale, key, params),
    num: numberWriter(localeTag(locale)),
    day: (at) => protocolDay(isoDay(at, timeZone), locale),
    date: (iso) => protocolDay(iso, locale),
  };
}

export const field = (label: string, value: Inline): OutlineField => ({ label: [own(label)], value });
export const paragraph = (text: string | Inline): OutlineBlock => ({ kind: 'paragraph', text: typeof text === 'string' ? [own(text)] : text });
export const heading = (level: 2 | 3 | 4, text: string | Inline, pageBreak = false): OutlineBlock => ({
  kind: 'heading',
  level,
  text: typeof text === 'string' ? [own(text)] : text,
  ...(pageBreak ? { pageBreak: true as const } : {}),
});
export const left = (label: string): OutlineColumn => ({ label, align: 'left' });
export const right = (label: string): OutlineColumn => ({ label, align: 'right' });
/**
 * A table's columns by their catalogue keys: `>key` is right-aligned (figures), `key` left;
 * `№` and `n` are printed as they are, right-aligned.
 */
export function columns(w: DocumentWriter, ...spec: string[]): OutlineColumn[] {
  return spec.map((s) => {
    if (s === '№' || s === 'n') return right(s);
    return s.startsWith('>') ? right(w.t(s.slice(1))) : left(w.t(s));
  });
}
export const cell = (x: string | number): Inline => [own(x)];
/** What somebody typed, as a cell; a dash where they typed nothing. */
export const typed = (text: string): Inline => (text.trim() ? [user(text)] : [own('—')]);

/** "Label: value" lines, leaving out the fields nobody filled in. */
export function filledFields(items: [string, Inline][]): OutlineBlock {
  return { kind: 'fields', layout: 'lines', items: items.filter(([, v]) => v.some((s) => s.text.trim() !== '')).map(([k, v]) => field(k, v)) };
}

/** Multi-line typed text as paragraphs, one per non-empty line. */
export function paragraphs(text: string): OutlineBlock[] {
  return text
    .split(/\r?\n/)
    .map(user)
    .filter((s) => s.text !== '')
    .map((s) => paragraph([s]));
}

/** A table, or the sentence saying there is nothing to put in one. */
export function tableOr(columns: OutlineColumn[], rows: Inline[][], none: string): OutlineBlock {
  return rows.length > 0 ? { kind: 'table', columns, rows } : paragraph(none);
}
