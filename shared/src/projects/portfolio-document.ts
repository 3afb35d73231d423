import { localeTag } from '../minutes/build.js';
import type { MinutesOutline, OutlineBlock } from '../minutes/outline.js';
import { own, plain, user, type Inline } from '../minutes/spans.js';
import type { Locale } from '../model/types.js';
import { cell, columns, documentWriter, filledFields, heading, paragraph, paragraphs, tableOr, typed, type DocumentWriter } from './document-parts.js';
import type { BlobMeta, LessonVideo, SelfRating } from './types.js';
import type { PortfolioView } from './views.js';

/** When and where a portfolio document is drawn up. */
export interface PortfolioDocumentContext {
  locale: Locale;
  /** The moment it is drawn up; its academic year goes on the title page. */
  generatedAt?: number;
  /** A valid IANA zone for the calendar days of diary entries; UTC when absent. */
  timeZone?: string;
}

/** The portfolio's sections after the title page, in the order the contents list them. */
const SECTIONS = ['note', 'sessions', 'ratings', 'reflection', 'products', 'certificates', 'videos'] as const;
type Section = (typeof SECTIONS)[number];

interface Ctx {
  view: PortfolioView;
  w: DocumentWriter;
  /** File id → its appendix number. */
  appendix: Map<string, number>;
}

/**
 * A teacher's portfolio (портфолио педагога / педагогтің портфолиосы) as an outline for every
 * renderer: a title page with the particulars, the contents, the explanatory note, the sections
 * (sessions attended, self-ratings over time, reflection, methodical products, certificates,
 * lesson self-analysis) and the appendices (every attached file, every link).
 *
 * The document is made to be handed to others (an attestation commission, the school's
 * methodologist), so of the reflection diary only the entries the teacher shared go in; private
 * entries stay private whoever asks for the document.
 */
export function portfolioOutline(view: PortfolioView, context: PortfolioDocumentContext): MinutesOutline {
  const w = documentWriter(context.locale, context.timeZone);
  const ctx: Ctx = { view, w, appendix: appendixNumbers(view) };
  const at = context.generatedAt ?? Date.now();
  const sections: Record<Section, () => OutlineBlock[]> = {
    note: () => note(ctx),
    sessions: () => sessions(ctx),
    ratings: () => ratings(ctx),
    reflection: () => reflection(ctx),
    products: () => products(ctx),
    certificates: () => certificates(ctx),
    videos: () => videos(ctx),
  };
  const headingText = w.t('portfolioDoc.heading');
  const blocks: OutlineBlock[] = [
    ...titlePage(ctx, headingText, at),
    ...contents(w),
    ...SECTIONS.flatMap((s, i) => [heading(2, sectionName(w, s, i), s === 'note'), ...sections[s]()]),
    ...appendices(ctx),
  ];
  return {
    locale: context.locale,
    lang: localeTag(context.locale),
    title: `${headingText} — ${plain([user(view.account.name)])}`,
    pageLabel: w.t('minutes.page'),
    blocks,
  };
}

const sectionName = (w: DocumentWriter, s: Section, i: number) => `${i + 1}. ${w.t(`portfolioDoc.${s}`)}`;

/** Files in the order the products, then the certificates, refer to them, then any others listed. */
function appendixNumbers(view: PortfolioView): Map<string, number> {
  const known = new Set(view.files.map((f) => f.id));
  const ids = [...view.record.products.map((p) => p.fileId), ...view.record.certificates.map((c) => c.fileId), ...view.files.map((f) => f.id)];
  const out = new Map<string, number>();
  for (const id of ids) if (id && known.has(id) && !out.has(id)) out.set(id, out.size + 1);
  return out;
}

/** "Приложение 2", or a dash for no file (or one no longer there). */
function appendixRef(ctx: Ctx, fileId: string | null): Inline | null {
  const n = fileId ? ctx.appendix.get(fileId) : undefined;
  return n === undefined ? null : [own(ctx.w.t('portfolioDoc.appendix', { n }))];
}

/** The academic year a moment falls in: from September to August. */
function academicYear(at: number): { from: number; to: number } {
  const d = new Date(at);
  const from = d.getUTCMonth() >= 8 ? d.getUTCFullYear() : d.getUTCFullYear() - 1;
  return { from, to: from + 1 };
}

function titlePage(ctx: Ctx, headingText: string, at: number): OutlineBlock[] {
  const { w } = ctx;
  const { particulars } = ctx.view.record;
  return [
    {
      kind: 'title',
      organisation: particulars.school.trim() ? [user(particulars.school)] : null,
      heading: [own(headingText)],
      subtitle: [user(ctx.view.account.name)],
    },
    filledFields([
      [w.t('portfolioDoc.name'), [user(ctx.view.account.name)]],
      [w.t('portfolioDoc.position'), [user(particulars.position)]],
      [w.t('portfolioDoc.school'), [user(particulars.school)]],
      [w.t('portfolioDoc.subject'), [user(particulars.subject)]],
      [w.t('portfolioDoc.category'), [user(particulars.category)]],
      [w.t('portfolioDoc.experience'), [user(particulars.experience)]],
      [w.t('portfolioDoc.year'), [own(w.t('portfolioDoc.year.value', academicYear(at)))]],
    ]),
  ];
}

