import type { CreatedSession, CreateSessionBody, Joined, SessionSummary } from '../protocol/events.js';
import type { ErrorBody } from '../protocol/errors.js';

/** An HTTP answer that was not 2xx, carrying the server's error body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(body.message);
  }
}

async function call<T>(base: string, path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(new URL(path, base), init);
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: ErrorBody } | null;
    throw new ApiError(res.status, body?.error ?? { code: 'internal', message: res.statusText });
  }
  return (await res.json()) as T;
}

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

export const createSession = (base: string, body: CreateSessionBody) =>
  call<CreatedSession>(base, '/api/sessions', json(body));

export const getSession = (base: string, code: string) =>
  call<SessionSummary>(base, `/api/sessions/${encodeURIComponent(code)}`);

/**
 * Join a session. With `signedIn` (an `AccountClient` after sign-in) the request carries
 * the account's csrf header (and, outside a browser, its cookie), so the participant is
 * linked to the account and the session shows in its participation.
 */
export const joinSession = (base: string, code: string, name: string, signedIn?: { authHeaders(): Record<string, string> }) => {
  const init = json({ name });
  if (signedIn) init.headers = { ...(init.headers as Record<string, string>), ...signedIn.authHeaders() };
  return call<Joined>(base, `/api/sessions/${encodeURIComponent(code)}/participants`, { ...init, credentials: 'same-origin' });
};

/** Every format the minutes route renders. */
export const MINUTES_FORMATS = ['md', 'docx', 'pdf', 'html', 'csv', 'json'] as const;
export type MinutesFormat = (typeof MINUTES_FORMATS)[number];

/** Fetch the minutes in one format (facilitator token required), with times in this machine's time zone. */
export async function fetchMinutesFile(base: string, code: string, token: string, format: MinutesFormat): Promise<Blob> {
  const tz = encodeURIComponent(Intl.DateTimeFormat().resolvedOptions().timeZone);
  const res = await fetch(new URL(`/api/sessions/${encodeURIComponent(code)}/minutes?format=${format}&tz=${tz}`, base), {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: ErrorBody } | null;
    throw new ApiError(res.status, body?.error ?? { code: 'internal', message: res.statusText });
  }
  return res.blob();
}

/** The minutes as text (Markdown by default). */
export async function fetchMinutes(base: string, code: string, token: string, format: MinutesFormat = 'md'): Promise<string> {
  return (await fetchMinutesFile(base, code, token, format)).text();
}
