import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  HeadingLevel,
  Packer,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  WidthType,
  type IBorderOptions,
  type ParagraphChild,
} from 'docx';
import { minutesOutline, type Inline, type MinutesModel, type MinutesOutline, type OutlineBlock, type OutlineField } from '@kenes/shared';
import { fitColumns, type ColumnNeed } from '@kenes/shared';

/** A4 in twentieths of a point, with the margins of a filed document: 20 mm top and bottom, 30 mm left (binding), 15 mm right. */
const PAGE = { width: 11906, height: 16838, top: 1134, bottom: 1134, left: 1701, right: 850 };
const TEXT_WIDTH = PAGE.width - PAGE.left - PAGE.right;
/** Word and LibreOffice both substitute a metric twin (Liberation Serif) where Times New Roman is missing. */
const FONT = 'Times New Roman';
/** Half-points. */
const SIZE = { body: 24, table: 20, footer: 18 };
/** A chart's bar area is split into this many grid columns; a bar spans as many as its share. */
const BAR_STEPS = 50;
const CHART = { label: 3600, value: 1400, bar: '2F5F98', track: 'ECEFF3' };

/** The minutes as a Word document (.docx), in the session's language. */
export function renderMinutesDocx(model: MinutesModel): Promise<Buffer> {
  return renderOutlineDocx(minutesOutline(model));
}

/** Any protocol outline (a session's minutes, a council meeting's protocol) as a Word document. */
export async function renderOutlineDocx(outline: MinutesOutline): Promise<Buffer> {
  const doc = new Document({
    title: outline.title,
    creator: 'Kenes',
    styles: {
      default: {
        document: {
          run: { font: FONT, size: SIZE.body, language: { value: outline.lang } },
          paragraph: { spacing: { after: 80, line: 276 } },
        },
        heading1: { run: { font: FONT, size: 32, bold: true, allCaps: true, color: '000000' }, paragraph: { alignment: AlignmentType.CENTER, spacing: { before: 120, after: 120 } } },
        heading2: { run: { font: FONT, size: 28, bold: true, color: '000000' }, paragraph: { spacing: { before: 360, after: 120 }, keepNext: true } },
        heading3: { run: { font: FONT, size: 25, bold: true, color: '000000' }, paragraph: { spacing: { before: 240, after: 80 }, keepNext: true } },
        heading4: { run: { font: FONT, size: 24, bold: true, italics: true, color: '000000' }, paragraph: { spacing: { before: 200, after: 60 }, keepNext: true } },
      },
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: PAGE.width, height: PAGE.height },
            margin: { top: PAGE.top, bottom: PAGE.bottom, left: PAGE.left, right: PAGE.right, header: 567, footer: 567 },
          },
        },
        footers: { default: pageFooter(outline) },
        children: outline.blocks.flatMap(blockElements),
      },
    ],
  });
  return Packer.toBuffer(doc);
}

/** "Page N of M" with Word's own page fields where the numbers go. */
function pageFooter(outline: MinutesOutline): Footer {
  const children = outline.pageLabel
    .split(/(\{page\}|\{pages\})/)
    .filter((part) => part !== '')
    .map((part) => (part === '{page}' ? PageNumber.CURRENT : part === '{pages}' ? PageNumber.TOTAL_PAGES : part));
  return new Footer({
    children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children, size: SIZE.footer })] })],
  });
}

/** Characters XML 1.0 cannot hold; a stray one typed into a note would make the whole file unreadable. */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Spans as runs; neighbours with the same emphasis become one run. */
function runs(spans: Inline, size?: number): TextRun[] {
  const out: TextRun[] = [];
  for (let i = 0; i < spans.length; ) {
    const first = spans[i]!;
    let text = '';
    for (; i < spans.length && !!spans[i]!.strong === !!first.strong && !!spans[i]!.em === !!first.em; i++) text += spans[i]!.text;
    text = text.replace(NOT_XML, '');
    if (text) out.push(new TextRun({ text, bold: first.strong, italics: first.em, ...(size ? { size } : {}) }));
  }
  return out;
}

const fieldRuns = (f: OutlineField): ParagraphChild[] => [
  ...runs([...f.label.map((s) => ({ ...s, strong: true as const })), { text: ':', strong: true }]),
  new TextRun(' '),
  ...runs(f.value),
];

const HEADINGS = { 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3, 4: HeadingLevel.HEADING_4 } as const;

function blockElements(b: OutlineBlock): (Paragraph | Table)[] {
  switch (b.kind) {
    case 'title':
      return [
        ...(b.organisation
          ? [new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 240 }, children: runs(b.organisation.map((s) => ({ ...s, strong: true }))) })]
          : []),
        new Paragraph({ heading: HeadingLevel.HEADING_1, children: runs(b.heading) }),
        new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 240 }, children: runs(b.subtitle) }),
      ];
    case 'heading':
      return [new Paragraph({ heading: HEADINGS[b.level], pageBreakBefore: b.pageBreak, children: runs(b.text) })];
    case 'paragraph':
      return [new Paragraph({ children: runs(b.text) })];
    case 'signature':
      return [new Paragraph({ spacing: { before: 720 }, children: runs(b.text) })];
    case 'fields':
      return b.items.map((f) => new Paragraph({ children: fieldRuns(f) }));
    case 'list':
      return b.items.flatMap((item, i) => [
        b.ordered
          ? new Paragraph({ indent: { left: 426, hanging: 426 }, children: [new TextRun(`${i + 1}.\t`), ...runs(item.text)], tabStops: [{ type: 'left', position: 426 }] })
          : new Paragraph({ bullet: { level: 0 }, children: runs(item.text) }),
        ...(item.children ?? []).map((c) => new Paragraph({ bullet: { level: 1 }, children: runs(c) })),
      ]);
    case 'table':
      return [dataTable(b), new Paragraph({ spacing: { after: 60 }, children: [] })];
    case 'bars':
      return b.bars.length === 0 ? [] : [barTable(b), new Paragraph({ spacing: { after: 60 }, children: [] })];
  }
}

