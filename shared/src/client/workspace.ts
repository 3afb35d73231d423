import type { SavedTemplate, SessionTemplate } from '../methods/agenda.js';
import type { Locale } from '../model/types.js';
import type { CreatedSession, CreateSessionBody } from '../protocol/events.js';
import type { ErrorBody } from '../protocol/errors.js';
import type { MeetingOp } from '../workspace/ops.js';
import type { QuorumView } from '../workspace/quorum.js';
import type {
  Account,
  AgendaItemKind,
  Council,
  CouncilKind,
  Invitation,
  Meeting,
  Member,
  Participation,
  QuorumRule,
  RegisterEntry,
  RegisterFilter,
  Workspace,
  WorkspaceRole,
} from '../workspace/types.js';
import type { ProjectOp } from '../projects/ops.js';
import type { BlobMeta, Project } from '../projects/types.js';
import type { PortfolioView, ProjectView, SessionCard } from '../projects/views.js';
import { ApiError } from './http.js';
import { projectPaths, ViewConflict, type PortfolioBody, type ProjectBody, type ProjectFromCardBody, type SelfRatingBody } from './projects.js';
import type { StartFromTemplateBody } from './templates.js';

/** A request as the client sends it: a JSON `body`, or a file's `bytes`. */
interface Init {
  method?: string;
  body?: unknown;
  bytes?: Blob | Uint8Array;
}

/** The cookie that carries a signed-in browser; HttpOnly, so only Node clients ever read it. */
export const AUTH_COOKIE = 'kenes_auth';
/** The header every change the cookie authorises must carry. */
export const CSRF_HEADER = 'x-kenes-csrf';

/** `POST /api/auth/register` and `/login`. */
export interface SignedIn {
  account: Account;
  csrf: string;
}

/** `GET /api/auth/me`. */
export interface Me extends SignedIn {
  workspaces: { workspace: Workspace; role: WorkspaceRole }[];
}

export interface WorkspaceBody {
  name: string;
  organisation: string;
  place: string;
  locale: Locale;
}

/** `GET /api/workspaces/:ws`. */
export interface WorkspaceDetail {
  workspace: Workspace;
  role: WorkspaceRole;
  members: Member[];
}

export interface InvitationBody {
  role: WorkspaceRole;
  /** 1–500, default 1. */
  maxUses?: number;
  /** 1–90, default 14. */
  days?: number;
}

/** The token is given this once; `url` is the link to hand out. */
export interface CreatedInvitation {
  invitation: Invitation;
  token: string;
  url: string;
}

/** `GET /api/invitations/:token`: what the link offers, before signing in. */
export interface InvitationPreview {
  workspace: { name: string; organisation: string };
  role: WorkspaceRole;
  valid: boolean;
}

export interface AcceptedInvitation {
  workspace: Workspace;
  role: WorkspaceRole;
  result: 'joined' | 'already_member';
}

/** One line of `GET /api/workspaces/:ws/sessions`. */
export interface WorkspaceSession {
  sessionId: string;
  code: string;
  title: string;
  template: string;
  kind: 'session' | 'meeting';
  createdAt: number;
  participants: number;
}

export interface FacilitatorLink {
  facilitatorToken: string;
  consoleUrl: string;
}

export interface CouncilBody {
  name: string;
  kind: CouncilKind;
  memberIds: string[];
  chairId: string | null;
  secretaryId: string | null;
  quorum: QuorumRule;
}

export interface CouncilDetail {
  council: Council;
  /** Newest first. */
  meetings: Meeting[];
}

export interface MeetingBody {
  /** `YYYY-MM-DD`. */
  date: string;
  /** `HH:MM`. */
  time?: string;
  place?: string;
  items?: { title: string; reporter?: string }[];
  /** Put "On the execution of earlier decisions" first on the agenda. */
  review?: boolean;
}

/** `GET /api/meetings/:id` and every op's answer. */
export interface MeetingView {
  meeting: Meeting;
  council: Council;
  /** The council's members with their names (the chair and secretary among them). */
  members: { accountId: string; name: string }[];
  quorum: QuorumView;
  /** The register entries of the decisions the meeting's execution items review. */
  review: RegisterEntry[];
  /** Whether the signed-in account may send every op (else only its own floor requests and attendance). */
  canRun: boolean;
}

/** `POST /api/meetings/:id/session`. */
export interface MeetingSession extends FacilitatorLink {
  code: string;
}

export const PROTOCOL_FORMATS = ['md', 'html', 'docx', 'pdf'] as const;
export type ProtocolFormat = (typeof PROTOCOL_FORMATS)[number];

export interface ExecutionBody {
  done: boolean;
  note: string;
}

