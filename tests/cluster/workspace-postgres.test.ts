import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountClient, joinSession } from '@kenes/shared/client';
import { startServer, type TestServer } from '../helpers/server.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';

let pg: TestPostgres;
const servers: TestServer[] = [];

beforeAll(async () => {
  pg = await startPostgres();
});
afterAll(async () => {
  for (const s of servers) await s.kill();
  await pg?.destroy();
});

async function serverOn(url: string, port?: number): Promise<TestServer> {
  const server = await startServer({ env: { DATABASE_URL: url }, port });
  servers.push(server);
  return server;
}

describe('the methodical cabinet on PostgreSQL', () => {
  it('runs a council meeting from invitation to protocol, and keeps it through a SIGKILL', async () => {
    const url = await pg.createDatabase('cabinet');
    let server = await serverOn(url);
    const chair = new AccountClient(server.url);
    await chair.register({ login: 'chair@school.kz', name: 'Ахметова Гүлнар', password: 'long password 1' });
    const { workspace } = await chair.createWorkspace({ name: 'Гимназия', organisation: 'КГУ «Гимназия № 12»', place: 'Алматы', locale: 'ru' });
    const expert = new AccountClient(server.url);
    await expert.register({ login: 'expert@school.kz', name: 'Сейітов Бағдат', password: 'long password 2' });
    const invite = await chair.invite(workspace.id, { role: 'expert' });
    expect(await expert.acceptInvitation(invite.token)).toMatchObject({ result: 'joined', role: 'expert' });
    const [chairId, expertId] = [(await chair.me())!.account.id, (await expert.me())!.account.id];

    const council = await chair.createCouncil(workspace.id, {
      name: 'Экспертный совет',
      kind: 'expert',
      memberIds: [chairId, expertId],
      chairId,
      secretaryId: chairId,
      quorum: { kind: 'majority' },
    });
    const first = await chair.createMeeting(council.id, { date: '2026-12-04', items: [{ title: 'Об экспертизе программ', reporter: 'Ахметова Г.' }] });
    const second = await chair.createMeeting(council.id, { date: '2026-12-18' });
    expect([first.number, second.number]).toEqual([1, 2]);
    const item = first.items[0]!.id;
    await chair.meetingOp(first.id, { type: 'meeting.status', status: 'open' });
    await expert.meetingOp(first.id, { type: 'attendance.set', accountId: expertId, status: 'present' });
    await chair.meetingOp(first.id, { type: 'attendance.set', accountId: chairId, status: 'present' });
    await expert.meetingOp(first.id, { type: 'speaker.request', itemId: item, id: 'sp1' });
    await chair.meetingOp(first.id, { type: 'speaker.start', itemId: item, id: 'sp1' });
    await chair.meetingOp(first.id, { type: 'speaker.end', itemId: item, id: 'sp1' });
    await chair.meetingOp(first.id, { type: 'decision.add', itemId: item, id: 'dc1', text: 'Рекомендовать программу', responsibleId: expertId, dueDate: '2026-12-25' });
    const voted = await chair.meetingOp(first.id, { type: 'decision.unanimous', itemId: item, id: 'dc1' });
    expect(voted.quorum).toMatchObject({ present: 2, members: 2, met: true });

    // A teacher who joins the meeting's live room signed in is linked to their account.
    const room = await chair.meetingSession(first.id);
    await joinSession(server.url, room.code, 'Сейітов Бағдат', expert);
    expect((await expert.participation()).map((p) => p.code)).toEqual([room.code]);

    await server.kill('SIGKILL');
    server = await serverOn(url, server.port);
    const after = await chair.meeting(first.id);
    expect(after.meeting.items[0]!.decisions[0]).toMatchObject({ id: 'dc1', vote: { for: 2, against: 0, abstained: 0 } });
    expect(after.meeting.items[0]!.speakers[0]).toMatchObject({ name: 'Сейітов Бағдат' });
    expect((await chair.decisions(workspace.id)).map((e) => [e.decision.id, e.status])).toEqual([['dc1', 'open']]);
    await expert.setExecution(workspace.id, 'dc1', { done: true, note: 'Программа рекомендована' });
    expect((await chair.decisions(workspace.id, { status: 'done' })).map((e) => e.decision.id)).toEqual(['dc1']);

    await chair.meetingOp(first.id, { type: 'meeting.status', status: 'closed' });
    const pdf = Buffer.from(await (await chair.protocolFile(first.id, 'pdf', 'kk')).arrayBuffer());
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString();
    for (const word of ['ХАТТАМА', 'ТЫҢДАЛДЫ', 'СӨЙЛЕДІ', 'ҚАУЛЫ ЕТТІ', 'Сейітов Бағдат', 'бірауыздан']) expect(text).toContain(word);
  });
});
