import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { sendError } from './errors.js';

/** Paths that are never app pages: a miss there is a real 404, not the client router's business. */
const NOT_PAGES = ['/api/', '/yjs/', '/socket.io/', '/_app/'];

/** Serve the built web app; unknown page paths get index.html so the client router takes over. */
export async function registerWebApp(app: FastifyInstance, webDir: string): Promise<void> {
  const hasApp = existsSync(join(webDir, 'index.html'));
  if (hasApp) {
    await app.register(fastifyStatic, {
      root: webDir,
      index: ['index.html'],
      // The build ships .br and .gz beside each file; a teacher's phone on school Wi-Fi gets the small one.
      preCompressed: true,
      setHeaders(res, path) {
        // Hashed bundles never change; the HTML that names them must always be fresh.
        const immutable = path.includes(`${join('_app', 'immutable')}`);
        res.setHeader('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
  app.setNotFoundHandler((req, reply) => {
    const isPage = req.method === 'GET' && !NOT_PAGES.some((p) => req.url.startsWith(p));
    if (isPage && hasApp) return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').sendFile('index.html');
    if (isPage) return reply.type('text/plain; charset=utf-8').send('The web app is not built: run `npm run build`.');
    return sendError(reply, 404, 'not_found');
  });
}
