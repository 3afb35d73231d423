import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';
import { minutesOutline, type Inline, type MinutesModel, type MinutesOutline, type OutlineBlock, type OutlineField } from '@kenes/shared';
import { fitColumns, type ColumnNeed } from '@kenes/shared';

type Doc = PDFKit.PDFDocument;
type Align = 'left' | 'right' | 'center';
type FontName = 'regular' | 'bold' | 'italic' | 'boldItalic';

/** A4 in points, with the margins of a filed document: 20 mm top and bottom, 30 mm left (binding), 15 mm right. */
const MM = 72 / 25.4;
const MARGINS = { top: 20 * MM, bottom: 20 * MM, left: 30 * MM, right: 15 * MM };
const SIZE = { body: 10.5, table: 9, footer: 8.5, title: 16, h2: 13, h3: 11.5, h4: 10.5 };
const PAD = 3;
const COLOR = { text: '#111111', rule: '#666666', head: '#eeeeee', bar: '#2f5f98', track: '#eceff3' };

/**
 * DejaVu Sans covers every Kazakh and Russian letter (Ә Ғ Қ Ң Ө Ұ Ү Һ І and the rest);
 * it comes from the dejavu-fonts-ttf package, so a fresh install has it, and is embedded
 * (subset) in every file, so the reader needs no font of their own.
 */
const FONT_FILES: Record<FontName, string> = {
  regular: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  italic: 'DejaVuSans-Oblique.ttf',
  boldItalic: 'DejaVuSans-BoldOblique.ttf',
};
let fonts: Record<FontName, Buffer> | null = null;

function loadFonts(): Record<FontName, Buffer> {
  if (fonts) return fonts;
  const dir = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  const read = (name: FontName) => readFileSync(join(dir, FONT_FILES[name]));
  fonts = { regular: read('regular'), bold: read('bold'), italic: read('italic'), boldItalic: read('boldItalic') };
  return fonts;
}

/** The minutes as a PDF (A4), in the session's language, with page numbers. */
export function renderMinutesPdf(model: MinutesModel): Promise<Buffer> {
  return renderOutlinePdf(minutesOutline(model), model.facilitator);
}

/** Any protocol outline (a session's minutes, a council meeting's protocol) as a PDF; `author` goes into its metadata. */
export function renderOutlinePdf(outline: MinutesOutline, author = ''): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGINS,
    bufferPages: true,
    lang: outline.lang,
    displayTitle: true,
    info: { Title: outline.title, ...(author ? { Author: author } : {}), Creator: 'Kenes', Producer: 'Kenes' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  for (const [name, data] of Object.entries(loadFonts())) doc.registerFont(name, data);
  doc.font('regular').fontSize(SIZE.body).fillColor(COLOR.text);
  for (const block of outline.blocks) drawBlock(doc, block);
  numberPages(doc, outline);
  doc.end();
  return done;
}

const left = (doc: Doc) => doc.page.margins.left;
const width = (doc: Doc) => doc.page.width - doc.page.margins.left - doc.page.margins.right;
const bottom = (doc: Doc) => doc.page.height - doc.page.margins.bottom;
const atTop = (doc: Doc) => doc.y <= doc.page.margins.top + 1;

/** Start a new page unless `height` still fits on this one. */
function ensure(doc: Doc, height: number): void {
  if (doc.y + height > bottom(doc) && !atTop(doc)) doc.addPage();
}

const fontOf = (s: { strong?: true; em?: true }): FontName => (s.strong ? (s.em ? 'boldItalic' : 'bold') : s.em ? 'italic' : 'regular');

/** Spans as runs of one font each; neighbours with the same emphasis join. */
function parts(spans: Inline): { text: string; font: FontName }[] {
  const out: { text: string; font: FontName }[] = [];
  for (const s of spans) {
    if (!s.text) continue;
    const font = fontOf(s);
    const last = out[out.length - 1];
    if (last && last.font === font) last.text += s.text;
    else out.push({ text: s.text, font });
  }
  return out;
}

/** Height of spans set in `w` points, measured in the first run's font. */
function measure(doc: Doc, spans: Inline, w: number, size: number): number {
  const p = parts(spans);
  if (p.length === 0) return size * 1.2;
  doc.font(p[0]!.font).fontSize(size);
  return doc.heightOfString(p.map((x) => x.text).join(''), { width: w, lineGap: 1 });
}

