import { ApiError } from '@kenes/shared/client';
import type { ErrorCode } from '@kenes/shared';

/** The server serves this app, so every call goes to the page's own origin. */
export const origin = (): string => location.origin;

/** The join link; `base` is the origin the server says teachers can reach (its LAN address). */
export const joinUrl = (code: string, base?: string | null): string => `${base ?? origin()}/join/${code}`;
export const screenPath = (code: string): string => `/s/${code}/screen`;
export const facilitatePath = (code: string): string => `/s/${code}/facilitate`;

/** The catalogue key for a failed HTTP call: the server's code, or a network failure. */
export function errorKey(e: unknown): string {
  if (e instanceof ApiError) return `error.${e.body.code satisfies ErrorCode}`;
  return 'error.network';
}
