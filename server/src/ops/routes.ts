import type { FastifyInstance } from 'fastify';
import type { Metrics } from './metrics.js';
import type { Readiness } from './readiness.js';

/**
 * `/readyz` (should this process get traffic) and `/metrics` (Prometheus text).
 * Probes come every few seconds, so they log only at warn and above.
 */
export function registerOpsRoutes(app: FastifyInstance, deps: { readiness: Readiness; metrics: Metrics }): void {
  app.get('/readyz', { logLevel: 'warn' }, async (_req, reply) => {
    const report = await deps.readiness.report();
    return reply.code(report.ok ? 200 : 503).send(report);
  });

  app.get('/metrics', { logLevel: 'warn' }, async (_req, reply) => {
    const text = await deps.metrics.text();
    return reply.type(deps.metrics.registry.contentType).send(text);
  });
}
