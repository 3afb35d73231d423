import type { FastifyInstance } from 'fastify';
import type { Server } from 'socket.io';
import type { Inflight } from './inflight.js';
import type { Logger } from './logger.js';
import type { Readiness } from './readiness.js';
import type { SocketTracker } from './sockets.js';

/** The running parts, in the order a shutdown takes them down. */
export interface RunningParts {
  readiness: Readiness;
  http: FastifyInstance;
  inflight: Inflight;
  sockets: SocketTracker;
  io: Server;
  /** Closes board sockets (1001) and folds loaded documents into snapshots; resolves once they are written. */
  yjs: { close(): Promise<void> };
  /** Lets queued commands finish, then stops timers. */
  hub: { close(): Promise<void> };
  /** The render workers: stopped once no request can still want a file. */
  files: { close(): Promise<void> };
  /** The Redis connections of cluster mode (none on one node): closed once no socket or command needs them. */
  cluster?: { close(): Promise<void> } | null;
  /** May return a promise (an asynchronous store); SQLite checkpoints its WAL on close. */
  store: { close(): unknown };
  log: Logger;
  /** How long `/readyz` says 503 before the listener closes, for balancers that poll it. */
  drainDelayMs: number;
}

/** Longest wait for requests in flight and for sockets to finish their close handshake. */
const SETTLE_MS = 3000;

/**
 * Graceful stop: report not ready, stop taking connections, let commands in flight be
 * answered, close every socket with "going away" so clients reconnect, fold the boards
 * into snapshots and close the store. Everything acknowledged is already stored; this
 * only makes the restart quick and clean.
 */
export async function shutDown(p: RunningParts): Promise<void> {
  p.readiness.drain();
  p.log.info({ drainDelayMs: p.drainDelayMs }, 'shutting down');
  if (p.drainDelayMs > 0) await sleep(p.drainDelayMs);
  // Stops listening at once; resolves when the last connection has ended.
  const stopped = p.http.close();
  if (!(await p.inflight.idle(SETTLE_MS))) p.log.warn({ inflight: p.inflight.size }, 'requests still in flight');
  p.sockets.goingAway(SETTLE_MS);
  const folded = p.yjs.close();
  // Resolves once every connection has ended, like `stopped`.
  const ioClosed = p.io.close();
  await p.inflight.idle(SETTLE_MS);
  // The store closes last: after the commands queued in each room and the boards' folds.
  if (!(await within(SETTLE_MS, Promise.all([p.hub.close(), folded])))) p.log.warn('commands or board folds still running; closing anyway');
  if (!(await within(SETTLE_MS, Promise.all([stopped, ioClosed])))) p.log.warn('connections still open; closing anyway');
  await within(SETTLE_MS, p.files.close());
  // Broadcasts of the last commands went out through Redis; now nothing is left to fan out.
  if (p.cluster && !(await within(SETTLE_MS, p.cluster.close()))) p.log.warn('Redis connections still closing; going on');
  await Promise.resolve(p.store.close());
  p.log.info('stopped');
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Whether `work` settles within `ms` (a failure counts as settled: the stop goes on). */
async function within(ms: number, work: Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([work.then(() => true, () => true), late]);
  } finally {
    clearTimeout(timer);
  }
}
