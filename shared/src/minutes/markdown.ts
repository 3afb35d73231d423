import type { MinutesModel } from './build.js';
import { minutesOutline, type MinutesOutline, type OutlineBlock, type OutlineField } from './outline.js';
import type { Inline } from './spans.js';

/** A block of Markdown: its lines, kept together; blocks are separated by a blank line. */
type Block = string[];

/** The minutes as Markdown, laid out like the protocol of a methodological council. */
export function renderMinutesMarkdown(model: MinutesModel): string {
  return renderOutlineMarkdown(minutesOutline(model));
}

/** Any protocol outline (a session's minutes, a council meeting's protocol) as Markdown. */
export function renderOutlineMarkdown(outline: MinutesOutline): string {
  const blocks = outline.blocks.flatMap(blockLines);
  return blocks.map((b) => b.join('\n')).join('\n\n') + '\n';
}

/**
 * User text on one line, made inert: newlines collapse to spaces; inline markup and
 * pipes are backslash-escaped, so a cell cannot split a table; `<` is escaped, so a
 * typed HTML tag renders as the text it is; and a leading block marker is escaped,
 * so the text cannot start a heading, quote, list or fence.
 */
export function escapeMarkdown(text: string): string {
  const escaped = text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\\`*_[\]<|]/g, '\\$&');
  return escaped.replace(/^[#>+\-=~]/, '\\$&').replace(/^(\d+)([.)])/, '$1\\$2');
}

/** Spans as Markdown: user text escaped; neighbours with the same emphasis share one pair of markers. */
function inline(spans: Inline): string {
  let out = '';
  for (let i = 0; i < spans.length; ) {
    const first = spans[i]!;
    let body = '';
    for (; i < spans.length && !!spans[i]!.strong === !!first.strong && !!spans[i]!.em === !!first.em; i++) {
      body += spans[i]!.user ? escapeMarkdown(spans[i]!.text) : spans[i]!.text;
    }
    const mark = (first.strong ? '**' : '') + (first.em ? '*' : '');
    out += mark + body + [...mark].reverse().join('');
  }
  return out;
}

const fieldLine = (f: OutlineField) => `**${inline(f.label.map((s) => ({ ...s, strong: undefined })))}:** ${inline(f.value)}`;
const row = (cells: string[]) => `| ${cells.join(' | ')} |`;

function blockLines(b: OutlineBlock): Block[] {
  switch (b.kind) {
    case 'title':
      return [...(b.organisation ? [[`**${inline(b.organisation)}**`]] : []), [`# ${inline(b.heading)}`], [inline(b.subtitle)]];
    case 'heading':
      return [[`${'#'.repeat(b.level)} ${inline(b.text)}`]];
    case 'paragraph':
      return [[inline(b.text).trimEnd()]];
    case 'signature':
      return [[inline(b.text).trimEnd()]];
    case 'fields':
      if (b.items.length === 0) return [];
      return b.layout === 'list' ? [b.items.map((f) => `- ${fieldLine(f)}`)] : b.items.map((f) => [fieldLine(f)]);
    case 'list':
      if (b.items.length === 0) return [];
      return [
        b.items.flatMap((item, i) => [
          `${b.ordered ? `${i + 1}.` : '-'} ${inline(item.text)}`,
          ...(item.children ?? []).map((c) => `  - ${inline(c)}`),
        ]),
      ];
    case 'table':
      return [
        [
          row(b.columns.map((c) => c.label)),
          `|${b.columns.map((c) => (c.align === 'right' ? '---:' : '---')).join('|')}|`,
          ...b.rows.map((cells) => row(cells.map(inline))),
        ],
      ];
    case 'bars':
      // The table beside every chart already holds its figures.
      return [];
  }
}
