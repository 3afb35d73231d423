import { translate } from '../i18n/index.js';
import type { MinutesModel } from './build.js';
import { minutesOutline, type MinutesOutline, type OutlineBlock, type OutlineField } from './outline.js';
import { plain, type Inline } from './spans.js';

/**
 * The minutes as one standalone, print-ready HTML page (A4): no script, no external
 * resource, charts as inline SVG. Every piece of text — typed or ours — is escaped.
 */
export function renderMinutesHtml(model: MinutesModel): string {
  return renderOutlineHtml(minutesOutline(model));
}

/** Any protocol outline (a session's minutes, a council meeting's protocol) as the same print-ready page. */
export function renderOutlineHtml(outline: MinutesOutline): string {
  const charts = { n: 0 };
  const body = outline.blocks.map((b) => blockHtml(b, outline, charts)).join('\n');
  return [
    '<!doctype html>',
    `<html lang="${escapeHtml(outline.lang)}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(outline.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<main class="minutes">',
    body,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** Text made inert in HTML, in element content and in quoted attributes alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Spans as HTML; neighbours with the same emphasis share one element. */
function inline(spans: Inline): string {
  let out = '';
  for (let i = 0; i < spans.length; ) {
    const first = spans[i]!;
    let body = '';
    for (; i < spans.length && !!spans[i]!.strong === !!first.strong && !!spans[i]!.em === !!first.em; i++) {
      body += escapeHtml(spans[i]!.text);
    }
    if (first.em) body = `<em>${body}</em>`;
    if (first.strong) body = `<strong>${body}</strong>`;
    out += body;
  }
  return out;
}

const field = (f: OutlineField) => `<strong>${inline(f.label.map((s) => ({ ...s, strong: undefined })))}:</strong> ${inline(f.value)}`;

function blockHtml(b: OutlineBlock, outline: MinutesOutline, charts: { n: number }): string {
  switch (b.kind) {
    case 'title':
      return [
        '<header class="head">',
        ...(b.organisation ? [`<p class="org">${inline(b.organisation)}</p>`] : []),
        `<h1>${inline(b.heading)}</h1>`,
        `<p class="subtitle">${inline(b.subtitle)}</p>`,
        '</header>',
      ].join('\n');
    case 'heading':
      return `<h${b.level}${b.pageBreak ? ' class="page-break"' : ''}>${inline(b.text)}</h${b.level}>`;
    case 'paragraph':
      return `<p>${inline(b.text)}</p>`;
    case 'signature':
      return `<p class="signature">${inline(b.text)}</p>`;
    case 'fields':
      if (b.items.length === 0) return '';
      return b.layout === 'list'
        ? `<ul class="fields">\n${b.items.map((f) => `<li>${field(f)}</li>`).join('\n')}\n</ul>`
        : b.items.map((f) => `<p class="field">${field(f)}</p>`).join('\n');
    case 'list': {
      if (b.items.length === 0) return '';
      const tag = b.ordered ? 'ol' : 'ul';
      const items = b.items.map((item) => {
        const children = item.children?.length ? `\n<ul>\n${item.children.map((c) => `<li>${inline(c)}</li>`).join('\n')}\n</ul>\n` : '';
        return `<li>${inline(item.text)}${children}</li>`;
      });
      return `<${tag}>\n${items.join('\n')}\n</${tag}>`;
    }
    case 'table': {
      const cls = (i: number) => (b.columns[i]?.align === 'right' ? ' class="num"' : '');
      const head = b.columns.map((c, i) => `<th scope="col"${cls(i)}>${escapeHtml(c.label)}</th>`).join('');
      const rows = b.rows.map((cells) => `<tr>${cells.map((c, i) => `<td${cls(i)}>${inline(c)}</td>`).join('')}</tr>`);
      return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
    }
    case 'bars':
      return b.bars.length === 0 ? '' : barChart(b, translate(outline.locale, 'minutes.chart', { title: b.caption }), ++charts.n);
  }
}

/** Geometry of a chart, in SVG user units: labels on the left, bars in the middle, figures on the right. */
const CHART = { width: 640, labelWidth: 250, barX: 260, barWidth: 290, valueX: 558, line: 15, pad: 8, barHeight: 14, charsPerLine: 38, maxLines: 3 };

/** Horizontal bars as inline SVG: each bar's label and figure are real text, so they print, copy and read aloud. */
function barChart(b: Extract<OutlineBlock, { kind: 'bars' }>, label: string, n: number): string {
  let y = 0;
  const rows = b.bars.map((bar) => {
    const lines = wrap(plain(bar.label), CHART.charsPerLine, CHART.maxLines);
    const height = Math.max(lines.length * CHART.line, CHART.barHeight) + CHART.pad;
    const mid = y + height / 2;
    const share = b.max > 0 ? Math.max(0, Math.min(1, bar.value / b.max)) : 0;
    const firstBaseline = mid - ((lines.length - 1) * CHART.line) / 2 + 4;
    const text = lines
      .map((l, i) => `<tspan x="0" y="${round(firstBaseline + i * CHART.line)}">${escapeHtml(l)}</tspan>`)
      .join('');
    const row = [
      `<text class="label">${text}</text>`,
      `<rect class="track" x="${CHART.barX}" y="${round(mid - CHART.barHeight / 2)}" width="${CHART.barWidth}" height="${CHART.barHeight}"/>`,
      `<rect class="bar" x="${CHART.barX}" y="${round(mid - CHART.barHeight / 2)}" width="${round(share * CHART.barWidth)}" height="${CHART.barHeight}"/>`,
      `<text class="value" x="${CHART.valueX}" y="${round(mid + 4)}">${escapeHtml(bar.display)}</text>`,
    ].join('');
    y += height;
    return row;
  });
  const id = `chart-${n}`;
  return [
    '<figure class="chart">',
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${CHART.width} ${round(y)}" width="100%" role="img" aria-labelledby="${id}">`,
    `<title id="${id}">${escapeHtml(label)}</title>`,
    ...rows,
    '</svg>',
    '</figure>',
  ].join('\n');
}

