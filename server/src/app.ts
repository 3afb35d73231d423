import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { MissLimiter } from './http/ratelimit.js';
import { registerRoutes } from './http/routes.js';
import { registerWebApp } from './http/static.js';
import { SessionHub } from './realtime/hub.js';
import { attachHandlers, createSocketServer, socketBroadcaster } from './realtime/socket.js';
import { SQLiteStore } from './store/sqlite.js';
import type { Store } from './store/store.js';
import { YjsEndpoint } from './yjs/endpoint.js';

export interface App {
  http: FastifyInstance;
  store: Store;
  /** The bound port (useful with port 0). */
  port(): number;
  close(): Promise<void>;
}

/** Wire the parts together on one HTTP server: API, web app, Socket.IO, Yjs. */
export async function createApp(config: Config): Promise<App> {
  const store = new SQLiteStore({ file: join(config.dataDir, 'kenes.db'), synchronous: config.sqliteSynchronous });
  const http = Fastify({
    logger: config.logger ? { redact: ['req.headers.authorization'] } : false,
    trustProxy: config.trustProxy,
    bodyLimit: 256 * 1024,
  });
  const io = createSocketServer(http.server);
  const hub = new SessionHub(store, socketBroadcaster(io));
  const limiter = new MissLimiter(config.codeMissesPerMinute);
  const yjs = new YjsEndpoint(store, hub);
  // Reveal and publish copy notes between boards before the command is committed.
  hub.runEffects = (room, effects) => yjs.runEffects(room, effects);
  const links = { publicUrl: config.publicUrl, listensOnLan: config.host === '0.0.0.0' || config.host === '::' };
  attachHandlers(io, hub, limiter, links);

  // One upgrade router: engine.io would destroy upgrades on paths it does not own.
  http.server.on('upgrade', (req, socket, head) => {
    const path = req.url ?? '';
    if (path.startsWith('/yjs/')) yjs.handleUpgrade(req, socket, head);
    else if (!path.startsWith('/socket.io/')) socket.destroy();
  });

  registerRoutes(http, { hub, store, yjs, limiter, links });
  hub.rearmDeadlines();
  await registerWebApp(http, config.webDir);
  await http.listen({ port: config.port, host: config.host });

  let closed = false;
  return {
    http,
    store,
    port: () => {
      const address = http.server.address();
      return typeof address === 'object' && address ? address.port : config.port;
    },
    async close() {
      if (closed) return;
      closed = true;
      io.close();
      yjs.close();
      hub.close();
      await http.close();
      store.close();
    },
  };
}