/**
 * Rich text flowing from (x, y) in a column `w` wide, switching fonts mid-line where the spans do;
 * with `height`, cut off there (a table cell) instead of flowing on to the next page.
 */
function write(doc: Doc, spans: Inline, x: number, y: number, w: number, size: number, align: Align = 'left', height?: number): void {
  const p = parts(spans);
  doc.fontSize(size);
  p.forEach((part, i) => {
    doc.font(part.font);
    const clip = height === undefined ? {} : { height, ellipsis: true };
    const options = { width: w, align, lineGap: 1, continued: i < p.length - 1, ...clip };
    if (i === 0) doc.text(part.text, x, y, options);
    else doc.text(part.text, options);
  });
  doc.font('regular');
}

function paragraph(doc: Doc, spans: Inline, opts: { size?: number; align?: Align; indent?: number; after?: number } = {}): void {
  const size = opts.size ?? SIZE.body;
  const indent = opts.indent ?? 0;
  ensure(doc, Math.min(measure(doc, spans, width(doc) - indent, size), size * 3));
  write(doc, spans, left(doc) + indent, doc.y, width(doc) - indent, size, opts.align);
  doc.y += opts.after ?? size * 0.45;
}

const fieldSpans = (f: OutlineField): Inline => [...f.label.map((s) => ({ ...s, strong: true as const })), { text: ': ', strong: true }, ...f.value];

function drawBlock(doc: Doc, b: OutlineBlock): void {
  switch (b.kind) {
    case 'title':
      if (b.organisation) paragraph(doc, b.organisation.map((s) => ({ ...s, strong: true })), { align: 'center', size: SIZE.body + 0.5, after: 14 });
      paragraph(doc, b.heading.map((s) => ({ ...s, strong: true })), { align: 'center', size: SIZE.title, after: 4 });
      paragraph(doc, b.subtitle, { align: 'center', size: SIZE.body + 1, after: 14 });
      return;
    case 'heading': {
      const size = SIZE[`h${b.level}`];
      if (b.pageBreak && !atTop(doc)) doc.addPage();
      else doc.y += size * (b.level === 2 ? 0.9 : 0.6);
      // Keep a heading with at least a few lines of what it heads.
      ensure(doc, measure(doc, b.text, width(doc), size) + 40);
      write(doc, b.text.map((s) => ({ ...s, strong: true })), left(doc), doc.y, width(doc), size);
      if (b.level === 2) {
        doc.moveTo(left(doc), doc.y + 1).lineTo(left(doc) + width(doc), doc.y + 1).lineWidth(0.5).strokeColor(COLOR.rule).stroke();
      }
      doc.y += size * 0.5;
      return;
    }
    case 'paragraph':
      paragraph(doc, b.text);
      return;
    case 'signature':
      doc.y += 30;
      paragraph(doc, b.text);
      return;
    case 'fields':
      for (const f of b.items) paragraph(doc, fieldSpans(f), { after: 2 });
      if (b.items.length > 0) doc.y += 4;
      return;
    case 'list':
      b.items.forEach((item, i) => {
        listItem(doc, item.text, b.ordered ? `${i + 1}.` : '•', 0);
        for (const c of item.children ?? []) listItem(doc, c, '–', 14);
      });
      doc.y += 4;
      return;
    case 'table':
      table(doc, b);
      return;
    case 'bars':
      bars(doc, b);
      return;
  }
}

function listItem(doc: Doc, spans: Inline, marker: string, indent: number): void {
  const x = left(doc) + indent;
  const w = width(doc) - indent - 14;
  ensure(doc, Math.min(measure(doc, spans, w, SIZE.body), SIZE.body * 3));
  const y = doc.y;
  doc.font('regular').fontSize(SIZE.body).text(marker, x, y, { width: 14, lineBreak: false });
  write(doc, spans, x + 14, y, w, SIZE.body);
  doc.y += 2;
}

