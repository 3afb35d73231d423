import type { Locale } from '../model/types.js';
import { ApiError } from './http.js';
import type { AccountClient } from './workspace.js';

/** The formats of a project's dossier and of a teacher's portfolio document. */
export type DossierFormat = 'md' | 'docx' | 'pdf' | 'csv';
export type PortfolioDocumentFormat = 'md' | 'docx' | 'pdf';

const query = (format: string, lang?: Locale) => `?format=${encodeURIComponent(format)}${lang ? `&lang=${lang}` : ''}`;

/** The path of a project's dossier (for a download link in a browser, where the cookie goes by itself). */
export const dossierPath = (projectId: string, format: DossierFormat = 'md', lang?: Locale) =>
  `/api/projects/${encodeURIComponent(projectId)}/dossier${query(format, lang)}`;

/** The path of the signed-in teacher's portfolio document. */
export const portfolioDocumentPath = (format: PortfolioDocumentFormat = 'md', lang?: Locale) => `/api/me/portfolio/document${query(format, lang)}`;

/** A download as the client's account; a refusal throws `ApiError` as every other call does. */
async function download(client: AccountClient, path: string): Promise<Response> {
  const res = await client.raw(path);
  if (res.ok) return res;
  const body = (await res.json().catch(() => null)) as { error?: ApiError['body'] } | null;
  throw new ApiError(res.status, body?.error ?? { code: 'internal', message: res.statusText });
}

/** A project's dossier as a file, for any member of its workspace. */
export const dossierFile = (client: AccountClient, projectId: string, format: DossierFormat = 'md', lang?: Locale) =>
  download(client, dossierPath(projectId, format, lang));

/** The signed-in teacher's own portfolio as a document. */
export const portfolioDocumentFile = (client: AccountClient, format: PortfolioDocumentFormat = 'md', lang?: Locale) =>
  download(client, portfolioDocumentPath(format, lang));
