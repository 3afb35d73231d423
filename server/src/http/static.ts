import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { sendError } from './errors.js';

/** Serve the built web app; unknown page paths get index.html so the client router takes over. */
export async function registerWebApp(app: FastifyInstance, webDir: string): Promise<void> {
  const hasApp = existsSync(join(webDir, 'index.html'));
  if (hasApp) await app.register(fastifyStatic, { root: webDir, wildcard: false, index: ['index.html'] });
  app.setNotFoundHandler((req, reply) => {
    const isPage = req.method === 'GET' && !req.url.startsWith('/api/') && !req.url.startsWith('/yjs/');
    if (isPage && hasApp) return reply.type('text/html; charset=utf-8').sendFile('index.html');
    if (isPage) return reply.type('text/plain; charset=utf-8').send('The web app is not built: run `npm run build`.');
    return sendError(reply, 404, 'not_found');
  });
}
