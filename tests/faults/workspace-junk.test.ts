import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ERROR_CODES, type Council, type Meeting, type Workspace } from '@kenes/shared';
import {
  councilSchema,
  createInvitationSchema,
  createMeetingSchema,
  createWorkspaceSchema,
  executionSchema,
  loginSchema,
  meetingOpRequestSchema,
  meetingOpSchema,
  patchWorkspaceSchema,
  registerAccountSchema,
  setRoleSchema,
  updateCouncilSchema,
} from '@kenes/shared/schemas';
import { AccountClient } from '@kenes/shared/client';
import { startServer, type TestServer } from '../helpers/server.js';
import { junk, shortReport } from './socket-junk.js';

/** Fixed so a failure can be replayed; fast-check prints it (and the counterexample) on failure. */
const SEED = Number(process.env.KENES_FUZZ_SEED ?? 20_261_204);
const run = (numRuns: number, salt: number) => ({ seed: SEED + salt, numRuns, endOnFailure: true, reporter: shortReport });
const CODES = new Set<string>(ERROR_CODES);

let server: TestServer;
let owner: AccountClient;
let workspace: Workspace;
let council: Council;
let meeting: Meeting;

beforeAll(async () => {
  server = await startServer();
  owner = new AccountClient(server.url);
  await owner.register({ login: 'junk-owner', name: 'Ахметова Гүлнар', password: 'correct horse battery' });
  workspace = (await owner.createWorkspace({ name: 'Гимназия № 12', organisation: 'КГУ «Гимназия № 12»', place: 'Алматы', locale: 'ru' })).workspace;
  const me = (await owner.me())!.account;
  council = await owner.createCouncil(workspace.id, {
    name: 'Методический совет',
    kind: 'methodical',
    memberIds: [me.id],
    chairId: me.id,
    secretaryId: me.id,
    quorum: { kind: 'majority' },
  });
  meeting = await owner.createMeeting(council.id, { date: '2026-12-04', items: [{ title: 'О критериях' }] });
  await owner.meetingOp(meeting.id, { type: 'decision.add', itemId: meeting.items[0]!.id, id: 'dec1', text: 'Утвердить', dueDate: '2026-12-20' });
});
afterAll(async () => {
  await server?.kill('SIGTERM');
});

/** Everything the junk could have changed, as the owner reads it. */
async function snapshot(): Promise<string> {
  const [ws, councils, view, register, invitations, sessions] = await Promise.all([
    owner.workspace(workspace.id),
    owner.councils(workspace.id),
    owner.meeting(meeting.id),
    owner.decisions(workspace.id),
    owner.invitations(workspace.id),
    owner.workspaceSessions(workspace.id),
  ]);
  return JSON.stringify({ ws, councils, meeting: view.meeting, register, invitations: invitations.length, sessions: sessions.length });
}

/** A body for `route`: junk, or the valid example with one field broken, dropped or blown up. */
function bodyFor(example: Record<string, unknown>): fc.Arbitrary<unknown> {
  const keys = Object.keys(example);
  const broken = fc.record({ key: fc.constantFrom(...keys), value: fc.oneof(junk, fc.constant('ж'.repeat(5000)), fc.constant(-1), fc.constant(1e12)) }).map(({ key, value }) => ({ ...example, [key]: value }));
  const dropped = fc.constantFrom(...keys).map((key) => Object.fromEntries(Object.entries(example).filter(([k]) => k !== key)));
  return fc.oneof(junk, broken, dropped);
}

interface Route {
  method: string;
  name: string;
  path: () => string;
  schema: { safeParse(x: unknown): { success: boolean } };
  example: Record<string, unknown>;
}