const round = (x: number) => Math.round(x * 10) / 10;

/** Words into lines of at most `width` characters; what does not fit in `maxLines` ends in an ellipsis. */
function wrap(text: string, width: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const pieces = word.length > width ? (word.match(new RegExp(`.{1,${width}}`, 'gu')) ?? [word]) : [word];
    for (const piece of pieces) {
      if (line && line.length + 1 + piece.length > width) {
        lines.push(line);
        line = piece;
      } else line = line ? `${line} ${piece}` : piece;
    }
  }
  if (line) lines.push(line);
  if (lines.length <= maxLines) return lines.length > 0 ? lines : [''];
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = `${kept[maxLines - 1]!.slice(0, width - 1)}…`;
  return kept;
}

const STYLE = `
@page { size: A4; margin: 20mm 15mm 20mm 30mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; color: #111; background: #fff; font: 12pt/1.45 "Times New Roman", "Liberation Serif", "DejaVu Serif", serif; }
.minutes { max-width: 210mm; margin: 0 auto; padding: 20mm 15mm 20mm 30mm; }
@media screen { body { background: #e8e8e8; } .minutes { background: #fff; margin: 1rem auto; box-shadow: 0 1px 4px rgba(0,0,0,.25); } }
@media print { .minutes { max-width: none; margin: 0; padding: 0; } .page-break { break-before: page; } }
h1, h2, h3, h4 { font-family: Arial, "Liberation Sans", "DejaVu Sans", sans-serif; line-height: 1.25; break-after: avoid; }
h1 { font-size: 18pt; margin: .2em 0; text-transform: uppercase; letter-spacing: .05em; }
h2 { font-size: 14pt; margin: 1.4em 0 .5em; border-bottom: 1px solid #999; padding-bottom: .15em; }
h3 { font-size: 12.5pt; margin: 1.1em 0 .4em; }
h4 { font-size: 12pt; margin: .9em 0 .3em; font-style: italic; }
p { margin: .35em 0; orphans: 3; widows: 3; }
.head { text-align: center; margin-bottom: 1.2em; }
.head .org { font-weight: bold; text-transform: uppercase; margin-bottom: .8em; }
.head .subtitle { font-size: 13pt; }
ul, ol { margin: .3em 0 .6em; padding-left: 1.6em; }
ul.fields { list-style: none; padding-left: 0; }
li { margin: .15em 0; }
table { border-collapse: collapse; width: 100%; margin: .5em 0 .9em; font-size: 10pt; line-height: 1.3; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { border: 1px solid #666; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #eee; font-weight: bold; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
figure.chart { margin: .4em 0 1em; break-inside: avoid; }
figure.chart svg { display: block; max-width: 170mm; }
figure.chart text { font-family: Arial, "Liberation Sans", "DejaVu Sans", sans-serif; font-size: 12px; fill: #111; }
figure.chart .track { fill: #eceff3; }
figure.chart .bar { fill: #2f5f98; }
.signature { margin-top: 2.5em; }
`;
