import type { SessionArchive } from '../export/json.js';
import type { OwnedTemplate, SessionTemplate, TemplateList } from '../methods/agenda.js';
import type { Locale } from '../model/types.js';
import type { CreatedSession } from '../protocol/events.js';
import type { ErrorBody } from '../protocol/errors.js';
import { ApiError } from './http.js';

/** `POST /api/sessions` from a template: a built-in or saved one by id, or a template given inline. */
export type StartFromTemplateBody = {
  title: string;
  /** The session's language; the template's (a built-in's: Russian) when not given. */
  locale?: Locale;
  facilitator?: string;
} & ({ templateId: string; template?: never } | { template: SessionTemplate; templateId?: never });

async function send<T>(base: string, path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(new URL(path, base), init);
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: ErrorBody } | null;
    throw new ApiError(res.status, body?.error ?? { code: 'internal', message: res.statusText });
  }
  // 204: done, nothing to read.
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

const post = (body: unknown, token?: string): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  // A file read from disk is sent as it is, not parsed and re-serialised.
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

/** The built-in templates (names and descriptions in every language) and the saved ones. */
export const listTemplates = (base: string) => send<TemplateList>(base, '/api/templates');

/** A template as its JSON file holds it (a built-in one's ballots in `locale`). */
export const fetchTemplate = (base: string, id: string, locale?: Locale) =>
  send<SessionTemplate>(base, `/api/templates/${encodeURIComponent(id)}${locale ? `?locale=${locale}` : ''}`);

/** Save a template file's content; refused with `bad_template` (and a `detail`) when it is not one. */
export const importTemplate = (base: string, template: SessionTemplate | string) =>
  send<OwnedTemplate>(base, '/api/templates', post(template));

/** Save a session's agenda as a template (facilitator token required). */
export const saveSessionTemplate = (base: string, code: string, token: string, opts: { name?: string; description?: string } = {}) =>
  send<OwnedTemplate>(base, `/api/sessions/${encodeURIComponent(code)}/template`, post(opts, token));

/**
 * Delete a saved template with the `ownerToken` its saving answered; refused with 401
 * (no token), 403 `forbidden` (another token, or a template without an owner), 404
 * `not_found` and 400 `bad_request` (a built-in template).
 */
export const deleteTemplate = (base: string, id: string, ownerToken: string) =>
  send<void>(base, `/api/templates/${encodeURIComponent(id)}`, { method: 'DELETE', headers: { authorization: `Bearer ${ownerToken}` } });

export const startSessionFromTemplate = (base: string, body: StartFromTemplateBody) =>
  send<CreatedSession>(base, '/api/sessions', post(body));

/** A session archive (the minutes' JSON download) back as a new session, with a new room code and facilitator token. */
export const importSessionArchive = (base: string, archive: SessionArchive | string) =>
  send<CreatedSession>(base, '/api/sessions/import?as=session', post(archive));

/** A session archive's agenda as a saved template, named `name` or after the session. */
export const importArchiveAsTemplate = (base: string, archive: SessionArchive | string, name?: string) =>
  send<OwnedTemplate>(base, `/api/sessions/import?as=template${name ? `&name=${encodeURIComponent(name)}` : ''}`, post(archive));