/** The kinds of agenda items, re-exported for forms. */
export type { AgendaItemKind };

const enc = encodeURIComponent;

/** The query string of a register filter (empty fields left out). */
export function registerQuery(filter: RegisterFilter = {}, format?: 'json' | 'csv'): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(filter)) if (v !== undefined && v !== '') q.set(k, String(v));
  if (format) q.set('format', format);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/**
 * The account API of one server. In a browser the `kenes_auth` cookie (HttpOnly) travels
 * by itself and this keeps only the csrf value of the last sign-in or `me()`; in Node
 * (tests, benchmarks) it also keeps the cookie from `Set-Cookie` and sends it back, so
 * one instance is one signed-in user. Every non-2xx answer throws `ApiError`.
 */
export class AccountClient {
  csrf: string | null = null;
  /** `kenes_auth=<token>` outside a browser; null in a browser or signed out. */
  cookie: string | null = null;
  private readonly browser = typeof document !== 'undefined';

  constructor(readonly base: string) {}

  /** Headers that make a request the signed-in account's (used by `joinSession` too). */
  authHeaders(): Record<string, string> {
    const h: Record<string, string> = {};
    if (this.csrf) h[CSRF_HEADER] = this.csrf;
    if (this.cookie && !this.browser) h.cookie = this.cookie;
    return h;
  }

