import type { FastifyReply } from 'fastify';
import {
  portfolioOutline,
  projectDossierCsv,
  projectDossierOutline,
  translate,
  type DossierContext,
  type PortfolioDocumentContext,
  type PortfolioView,
  type ProjectView,
} from '@kenes/shared';
import { contentDisposition, sendProtocolDocument } from './council.js';
import type { RenderPool } from './render-pool.js';

/** The formats a project's dossier is given in; `md` when none is asked for. */
export const DOSSIER_FORMATS = ['md', 'docx', 'pdf', 'csv'] as const;
export type DossierFormat = (typeof DOSSIER_FORMATS)[number];

/** The formats a teacher's portfolio document is given in; `md` when none is asked for. */
export const PORTFOLIO_FORMATS = ['md', 'docx', 'pdf'] as const;
export type PortfolioFormat = (typeof PORTFOLIO_FORMATS)[number];

export const isDossierFormat = (x: unknown): x is DossierFormat => typeof x === 'string' && (DOSSIER_FORMATS as readonly string[]).includes(x);
export const isPortfolioFormat = (x: unknown): x is PortfolioFormat => typeof x === 'string' && (PORTFOLIO_FORMATS as readonly string[]).includes(x);

/**
 * "Досье проекта — Цифровая грамотность" as a file name: what no file system takes (slashes,
 * colons, quotes, control characters) becomes a space, and a long title is cut, so the name
 * a browser saves under is the document's own, in any script.
 */
export function documentFileBase(kind: string, subject: string): string {
  const clean = (s: string) => s.replace(/[\\/:*?"<>|\p{Cc}]+/gu, ' ').replace(/\s+/g, ' ').trim();
  const what = clean(subject).slice(0, 80).trim();
  return what ? `${clean(kind)} — ${what}` : clean(kind);
}

/** Send a project's dossier: the document through the render pool, or its figures as CSV. */
export async function sendDossier(reply: FastifyReply, format: DossierFormat, view: ProjectView, ctx: DossierContext, files: RenderPool): Promise<FastifyReply> {
  const base = documentFileBase(translate(ctx.locale, 'dossier.heading'), view.project.title);
  if (format === 'csv') {
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', contentDisposition('attachment', `${base}.csv`))
      .send(projectDossierCsv(view, ctx.locale, ctx.timeZone));
  }
  return sendProtocolDocument(reply, format, projectDossierOutline(view, ctx), base, files);
}

/** Send a teacher's portfolio document, named after them. */
export function sendPortfolioDocument(
  reply: FastifyReply,
  format: PortfolioFormat,
  view: PortfolioView,
  ctx: PortfolioDocumentContext,
  files: RenderPool,
): Promise<FastifyReply> {
  const base = documentFileBase(translate(ctx.locale, 'portfolioDoc.heading'), view.account.name);
  return sendProtocolDocument(reply, format, portfolioOutline(view, ctx), base, files);
}