/** The contents on a page of their own, after the title page. */
function contents(w: DocumentWriter): OutlineBlock[] {
  return [
    heading(2, w.t('portfolioDoc.contents'), true),
    ...SECTIONS.map((s, i) => paragraph(sectionName(w, s, i))),
    paragraph(w.t('portfolioDoc.appendices')),
  ];
}

function note(ctx: Ctx): OutlineBlock[] {
  const lines = paragraphs(ctx.view.record.note);
  return lines.length > 0 ? lines : [paragraph(ctx.w.t('portfolioDoc.note.none'))];
}

/** A label from a catalogue, or the id itself where the catalogue has none. */
function labelled(w: DocumentWriter, key: string, id: string): string {
  const text = w.t(key);
  return text === key ? id : text;
}

function sessions(ctx: Ctx): OutlineBlock[] {
  const { w } = ctx;
  const list = [...ctx.view.sessions].sort((a, b) => a.joinedAt - b.joinedAt);
  const rows = list.map((s, i): Inline[] => [
    cell(i + 1),
    cell(w.date(s.date)),
    [user(s.code)],
    typed(s.title),
    cell(labelled(w, `template.${s.template}.name`, s.template)),
    typed(s.groupName ?? ''),
    s.groupRole ? [own(labelled(w, `grouprole.${s.groupRole}`, s.groupRole))] : cell('—'),
  ]);
  const cols = columns(w, '№', 'portfolioDoc.sessions.date', 'portfolioDoc.sessions.code', 'portfolioDoc.sessions.title', 'portfolioDoc.sessions.method', 'portfolioDoc.sessions.group', 'portfolioDoc.sessions.groupRole');
  return [tableOr(cols, rows, w.t('portfolioDoc.sessions.none'))];
}

/** Per criterion, every self-rating of it by date, as a table and as bars, so the change shows. */
function ratings(ctx: Ctx): OutlineBlock[] {
  const { w } = ctx;
  const byCriterion = new Map<string, { rating: SelfRating; value: number }[]>();
  for (const rating of [...ctx.view.record.selfRatings].sort((a, b) => a.at - b.at)) {
    for (const r of rating.ratings) {
      // Criteria are matched by their wording: each session's ballot has its own ids.
      const label = r.label.replace(/\s+/g, ' ').trim();
      byCriterion.set(label, [...(byCriterion.get(label) ?? []), { rating, value: r.value }]);
    }
  }
  if (byCriterion.size === 0) return [paragraph(w.t('portfolioDoc.ratings.none'))];
  return [...byCriterion].flatMap(([label, points]): OutlineBlock[] => [
    heading(3, [user(label)]),
    {
      kind: 'table',
      columns: columns(w, 'portfolioDoc.ratings.date', 'portfolioDoc.ratings.session', '>portfolioDoc.ratings.value', '>portfolioDoc.ratings.scale'),
      rows: points.map(({ rating, value }) => [
        cell(w.date(rating.date)),
        [user(rating.sessionTitle || rating.code)],
        cell(w.num.plain(value)),
        cell(`${rating.scale.min}–${rating.scale.max}`),
      ]),
    },
    {
      kind: 'bars',
      caption: label,
      max: Math.max(...points.map((p) => p.rating.scale.max)),
      bars: points.map(({ rating, value }) => ({ label: [own(w.date(rating.date))], value, display: `${w.num.plain(value)} / ${rating.scale.max}` })),
    },
  ]);
}

function reflection(ctx: Ctx): OutlineBlock[] {
  const { w } = ctx;
  const shared = ctx.view.diary.filter((e) => e.shared).sort((a, b) => a.createdAt - b.createdAt);
  const rows = shared.map((e): Inline[] => [cell(w.day(e.createdAt)), typed(e.sessionTitle || e.code), cell(w.t(`diary.kind.${e.kind}`)), typed(e.text)]);
  const cols = columns(w, 'portfolioDoc.reflection.date', 'portfolioDoc.reflection.session', 'portfolioDoc.reflection.kind', 'portfolioDoc.reflection.text');
  return [paragraph(w.t('portfolioDoc.reflection.sharedOnly')), tableOr(cols, rows, w.t('portfolioDoc.reflection.none'))];
}

