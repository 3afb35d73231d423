import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import type { LevelWithSilent, LoggerOptions } from 'pino';

export type LogLevel = LevelWithSilent;

/** The process's logger (Fastify's root pino logger). */
export type Logger = FastifyBaseLogger;

const LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * `LOG` as a level: `1`/`true`/`on` mean `info`, `0`/`false`/`off` mean `silent`, a pino
 * level name is taken as is; unset keeps only warnings and errors.
 */
export function parseLogLevel(value: string | undefined): LogLevel {
  const v = (value ?? '').trim().toLowerCase();
  if (v === '') return 'warn';
  if (v === '1' || v === 'true' || v === 'on') return 'info';
  if (v === '0' || v === 'false' || v === 'off') return 'silent';
  return (LEVELS as readonly string[]).includes(v) ? (v as LogLevel) : 'info';
}

/** Whether `level` includes info lines (then stdout carries JSON lines only). */
export function logsInfo(level: LogLevel): boolean {
  return level === 'info' || level === 'debug' || level === 'trace';
}

/**
 * Everywhere a token could sit in something logged. Tokens travel in the Authorization
 * header, the Socket.IO handshake `auth`, the board socket's `?token=` and join answers;
 * none of those is logged on purpose, this is the net under that.
 */
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  'auth',
  'token',
  'facilitatorToken',
  'ownerToken',
  '*.auth',
  '*.token',
  '*.facilitatorToken',
  '*.ownerToken',
  'body.token',
  'query.token',
];

/** A URL with any `token` query parameter blanked out. */
export function safeUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0 || !/token=/i.test(url)) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  for (const key of [...params.keys()]) if (/token/i.test(key)) params.set(key, 'redacted');
  return `${url.slice(0, q)}?${params.toString()}`;
}

/**
 * JSON lines on stdout at `level`. A request is logged by method, URL (token query blanked)
 * and route only: no headers, no body, no client address.
 */
export function loggerOptions(level: LogLevel): LoggerOptions {
  return {
    level,
    redact: { paths: REDACT, censor: '[redacted]' },
    serializers: {
      req: (req: FastifyRequest) => ({ method: req.method, url: safeUrl(req.url), route: req.routeOptions?.url }),
      res: (reply: { statusCode: number }) => ({ statusCode: reply.statusCode }),
    },
  };
}