  /** Send a request with the cookie and csrf value; the answer as it came (not checked). */
  async raw(path: string, init: Init & { headers?: Record<string, string> } = {}): Promise<Response> {
    const method = init.method ?? 'GET';
    const headers: Record<string, string> = { ...(method === 'GET' ? {} : this.authHeaders()), ...init.headers };
    if (method === 'GET' && this.cookie && !this.browser) headers.cookie = this.cookie;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    if (init.bytes !== undefined) headers['content-type'] = 'application/octet-stream';
    const res = await fetch(new URL(path, this.base), {
      method,
      headers,
      credentials: 'same-origin',
      body: init.bytes !== undefined ? (init.bytes as BodyInit) : init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    this.keepCookie(res);
    return res;
  }

  private keepCookie(res: Response): void {
    if (this.browser) return;
    const all = typeof res.headers.getSetCookie === 'function' ? res.headers.getSetCookie() : [];
    for (const line of all) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      if (pair!.slice(0, eq).trim() !== AUTH_COOKIE) continue;
      const value = pair!.slice(eq + 1).trim();
      const cleared = value === '' || /max-age=0\b/i.test(line);
      this.cookie = cleared ? null : `${AUTH_COOKIE}=${value}`;
    }
  }

  private async send<T>(path: string, init: Init = {}): Promise<T> {
    const res = await this.raw(path, init);
    if (!res.ok) throw await apiError(res);
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  /** `send`, but a 409 `conflict` that carries the stored view throws `conflict(error, view)`. */
  private async sendOrConflict<T>(path: string, init: Init, conflict: (error: ErrorBody, view: T) => ApiError): Promise<T> {
    const res = await this.raw(path, init);
    if (res.ok) return (await res.json()) as T;
    const body = (await res.json().catch(() => null)) as { error?: ErrorBody; view?: T } | null;
    const error = body?.error ?? { code: 'internal' as const, message: res.statusText };
    if (res.status === 409 && error.code === 'conflict' && body?.view) throw conflict(error, body.view);
    throw new ApiError(res.status, error);
  }

  private async download(path: string): Promise<Blob> {
    const res = await this.raw(path);
    if (!res.ok) throw await apiError(res);
    return res.blob();
  }

  private signedIn(s: SignedIn): SignedIn {
    this.csrf = s.csrf;
    return s;
  }

  // Accounts.

  async register(body: { login: string; name: string; password: string }): Promise<SignedIn> {
    return this.signedIn(await this.send<SignedIn>('/api/auth/register', { method: 'POST', body }));
  }

  async login(body: { login: string; password: string }): Promise<SignedIn> {
    return this.signedIn(await this.send<SignedIn>('/api/auth/login', { method: 'POST', body }));
  }

  async logout(): Promise<void> {
    await this.send<void>('/api/auth/logout', { method: 'POST' });
    this.csrf = null;
    this.cookie = null;
  }

  /** Who is signed in, with their workspaces; null when nobody is (401). */
  async me(): Promise<Me | null> {
    try {
      const me = await this.send<Me>('/api/auth/me');
      this.csrf = me.csrf;
      return me;
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        this.csrf = null;
        return null;
      }
      throw e;
    }
  }

  /** Sessions joined while signed in, newest first. */
  participation = () => this.send<Participation[]>('/api/me/participation');

  // Workspaces and members.

  createWorkspace = (body: WorkspaceBody) =>
    this.send<{ workspace: Workspace; role: WorkspaceRole }>('/api/workspaces', { method: 'POST', body });
  workspace = (ws: string) => this.send<WorkspaceDetail>(`/api/workspaces/${enc(ws)}`);
  updateWorkspace = (ws: string, body: Partial<WorkspaceBody>) =>
    this.send<Workspace>(`/api/workspaces/${enc(ws)}`, { method: 'PATCH', body });
  setRole = (ws: string, accountId: string, role: WorkspaceRole) =>
    this.send<Member>(`/api/workspaces/${enc(ws)}/members/${enc(accountId)}`, { method: 'PUT', body: { role } });
  /** Remove a member (an owner), or leave the workspace (one's own id). */
  removeMember = (ws: string, accountId: string) =>
    this.send<void>(`/api/workspaces/${enc(ws)}/members/${enc(accountId)}`, { method: 'DELETE' });

  // Invitations.

  invite = (ws: string, body: InvitationBody) =>
    this.send<CreatedInvitation>(`/api/workspaces/${enc(ws)}/invitations`, { method: 'POST', body });
  invitations = (ws: string) => this.send<Invitation[]>(`/api/workspaces/${enc(ws)}/invitations`);
  revokeInvitation = (ws: string, id: string) =>
    this.send<void>(`/api/workspaces/${enc(ws)}/invitations/${enc(id)}`, { method: 'DELETE' });
  invitation = (token: string) => this.send<InvitationPreview>(`/api/invitations/${enc(token)}`);
  acceptInvitation = (token: string) =>
    this.send<AcceptedInvitation>(`/api/invitations/${enc(token)}/accept`, { method: 'POST' });

  // Sessions and templates of a workspace.

  /** A session that belongs to the workspace: the body of `POST /api/sessions` (a method or a template). */
  createWorkspaceSession = (ws: string, body: CreateSessionBody | StartFromTemplateBody) =>
    this.send<CreatedSession>(`/api/workspaces/${enc(ws)}/sessions`, { method: 'POST', body });
  workspaceSessions = (ws: string) => this.send<WorkspaceSession[]>(`/api/workspaces/${enc(ws)}/sessions`);
  /** A new facilitator link for a session of the workspace. */
  facilitatorLink = (ws: string, code: string) =>
    this.send<FacilitatorLink>(`/api/workspaces/${enc(ws)}/sessions/${enc(code)}/facilitator`, { method: 'POST' });
  workspaceTemplates = (ws: string) => this.send<SavedTemplate[]>(`/api/workspaces/${enc(ws)}/templates`);
  saveWorkspaceTemplate = (ws: string, template: SessionTemplate) =>
    this.send<SavedTemplate>(`/api/workspaces/${enc(ws)}/templates`, { method: 'POST', body: { template } });

  // Councils and meetings.

  createCouncil = (ws: string, body: CouncilBody) =>
    this.send<Council>(`/api/workspaces/${enc(ws)}/councils`, { method: 'POST', body });
  councils = (ws: string) => this.send<Council[]>(`/api/workspaces/${enc(ws)}/councils`);
  council = (id: string) => this.send<CouncilDetail>(`/api/councils/${enc(id)}`);
  /** `version`: the council's version the change was made from (else 409 `conflict`). */
  updateCouncil = (id: string, body: CouncilBody, version: number) =>
    this.send<Council>(`/api/councils/${enc(id)}`, { method: 'PUT', body: { ...body, version } });
  createMeeting = (councilId: string, body: MeetingBody) =>
    this.send<Meeting>(`/api/councils/${enc(councilId)}/meetings`, { method: 'POST', body });
  meeting = (id: string) => this.send<MeetingView>(`/api/meetings/${enc(id)}`);
  /**
   * Apply one change to a meeting. With `version` it applies only to that version, else
   * `MeetingConflict` (409 `conflict`) carries the meeting as it stands now; without it,
   * to whatever is stored.
   */
  meetingOp = (meetingId: string, op: MeetingOp, version?: number): Promise<MeetingView> =>
    this.sendOrConflict<MeetingView>(
      `/api/meetings/${enc(meetingId)}/ops`,
      { method: 'POST', body: version === undefined ? { op } : { op, version } },
      (error, view) => new MeetingConflict(error, view),
    );
  /** Mark present everyone who joined the meeting's live session signed in (the server fills the accounts). */
  attendanceFromSession = (meetingId: string, version?: number) =>
    this.meetingOp(meetingId, { type: 'attendance.fromSession', accountIds: [] }, version);
  /** Open (or reopen) the meeting's live room; its stages are the agenda items. */
  meetingSession = (meetingId: string) =>
    this.send<MeetingSession>(`/api/meetings/${enc(meetingId)}/session`, { method: 'POST' });
  /** The path of a protocol download (for a link in a browser, where the cookie goes by itself). */
  protocolPath = (meetingId: string, format: ProtocolFormat = 'md', lang?: Locale) =>
    `/api/meetings/${enc(meetingId)}/protocol?format=${format}${lang ? `&lang=${lang}` : ''}`;
  protocolFile = (meetingId: string, format: ProtocolFormat = 'md', lang?: Locale) =>
    this.download(this.protocolPath(meetingId, format, lang));

  // The decision register.

  decisions = (ws: string, filter: RegisterFilter = {}) =>
    this.send<RegisterEntry[]>(`/api/workspaces/${enc(ws)}/decisions${registerQuery(filter)}`);
  /** The path of the register as CSV (for a download link). */
  decisionsPath = (ws: string, filter: RegisterFilter = {}, format: 'json' | 'csv' = 'csv') =>
    `/api/workspaces/${enc(ws)}/decisions${registerQuery(filter, format)}`;
  decisionsCsv = async (ws: string, filter: RegisterFilter = {}) =>
    (await this.download(this.decisionsPath(ws, filter, 'csv'))).text();
  setExecution = (ws: string, decisionId: string, body: ExecutionBody) =>
    this.send<RegisterEntry>(`/api/workspaces/${enc(ws)}/decisions/${enc(decisionId)}/execution`, { method: 'PUT', body });

  // Projects (see `projectPaths` for the routes).

  /** The prototype cards on the group and plenary boards of a workspace session, each with the project made from it. */
  sessionCards = (ws: string, code: string) => this.send<SessionCard[]>(projectPaths.sessionCards(ws, code));
  createProject = (ws: string, body: ProjectBody) => this.send<Project>(projectPaths.projects(ws), { method: 'POST', body });
  /** A card becomes one project only: a second time throws 409 `duplicate_id` (the body names `projectId`). */
  projectFromCard = (ws: string, body: ProjectFromCardBody) => this.send<Project>(projectPaths.fromCard(ws), { method: 'POST', body });
  /** A workspace's projects, newest first. */
  projects = (ws: string) => this.send<Project[]>(projectPaths.projects(ws));
  project = (id: string) => this.send<ProjectView>(projectPaths.project(id));
  /**
   * Apply one change to a project. With `version` it applies only to that version, else
   * `ViewConflict` (409 `conflict`) carries the project as it stands now; without it, to
   * whatever is stored.
   */
  projectOp = (id: string, op: ProjectOp, version?: number): Promise<ProjectView> =>
    this.sendOrConflict<ProjectView>(
      projectPaths.ops(id),
      { method: 'POST', body: version === undefined ? { op } : { op, version } },
      (error, view) => new ViewConflict(error, view),
    );

  // Files.

  /** Upload a file's bytes; `workspaceId` for a report's attachment, none for the teacher's own portfolio. */
  uploadFile = (bytes: Blob | Uint8Array, name: string, workspaceId?: string) =>
    this.send<BlobMeta>(projectPaths.upload(name, workspaceId), { method: 'POST', bytes });
  /** A file's bytes, for whoever may read it. */
  file = (id: string) => this.download(projectPaths.file(id));
  /** Only its owner deletes a file; one still attached to a report throws 409 `conflict`. */
  deleteFile = (id: string) => this.send<void>(projectPaths.file(id), { method: 'DELETE' });

  // The teacher's portfolio.

  portfolio = () => this.send<PortfolioView>(projectPaths.portfolio);
  /** Save the record from `body.version` (0 the first time); a newer one stored throws `ViewConflict` with it. */
  savePortfolio = (body: PortfolioBody): Promise<PortfolioView> =>
    this.sendOrConflict<PortfolioView>(projectPaths.portfolio, { method: 'PUT', body }, (error, view) => new ViewConflict(error, view));
  /** Keep a copy of one's own self-rating of a session in the portfolio (replacing an earlier copy of the same round). */
  keepSelfRating = (body: SelfRatingBody) => this.send<PortfolioView>(projectPaths.selfRatings, { method: 'POST', body });
  /** A member's portfolio as a manager of the workspace sees it: only their shared diary entries. */
  memberPortfolio = (ws: string, accountId: string) => this.send<PortfolioView>(projectPaths.memberPortfolio(ws, accountId));
}

/** A meeting op made from an older version: `view` is the meeting as it stands now. */
export class MeetingConflict extends ApiError {
  constructor(
    body: ErrorBody,
    readonly view: MeetingView,
  ) {
    super(409, body);
  }
}

async function apiError(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => null)) as { error?: ErrorBody } | null;
  return new ApiError(res.status, body?.error ?? { code: 'internal', message: res.statusText });
}