function products(ctx: Ctx): OutlineBlock[] {
  const { w } = ctx;
  const rows = ctx.view.record.products.map((p, i): Inline[] => [
    cell(i + 1),
    typed(p.title),
    cell(w.t(`product.${p.type}`)),
    cell(p.year),
    typed(p.coAuthors),
    p.url ? [user(p.url)] : (appendixRef(ctx, p.fileId) ?? cell('—')),
  ]);
  const cols = columns(w, '№', 'portfolioDoc.products.title', 'portfolioDoc.products.type', '>portfolioDoc.products.year', 'portfolioDoc.products.coAuthors', 'portfolioDoc.products.where');
  return [tableOr(cols, rows, w.t('portfolioDoc.products.none'))];
}

function certificates(ctx: Ctx): OutlineBlock[] {
  const { w } = ctx;
  const rows = ctx.view.record.certificates.map((c, i): Inline[] => [
    cell(i + 1),
    typed(c.title),
    typed(c.issuer),
    cell(w.date(c.date)),
    appendixRef(ctx, c.fileId) ?? cell('—'),
  ]);
  const cols = columns(w, '№', 'portfolioDoc.certificates.title', 'portfolioDoc.certificates.issuer', 'portfolioDoc.certificates.date', 'portfolioDoc.certificates.appendix');
  return [tableOr(cols, rows, w.t('portfolioDoc.certificates.none'))];
}

/** A moment of a recording as mm:ss (minutes may pass 59 for a long lesson). */
export function clockTime(sec: number): string {
  const s = Math.max(0, Math.round(sec));
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

function videos(ctx: Ctx): OutlineBlock[] {
  const { w } = ctx;
  if (ctx.view.record.videos.length === 0) return [paragraph(w.t('portfolioDoc.videos.none'))];
  return ctx.view.record.videos.flatMap((v) => videoBlocks(w, v));
}

function videoBlocks(w: DocumentWriter, v: LessonVideo): OutlineBlock[] {
  const notes = [...v.notes].sort((a, b) => a.atSec - b.atSec);
  return [
    heading(3, typed(v.title)),
    filledFields([
      [w.t('portfolioDoc.videos.date'), [own(w.date(v.date))]],
      [w.t('portfolioDoc.videos.link'), [user(v.url)]],
    ]),
    notes.length > 0
      ? { kind: 'list', items: notes.map((n) => ({ text: [own(`${clockTime(n.atSec)} — `), user(n.text)] })) }
      : paragraph(w.t('portfolioDoc.videos.noNotes')),
  ];
}

/** The formats a portfolio's files can have (see `sniffFileType`), by their usual names. */
const FORMAT_NAMES: Record<string, string> = {
  'application/pdf': 'PDF',
  'image/png': 'PNG',
  'image/jpeg': 'JPEG',
  'image/gif': 'GIF',
  'image/webp': 'WebP',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'DOCX',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'XLSX',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'PPTX',
  'application/vnd.oasis.opendocument.text': 'ODT',
  'application/vnd.oasis.opendocument.spreadsheet': 'ODS',
  'application/vnd.oasis.opendocument.presentation': 'ODP',
  'text/plain; charset=utf-8': 'TXT',
};

/** A file's size as people read it: 900 B, 340 KB, 1.2 MB (in the document's units and separators). */
function fileSize(w: DocumentWriter, bytes: number): string {
  if (bytes < 1024) return w.t('portfolioDoc.size.b', { n: bytes });
  if (bytes < 1024 * 1024) return w.t('portfolioDoc.size.kb', { n: Math.round(bytes / 1024) });
  return w.t('portfolioDoc.size.mb', { n: w.num.fixed(bytes / (1024 * 1024), 1) });
}

/** Every attached file by its appendix number, then every link the portfolio gives. */
function appendices(ctx: Ctx): OutlineBlock[] {
  const { w } = ctx;
  const byId = new Map(ctx.view.files.map((f) => [f.id, f]));
  const files = [...ctx.appendix].map(([id, n]) => [n, byId.get(id)!] as [number, BlobMeta]);
  const fileRows = files.map(([n, f]): Inline[] => [cell(n), [user(f.name)], cell(FORMAT_NAMES[f.type] ?? f.type), cell(fileSize(w, f.size))]);
  const links = [
    ...ctx.view.record.products.filter((p) => p.url).map((p) => ({ title: p.title, url: p.url! })),
    ...ctx.view.record.videos.map((v) => ({ title: v.title, url: v.url })),
  ].filter((l) => l.url.trim());
  const cols = columns(w, '№', 'portfolioDoc.appendices.name', 'portfolioDoc.appendices.type', '>portfolioDoc.appendices.size');
  return [
    heading(2, w.t('portfolioDoc.appendices'), true),
    heading(3, w.t('portfolioDoc.appendices.files')),
    tableOr(cols, fileRows, w.t('portfolioDoc.appendices.noFiles')),
    heading(3, w.t('portfolioDoc.appendices.links')),
    links.length > 0
      ? { kind: 'list', ordered: true, items: links.map((l) => ({ text: [...typed(l.title), own(' — '), user(l.url)] })) }
      : paragraph(w.t('portfolioDoc.appendices.noLinks')),
  ];
}
