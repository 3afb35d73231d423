import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseLogLevel, type LogLevel } from './ops/logger.js';

export interface Config {
  /** TCP port for HTTP, Socket.IO and the Yjs endpoint. 0 picks a free one (tests). */
  port: number;
  /** Interface to bind; 0.0.0.0 so laptops in the hall can reach the facilitator's machine. */
  host: string;
  /** Folder for the SQLite file (`kenes.db`). */
  dataDir: string;
  /** Built web app to serve; the server runs without it (API only) when it is missing. */
  webDir: string;
  /** SQLite durability: `normal` survives a killed process, `full` a power cut too. */
  sqliteSynchronous: 'normal' | 'full';
  /**
   * `postgres://user:password@host:port/database` keeps everything in PostgreSQL instead of
   * the SQLite file, so that several nodes can share it; unset, SQLite in `dataDir`.
   */
  databaseUrl: string | undefined;
  /** PostgreSQL connections each node holds at most (with `databaseUrl`). */
  pgPoolSize: number;
  /** Honour X-Forwarded-* from a reverse proxy (for client addresses and links). */
  trustProxy: boolean;
  /** Failed room-code look-ups allowed per address per minute before 429. */
  codeMissesPerMinute: number;
  /** The address teachers open, when it is not this machine's LAN address (a domain behind a proxy). */
  publicUrl: string | undefined;
  /**
   * Level of the JSON logs on stdout (`LOG`): `info` adds requests, socket connects and
   * disconnects, refusals and board closes to the warnings and errors always logged.
   * Never tokens, names, note text or client addresses.
   */
  logLevel: LogLevel;
  /** How long `/readyz` answers 503 before a stopping server closes its listener (for balancers that poll it). */
  drainDelayMs: number;
  /** A stop (SIGTERM, SIGINT) that takes longer than this ends the process with exit code 1. */
  shutdownTimeoutMs: number;
  /**
   * `redis://host:port`: several nodes serve the same rooms (behind one load balancer,
   * over one shared store), fanning out through Redis. Unset: one node, nothing shared.
   */
  redisUrl: string | undefined;
}

const here = fileURLToPath(new URL('.', import.meta.url));

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '0.0.0.0',
    dataDir: resolve(env.DATA_DIR ?? './data'),
    webDir: resolve(env.WEB_DIR ?? resolve(here, '../../web/build')),
    sqliteSynchronous: env.SQLITE_SYNCHRONOUS === 'full' ? 'full' : 'normal',
    databaseUrl: env.DATABASE_URL || undefined,
    pgPoolSize: Number(env.PG_POOL_SIZE ?? 10),
    trustProxy: env.TRUST_PROXY === '1' || env.TRUST_PROXY === 'true',
    codeMissesPerMinute: Number(env.CODE_MISSES_PER_MINUTE ?? 20),
    publicUrl: env.PUBLIC_URL || undefined,
    logLevel: parseLogLevel(env.LOG),
    drainDelayMs: Number(env.SHUTDOWN_DRAIN_MS) || 0,
    shutdownTimeoutMs: Number(env.SHUTDOWN_TIMEOUT_MS) || 10_000,
    redisUrl: env.REDIS_URL || undefined,
  };
}
