/**
 * What this browser holds per room code, so a closed tab or a sleeping laptop rejoins
 * as the same person without typing anything again; and the tokens that delete the
 * templates saved from it.
 */

export interface ParticipantCredentials {
  token: string;
  participantId: string;
  sessionId: string;
}

const facilitatorKey = (code: string) => `kenes:fac:${code}`;
const participantKey = (code: string) => `kenes:p:${code}`;

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // Storage may be disabled; the session still works until the tab closes.
  }
}

export const facilitatorToken = (code: string): string | null => read(facilitatorKey(code));

export function saveFacilitatorToken(code: string, token: string): void {
  write(facilitatorKey(code), token);
}

export function clearFacilitatorToken(code: string): void {
  write(facilitatorKey(code), null);
}

export function participantCredentials(code: string): ParticipantCredentials | null {
  const raw = read(participantKey(code));
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as Partial<ParticipantCredentials>;
    if (typeof v.token === 'string' && typeof v.participantId === 'string' && typeof v.sessionId === 'string') {
      return { token: v.token, participantId: v.participantId, sessionId: v.sessionId };
    }
  } catch {
    // A damaged entry is as good as none.
  }
  return null;
}

export function saveParticipantCredentials(code: string, creds: ParticipantCredentials): void {
  write(participantKey(code), JSON.stringify(creds));
}

export function clearParticipantCredentials(code: string): void {
  write(participantKey(code), null);
}

/**
 * A facilitator link carries its token in the fragment (never sent to the server in logs);
 * keep it for this room code and report whether the fragment should be stripped.
 */
export function takeFacilitatorToken(code: string): { token: string | null; fromLink: boolean } {
  const hash = new URLSearchParams(location.hash.replace(/^#/, ''));
  const fromLink = hash.get('token');
  if (fromLink) {
    saveFacilitatorToken(code, fromLink);
    return { token: fromLink, fromLink: true };
  }
  return { token: facilitatorToken(code), fromLink: false };
}

/** One entry for every template saved or imported in this browser: template id → owner token. */
const TEMPLATE_OWNERS_KEY = 'kenes:template-owners';

/** The owner tokens this browser holds, by template id: the saved templates it may delete. */
export function templateOwnerTokens(): Record<string, string> {
  const raw = read(TEMPLATE_OWNERS_KEY);
  if (!raw) return {};
  try {
    const v: unknown = JSON.parse(raw);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return {};
    return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    // A damaged entry is as good as none.
    return {};
  }
}

export function saveTemplateOwnerToken(id: string, token: string): void {
  write(TEMPLATE_OWNERS_KEY, JSON.stringify({ ...templateOwnerTokens(), [id]: token }));
}

export function clearTemplateOwnerToken(id: string): void {
  const { [id]: _gone, ...rest } = templateOwnerTokens();
  write(TEMPLATE_OWNERS_KEY, Object.keys(rest).length ? JSON.stringify(rest) : null);
}