const LINE: IBorderOptions = { style: BorderStyle.SINGLE, size: 4, color: '666666' };
const NONE: IBorderOptions = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
const CELL_MARGINS = { top: 40, bottom: 40, left: 90, right: 90 };

/** Twips per character of 10-point text, roughly (bold headers run wider): enough to guess what a column would like. */
const CHAR_TWIPS = { text: 120, header: 145 };

/** Whole twips from `fitColumns`, adding up exactly to the text width. */
function columnWidths(b: Extract<OutlineBlock, { kind: 'table' }>): number[] {
  const pad = CELL_MARGINS.left + CELL_MARGINS.right + 20;
  const needs = b.columns.map((c, i): ColumnNeed => {
    const cells = Math.max(0, ...b.rows.map((r) => (r[i] ?? []).reduce((n, s) => n + s.text.length, 0)));
    const headerWord = Math.max(...c.label.split(/\s+/).map((w) => w.length));
    const cellWidth = Math.min(cells, 80) * CHAR_TWIPS.text;
    return {
      natural: Math.max(c.label.length * CHAR_TWIPS.header, cellWidth) + pad,
      minimum: Math.max(headerWord * CHAR_TWIPS.header, cellWidth) + pad,
      numeric: c.align === 'right',
    };
  });
  const widths = fitColumns(needs, TEXT_WIDTH).map(Math.floor);
  widths[widths.length - 1]! += TEXT_WIDTH - widths.reduce((a, x) => a + x, 0);
  return widths;
}

function dataTable(b: Extract<OutlineBlock, { kind: 'table' }>): Table {
  const widths = columnWidths(b);
  const align = (i: number) => (b.columns[i]?.align === 'right' ? AlignmentType.RIGHT : AlignmentType.LEFT);
  const cell = (children: TextRun[], i: number, header: boolean) =>
    new TableCell({
      width: { size: widths[i]!, type: WidthType.DXA },
      margins: CELL_MARGINS,
      ...(header ? { shading: { type: ShadingType.CLEAR, fill: 'EEEEEE', color: 'auto' } } : {}),
      children: [new Paragraph({ alignment: align(i), spacing: { after: 0 }, children })],
    });
  const head = new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: b.columns.map((c, i) => cell(runs([{ text: c.label, strong: true }], SIZE.table), i, true)),
  });
  const rows = b.rows.map((r) => new TableRow({ cantSplit: true, children: r.map((spans, i) => cell(runs(spans, SIZE.table), i, false)) }));
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    borders: { top: LINE, bottom: LINE, left: LINE, right: LINE, insideHorizontal: LINE, insideVertical: LINE },
    rows: [head, ...rows],
  });
}

/**
 * Horizontal bars Word and LibreOffice both draw: a borderless table whose middle is
 * a grid of equal columns; each bar is a shaded cell spanning its share of them.
 */
function barTable(b: Extract<OutlineBlock, { kind: 'bars' }>): Table {
  const area = TEXT_WIDTH - CHART.label - CHART.value;
  const step = Math.floor(area / BAR_STEPS);
  const labelWidth = TEXT_WIDTH - CHART.value - step * BAR_STEPS;
  const widths = [labelWidth, ...Array.from({ length: BAR_STEPS }, () => step), CHART.value];
  // White rules above and below each cell keep neighbouring bars apart.
  const gap: IBorderOptions = { style: BorderStyle.SINGLE, size: 18, color: 'FFFFFF' };
  const borders = { top: gap, bottom: gap, left: NONE, right: NONE };
  const text = (children: TextRun[], alignment: (typeof AlignmentType)[keyof typeof AlignmentType]) =>
    new Paragraph({ alignment, spacing: { after: 0 }, children });
  const rows = b.bars.map((bar) => {
    const share = b.max > 0 ? Math.max(0, Math.min(1, bar.value / b.max)) : 0;
    // A non-zero figure always shows at least a sliver.
    const filled = bar.value > 0 ? Math.max(1, Math.round(share * BAR_STEPS)) : 0;
    const cells = [
      new TableCell({ width: { size: labelWidth, type: WidthType.DXA }, borders, margins: CELL_MARGINS, children: [text(runs(bar.label, SIZE.table), AlignmentType.LEFT)] }),
      ...(filled > 0
        ? [new TableCell({ columnSpan: filled, width: { size: step * filled, type: WidthType.DXA }, borders, shading: { type: ShadingType.CLEAR, fill: CHART.bar, color: 'auto' }, children: [text([], AlignmentType.LEFT)] })]
        : []),
      ...(filled < BAR_STEPS
        ? [new TableCell({ columnSpan: BAR_STEPS - filled, width: { size: step * (BAR_STEPS - filled), type: WidthType.DXA }, borders, shading: { type: ShadingType.CLEAR, fill: CHART.track, color: 'auto' }, children: [text([], AlignmentType.LEFT)] })]
        : []),
      new TableCell({ width: { size: CHART.value, type: WidthType.DXA }, borders, margins: CELL_MARGINS, children: [text(runs([{ text: bar.display }], SIZE.table), AlignmentType.LEFT)] }),
    ];
    return new TableRow({ cantSplit: true, children: cells });
  });
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    borders: { top: NONE, bottom: NONE, left: NONE, right: NONE, insideHorizontal: NONE, insideVertical: NONE },
    rows,
  });
}
