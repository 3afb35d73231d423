import type { z } from 'zod';
import type { ErrorBody } from '../protocol/errors.js';
import type { createProjectSchema, portfolioPutSchema, projectFromCardSchema, selfRatingCopySchema } from '../projects/schemas.js';
import type { PortfolioView, ProjectView } from '../projects/views.js';
import { ApiError } from './http.js';

/** `POST /api/workspaces/:ws/projects`: only the title is required. */
export type ProjectBody = z.input<typeof createProjectSchema>;

/** `POST /api/workspaces/:ws/projects/from-card`: a prototype card of a workspace session. */
export type ProjectFromCardBody = z.input<typeof projectFromCardSchema>;

/** `PUT /api/me/portfolio`: the parts the teacher keeps by hand, with the version they were edited from (0 the first time). */
export type PortfolioBody = z.input<typeof portfolioPutSchema>;

/** `POST /api/me/portfolio/self-ratings`: the self-rating just given on a rating ballot of a session. */
export type SelfRatingBody = z.input<typeof selfRatingCopySchema>;

/** A change made from an older version (409 `conflict`): `view` is what is stored now. */
export class ViewConflict<V> extends ApiError {
  constructor(
    body: ErrorBody,
    readonly view: V,
  ) {
    super(409, body);
  }
}

/** A project op made from an older version of the project. */
export type ProjectConflict = ViewConflict<ProjectView>;
/** A portfolio saved from an older version of the record. */
export type PortfolioConflict = ViewConflict<PortfolioView>;

const enc = encodeURIComponent;

/** The route paths of projects, portfolios and files, for links and for the client's calls. */
export const projectPaths = {
  sessionCards: (ws: string, code: string) => `/api/workspaces/${enc(ws)}/sessions/${enc(code)}/cards`,
  projects: (ws: string) => `/api/workspaces/${enc(ws)}/projects`,
  fromCard: (ws: string) => `/api/workspaces/${enc(ws)}/projects/from-card`,
  project: (id: string) => `/api/projects/${enc(id)}`,
  ops: (id: string) => `/api/projects/${enc(id)}/ops`,
  upload: (name: string, workspaceId?: string) =>
    `/api/files?name=${enc(name)}${workspaceId === undefined ? '' : `&workspace=${enc(workspaceId)}`}`,
  /** A file's download (for a link in a browser, where the cookie goes by itself). */
  file: (id: string) => `/api/files/${enc(id)}`,
  portfolio: '/api/me/portfolio',
  selfRatings: '/api/me/portfolio/self-ratings',
  memberPortfolio: (ws: string, accountId: string) => `/api/workspaces/${enc(ws)}/members/${enc(accountId)}/portfolio`,
} as const;