/** What each column would like, measured in points, for `fitColumns`. */
function columnWidths(doc: Doc, b: Extract<OutlineBlock, { kind: 'table' }>): number[] {
  const needs = b.columns.map((c, i): ColumnNeed => {
    doc.font('bold').fontSize(SIZE.table);
    const header = doc.widthOfString(c.label);
    const headerWord = Math.max(...c.label.split(/\s+/).map((w) => doc.widthOfString(w)));
    doc.font('regular');
    const cells = Math.max(0, ...b.rows.map((r) => doc.widthOfString((r[i] ?? []).map((s) => s.text).join(''))));
    const pad = 2 * PAD + 1;
    return { natural: Math.max(header, cells) + pad, minimum: Math.max(headerWord, cells) + pad, numeric: c.align === 'right' };
  });
  return fitColumns(needs, width(doc));
}

/**
 * A ruled table whose rows never split: a row that does not fit starts a new page, under
 * a repeated header (a row taller than a whole page is cut at its foot).
 */
function table(doc: Doc, b: Extract<OutlineBlock, { kind: 'table' }>): void {
  const widths = columnWidths(doc, b);
  const x0 = left(doc);
  const header: Inline[] = b.columns.map((c) => [{ text: c.label, strong: true }]);
  const heightOf = (cells: Inline[]) =>
    Math.max(...cells.map((c, i) => measure(doc, c, widths[i]! - 2 * PAD, SIZE.table))) + 2 * PAD;
  /** Draw a row at the current position, cut to the page if taller than what is left of it. */
  const drawRow = (cells: Inline[], shaded: boolean) => {
    const h = Math.min(heightOf(cells), bottom(doc) - doc.y);
    const y = doc.y;
    let x = x0;
    cells.forEach((c, i) => {
      const w = widths[i]!;
      if (shaded) doc.rect(x, y, w, h).fill(COLOR.head);
      doc.rect(x, y, w, h).lineWidth(0.5).strokeColor(COLOR.rule).stroke();
      doc.fillColor(COLOR.text);
      write(doc, c, x + PAD, y + PAD, w - 2 * PAD, SIZE.table, b.columns[i]!.align, h - 2 * PAD + 2);
      x += w;
    });
    doc.x = x0;
    doc.y = y + h;
  };
  ensure(doc, heightOf(header) + (b.rows[0] ? heightOf(b.rows[0]) : 0));
  drawRow(header, true);
  for (const row of b.rows) {
    if (doc.y + heightOf(row) > bottom(doc)) {
      doc.addPage();
      drawRow(header, true);
    }
    drawRow(row, false);
  }
  doc.y += SIZE.body * 0.6;
}

/** Horizontal bars drawn as vectors, each with its label on the left and its figure on the right. */
function bars(doc: Doc, b: Extract<OutlineBlock, { kind: 'bars' }>): void {
  if (b.bars.length === 0) return;
  const total = width(doc);
  const labelW = total * 0.4;
  const valueW = 62;
  const barX = left(doc) + labelW + 6;
  const barW = total - labelW - 6 - valueW - 6;
  const barH = 9;
  for (const bar of b.bars) {
    const h = Math.max(measure(doc, bar.label, labelW, SIZE.table), barH) + 5;
    ensure(doc, h);
    const y = doc.y;
    const mid = y + h / 2 - 2;
    write(doc, bar.label, left(doc), y, labelW, SIZE.table);
    const share = b.max > 0 ? Math.max(0, Math.min(1, bar.value / b.max)) : 0;
    doc.rect(barX, mid - barH / 2, barW, barH).fill(COLOR.track);
    if (share > 0) doc.rect(barX, mid - barH / 2, Math.max(share * barW, 0.8), barH).fill(COLOR.bar);
    doc.fillColor(COLOR.text);
    write(doc, [{ text: bar.display }], barX + barW + 6, mid - SIZE.table / 2 - 1, valueW, SIZE.table);
    doc.x = left(doc);
    doc.y = y + h;
  }
  doc.y += SIZE.body * 0.6;
}

/** "Page N of M" at the foot of every page, written once the page count is known. */
function numberPages(doc: Doc, outline: MinutesOutline): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const label = outline.pageLabel.replace('{page}', String(i + 1)).replace('{pages}', String(range.count));
    const margin = doc.page.margins.bottom;
    // Writing inside the bottom margin would otherwise open a new page.
    doc.page.margins.bottom = 0;
    doc.font('regular').fontSize(SIZE.footer).fillColor(COLOR.text);
    doc.text(label, left(doc), doc.page.height - margin / 2 - SIZE.footer / 2, { width: width(doc), align: 'center', lineBreak: false });
    doc.page.margins.bottom = margin;
  }
}