const ROUTES: Route[] = [
  { method: 'POST', name: '/api/auth/register', path: () => '/api/auth/register', schema: registerAccountSchema, example: { login: 'someone', name: 'Имя', password: 'long enough' } },
  { method: 'POST', name: '/api/auth/login', path: () => '/api/auth/login', schema: loginSchema, example: { login: 'junk-owner', password: 'x' } },
  { method: 'POST', name: '/api/workspaces', path: () => '/api/workspaces', schema: createWorkspaceSchema, example: { name: 'W', organisation: 'O', place: 'P', locale: 'kk' } },
  { method: 'PATCH', name: '/api/workspaces/:ws', path: () => `/api/workspaces/${workspace.id}`, schema: patchWorkspaceSchema, example: { name: 'W2', locale: 'en' } },
  { method: 'PUT', name: '/api/workspaces/:ws/members/:account', path: () => `/api/workspaces/${workspace.id}/members/nobody`, schema: setRoleSchema, example: { role: 'teacher' } },
  { method: 'POST', name: '/api/workspaces/:ws/invitations', path: () => `/api/workspaces/${workspace.id}/invitations`, schema: createInvitationSchema, example: { role: 'teacher', maxUses: 3, days: 7 } },
  {
    method: 'POST', name: '/api/workspaces/:ws/councils',
    path: () => `/api/workspaces/${workspace.id}/councils`,
    schema: councilSchema,
    example: { name: 'C', kind: 'expert', memberIds: [], chairId: null, secretaryId: null, quorum: { kind: 'majority' } },
  },
  {
    method: 'PUT', name: '/api/councils/:id',
    path: () => `/api/councils/${council.id}`,
    schema: updateCouncilSchema,
    example: { name: 'C', kind: 'expert', memberIds: [], chairId: null, secretaryId: null, quorum: { kind: 'count', min: 2 }, version: 1 },
  },
  { method: 'POST', name: '/api/councils/:id/meetings', path: () => `/api/councils/${council.id}/meetings`, schema: createMeetingSchema, example: { date: '2026-12-10', time: '15:00', place: 'P', items: [], review: true } },
  { method: 'POST', name: '/api/meetings/:id/ops', path: () => `/api/meetings/${meeting.id}/ops`, schema: meetingOpRequestSchema, example: { op: { type: 'item.add', id: 'x1', title: 'T' }, version: 2 } },
  { method: 'PUT', name: '/api/workspaces/:ws/decisions/:decision/execution', path: () => `/api/workspaces/${workspace.id}/decisions/dec1/execution`, schema: executionSchema, example: { done: true, note: 'n' } },
];

/** Send a body as the signed-in owner; it must be refused with a named error, never a 5xx. */
async function refused(route: Route, body: unknown): Promise<void> {
  const res = await owner.raw(route.path(), { method: route.method, body: body === undefined ? null : body });
  const text = await res.text();
  expect(res.status, `${route.method} ${route.path()} ${JSON.stringify(body)?.slice(0, 200)} → ${text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
  expect(res.status, text.slice(0, 200)).toBeLessThan(500);
  const code = (JSON.parse(text) as { error?: { code?: string } }).error?.code;
  expect(CODES.has(code ?? ''), `unnamed error: ${text.slice(0, 200)}`).toBe(true);
}

describe('malformed bodies on every workspace route', () => {
  it.each(ROUTES.map((r) => [`${r.method} ${r.name}`, r] as const))(
    '%s refuses each with a named error and changes nothing',
    async (_name, route) => {
      const before = await snapshot();
      let sent = 0;
      await fc.assert(
        fc.asyncProperty(bodyFor(route.example), async (body) => {
          // A mutation that happens to be valid is not junk: it is left out.
          if (route.schema.safeParse(body).success) return;
          sent++;
          await refused(route, body);
        }),
        run(60, ROUTES.indexOf(route)),
      );
      expect(sent).toBeGreaterThan(30);
      expect(await snapshot()).toBe(before);
    },
  );
});

describe('well-formed meeting ops the rules refuse', () => {
  const missing = fc.constantFrom('nope', 'x9', 'dec404');
  const ops = () => fc.oneof(
    fc.record({ type: fc.constant('decision.unanimous' as const), itemId: fc.constant(meeting.items[0]!.id), id: missing }),
    fc.record({ type: fc.constant('speaker.start' as const), itemId: missing, id: missing }),
    fc.record({ type: fc.constant('decision.vote' as const), itemId: missing, id: fc.constant('dec1'), vote: fc.constant(null) }),
    fc.record({ type: fc.constant('attendance.set' as const), accountId: missing, status: fc.constant('present' as const) }),
    fc.record({ type: fc.constant('meeting.update' as const), date: fc.constantFrom('2025-12-01', '2027-01-05') }),
    fc.record({ type: fc.constant('decision.add' as const), itemId: missing, id: fc.constant('d5'), text: fc.constant('X') }),
    fc.record({ type: fc.constant('item.move' as const), id: missing, to: fc.integer({ min: 0, max: 3 }) }),
  );

  it('answers each with its reason and leaves the meeting as it was', async () => {
    const before = await snapshot();
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(ops(), async (o) => {
        expect(meetingOpSchema.safeParse(o).success).toBe(true);
        const res = await owner.raw(`/api/meetings/${meeting.id}/ops`, { method: 'POST', body: { op: o } });
        const body = (await res.json()) as { error?: { code: string } };
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        seen.add(body.error!.code);
      }),
      run(80, 100),
    );
    expect([...seen].sort()).toEqual(['unknown_decision', 'unknown_item', 'unknown_member', 'year_locked'].sort());
    expect(await snapshot()).toBe(before);
  });
});
