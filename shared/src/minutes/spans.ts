import { translate } from '../i18n/index.js';
import type { Locale } from '../model/types.js';

/**
 * A run of text in the minutes. `user` marks what somebody typed (a title, a note,
 * a name): each renderer makes it inert in its own way — Markdown escapes it, HTML
 * escapes it, DOCX and PDF take it as plain text.
 */
export interface Span {
  text: string;
  user?: true;
  strong?: true;
  em?: true;
}

/** A line of text: spans in reading order. */
export type Inline = Span[];

/** The minutes' own wording (catalogue text, numbers, punctuation). */
export const own = (text: string | number): Span => ({ text: String(text) });

/** Text somebody typed, on one line: line breaks and runs of spaces become one space. */
export const user = (text: string): Span => ({ text: text.replace(/\s+/g, ' ').trim(), user: true });

export const strong = (spans: Inline): Inline => spans.map((s) => ({ ...s, strong: true }));

export const em = (spans: Inline): Inline => spans.map((s) => ({ ...s, em: true }));

/** The spans' text with no marking at all: for file titles, labels of charts and the like. */
export const plain = (spans: Inline): string => spans.map((s) => s.text).join('');

/** Items joined with a separator of our own, e.g. names with ", ". */
export function joined(items: Inline[], separator: string): Inline {
  return items.flatMap((item, i) => (i === 0 ? item : [own(separator), ...item]));
}

export type SpanParams = Record<string, string | number | Span | Inline>;

/**
 * A catalogue text with its parameters as spans, so a parameter a person typed stays
 * marked as theirs (and is escaped where the format needs it) while the wording around
 * it is left as written. An unknown placeholder stays as it is, as `translate` leaves it.
 */
export function translateSpans(locale: Locale, key: string, params: SpanParams = {}): Inline {
  const text = translate(locale, key);
  const spans: Inline = [];
  let last = 0;
  for (const m of text.matchAll(/\{(\w+)\}/g)) {
    const value = params[m[1]!];
    if (value === undefined) continue;
    if (m.index > last) spans.push(own(text.slice(last, m.index)));
    if (Array.isArray(value)) spans.push(...value);
    else spans.push(typeof value === 'object' ? value : own(value));
    last = m.index + m[0].length;
  }
  if (last < text.length) spans.push(own(text.slice(last)));
  return spans;
}

/** "Questions" takes a colon; "What if…" already ends in punctuation and does not. */
export function withColon(text: string): string {
  return /[.…?!:]$/.test(text) ? text : `${text}:`;
}
