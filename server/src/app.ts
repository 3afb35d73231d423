import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { RenderPool } from './export/render-pool.js';
import { MissLimiter } from './http/ratelimit.js';
import { registerRoutes } from './http/routes.js';
import { registerWebApp } from './http/static.js';
import { Inflight } from './ops/inflight.js';
import { loggerOptions, type Logger } from './ops/logger.js';
import { Metrics } from './ops/metrics.js';
import { Readiness } from './ops/readiness.js';
import { registerOpsRoutes } from './ops/routes.js';
import { shutDown } from './ops/shutdown.js';
import { SocketTracker } from './ops/sockets.js';
import { SessionHub } from './realtime/hub.js';
import { attachHandlers, createSocketServer, socketBroadcaster } from './realtime/socket.js';
import { openStore } from './store/open.js';
import type { Store } from './store/store.js';
import { YjsEndpoint } from './yjs/endpoint.js';

export interface App {
  http: FastifyInstance;
  store: Store;
  /** JSON logs on stdout (pino). */
  log: Logger;
  /** The bound port (useful with port 0). */
  port(): number;
  /** Graceful stop: not ready, no new connections, requests in flight answered, sockets closed with 1001, store closed. */
  close(): Promise<void>;
}

/** Wire the parts together on one HTTP server: API, web app, Socket.IO, Yjs. */
export async function createApp(config: Config): Promise<App> {
  const store = await openStore(config);
  const http = Fastify({
    logger: loggerOptions(config.logLevel),
    trustProxy: config.trustProxy,
    bodyLimit: 256 * 1024,
  });
  const log = http.log;
  const sockets = new SocketTracker();
  // Loaded only in cluster mode: one node starts without the Redis client.
  const cluster = config.redisUrl ? await (await import('./cluster/cluster.js')).joinCluster(config.redisUrl) : null;
  const io = createSocketServer(http.server, sockets.engine, cluster?.adapter);
  // Read at scrape time, once everything below exists.
  const metrics: Metrics = new Metrics({
    socketClients: () => io.engine.clientsCount,
    yjsConnections: () => yjs.connections,
    rooms: () => hub.loadedRooms,
    boards: () => yjs.loaded,
  });
  const inflight = new Inflight();
  const readiness = new Readiness();
  // A cheap indexed read; awaited, so an asynchronous store fits unchanged.
  readiness.add('store', async () => await Promise.resolve(store.sessionIdByCode('-')));
  // Cluster mode: a node cut off from Redis would serve rooms the others cannot hear about.
  if (cluster) {
    readiness.add('redis', () => {
      if (!cluster.ready()) throw new Error('Redis unreachable');
    });
  }
  const hub: SessionHub = new SessionHub(store, metrics.timing(socketBroadcaster(io)));
  const limiter = new MissLimiter(config.codeMissesPerMinute);
  const yjs: YjsEndpoint = new YjsEndpoint(store, hub);
  yjs.onClosed = (name, code, reason) => {
    metrics.yjsClosed(code, reason);
    log.info({ session: name.split('/')[0], board: boardKind(name), code, reason: reason || undefined }, 'board connection closed');
  };
  // Reveal and publish copy notes between boards before the command is committed.
  hub.runEffects = (room, effects) => yjs.runEffects(room, effects);
  await cluster?.attach({ hub, yjs, io });
  const links = { publicUrl: config.publicUrl, listensOnLan: config.host === '0.0.0.0' || config.host === '::' };
  attachHandlers(io, hub, limiter, links, { log, metrics, inflight });

  // One upgrade router: engine.io would destroy upgrades on paths it does not own.
  http.server.on('upgrade', (req, socket, head) => {
    const path = req.url ?? '';
    if (path.startsWith('/yjs/')) yjs.handleUpgrade(req, socket, head);
    else if (!path.startsWith('/socket.io/')) socket.destroy();
  });

  const files = new RenderPool();
  registerRoutes(http, { hub, store, yjs, limiter, links, files });
  registerOpsRoutes(http, { readiness, metrics });
  await hub.rearmDeadlines();
  await registerWebApp(http, config.webDir);
  await http.listen({ port: config.port, host: config.host });

  let closing: Promise<void> | null = null;
  return {
    http,
    store,
    log,
    port: () => {
      const address = http.server.address();
      return typeof address === 'object' && address ? address.port : config.port;
    },
    close() {
      closing ??= shutDown({ readiness, http, inflight, sockets, io, yjs, hub, files, cluster, store, log, drainDelayMs: config.drainDelayMs });
      return closing;
    },
  };
}

/** `p`, `g` or `plenary`: which kind of board, without the participant or group id. */
function boardKind(name: string): string {
  const id = name.split('/')[1] ?? '';
  return id.startsWith('p-') ? 'p' : id.startsWith('g-') ? 'g' : id;
}
