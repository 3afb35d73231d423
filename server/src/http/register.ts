import type { FastifyInstance } from 'fastify';
import { filterRegister, mayReportExecution, registerCsv, type DecisionExecution } from '@kenes/shared';
import { executionSchema, registerFilterSchema } from '@kenes/shared/schemas';
import { requireMember } from '../auth/access.js';
import { sendError } from './errors.js';
import type { RouteDeps } from './routes.js';
import { workspaceRegister } from './councils.js';

/**
 * The decision register of a workspace: every decision of its meetings with who answers
 * for it, the deadline and whether it was carried out, filtered, as JSON or CSV; and
 * recording a decision's execution.
 */
export function registerRegisterRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const ws = deps.store.workspaces;

  app.get<{ Params: { ws: string }; Querystring: Record<string, string> }>('/api/workspaces/:ws/decisions', async (req, reply) => {
    const m = await requireMember(ws, req, reply, req.params.ws);
    if (!m) return reply;
    const query = registerFilterSchema.safeParse(req.query);
    if (!query.success) return sendError(reply, 400, 'bad_request');
    const { format, lang, ...filter } = query.data;
    const entries = filterRegister(await workspaceRegister(ws, m.workspace.id), filter);
    if (format !== 'csv') return entries;
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="decisions-${m.workspace.id}.csv"`)
      .send(registerCsv(entries, lang ?? m.workspace.locale));
  });

  app.put<{ Params: { ws: string; decision: string } }>('/api/workspaces/:ws/decisions/:decision/execution', async (req, reply) => {
    const m = await requireMember(ws, req, reply, req.params.ws);
    if (!m) return reply;
    const body = executionSchema.safeParse(req.body);
    if (!body.success) return sendError(reply, 400, 'bad_request');
    const entry = (await workspaceRegister(ws, m.workspace.id)).find((e) => e.decision.id === req.params.decision);
    if (!entry) return sendError(reply, 404, 'unknown_decision');
    const council = await ws.council(entry.councilId);
    if (!council || !mayReportExecution(m.role, m.account.id, council, entry.decision)) return sendError(reply, 403, 'forbidden');
    const now = Date.now();
    const execution: DecisionExecution = {
      decisionId: entry.decision.id,
      done: body.data.done,
      // Marking it done again keeps the day it was first done.
      doneAt: body.data.done ? (entry.doneAt ?? now) : null,
      note: body.data.note,
      updatedBy: m.account.id,
      updatedAt: now,
    };
    await ws.putExecution(m.workspace.id, execution);
    const updated = (await workspaceRegister(ws, m.workspace.id)).find((e) => e.decision.id === entry.decision.id);
    return updated ?? sendError(reply, 404, 'unknown_decision');
  });
}
