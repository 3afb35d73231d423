import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountClient } from '@kenes/shared/client';
import { startServer, type TestServer } from '../helpers/server.js';
import { addMember, newAccount, refused, type Person } from '../helpers/accounts.js';

let server: TestServer;
let owner: Person;
let methodologist: Person;
let expert: Person;
let teacher: Person;
let outsider: Person;
let ws: string;

beforeAll(async () => {
  server = await startServer();
  owner = await newAccount(server.url, 'Ахметова Г. С.');
  methodologist = await newAccount(server.url, 'Бекова А. Т.');
  expert = await newAccount(server.url, 'Ким В. П.');
  teacher = await newAccount(server.url, 'Нурланов Е. К.');
  outsider = await newAccount(server.url, 'Посторонний О. О.');
  ws = (await owner.createWorkspace({ name: 'ГМК Караганды', organisation: 'Отдел образования г. Караганды', place: 'Караганда', locale: 'ru' })).workspace.id;
  await addMember(owner, ws, methodologist, 'methodologist');
  await addMember(owner, ws, expert, 'expert');
  await addMember(owner, ws, teacher, 'teacher');
});

afterAll(async () => {
  await server.kill('SIGTERM');
});

const council = (memberIds: string[], chairId: string | null = null, secretaryId: string | null = null) => ({
  name: 'Методический совет',
  kind: 'methodical' as const,
  memberIds,
  chairId,
  secretaryId,
  quorum: { kind: 'majority' as const },
});

describe('invitations', () => {
  it('shows what a link offers, joins once, and answers already_member after', async () => {
    const newcomer = await newAccount(server.url, 'Оспанова Ж. Б.');
    const { token, url, invitation } = await owner.invite(ws, { role: 'teacher', maxUses: 2 });
    expect(url).toBe(`${server.url}/invite/${token}`);
    expect(await newcomer.invitation(token)).toEqual({ workspace: { name: 'ГМК Караганды', organisation: 'Отдел образования г. Караганды' }, role: 'teacher', valid: true });
    expect((await newcomer.acceptInvitation(token)).result).toBe('joined');
    expect((await newcomer.acceptInvitation(token)).result).toBe('already_member');
    const detail = await newcomer.workspace(ws);
    expect(detail.role).toBe('teacher');
    expect(detail.members.map((m) => m.name)).toContain('Оспанова Ж. Б.');
    // A member accepting again used nothing up.
    expect((await owner.invitations(ws)).find((i) => i.id === invitation.id)?.uses).toBe(1);
  });

  it('refuses a used-up, revoked or expired link with 410 invitation_invalid, and an unknown one too', async () => {
    const [a, b, c, d] = await Promise.all(['Один', 'Два', 'Три', 'Четыре'].map((n) => newAccount(server.url, n)));

    const single = await owner.invite(ws, { role: 'teacher' });
    expect((await a!.acceptInvitation(single.token)).result).toBe('joined');
    expect(await refused(b!.acceptInvitation(single.token))).toEqual([410, 'invitation_invalid']);
    expect((await b!.invitation(single.token)).valid).toBe(false);

    const revoked = await methodologist.invite(ws, { role: 'expert', maxUses: 10 });
    await methodologist.revokeInvitation(ws, revoked.invitation.id);
    expect(await refused(b!.acceptInvitation(revoked.token))).toEqual([410, 'invitation_invalid']);

    // Fifteen days pass for a link good for 14: its expiry is moved into the past in the database file.
    const late = await owner.invite(ws, { role: 'teacher', days: 14 });
    const db = new Database(join(server.dataDir, 'kenes.db'));
    db.prepare('UPDATE invitations SET expires_at = ? WHERE id = ?').run(Date.now() - 24 * 3600_000, late.invitation.id);
    db.close();
    expect((await c!.invitation(late.token)).valid).toBe(false);
    expect(await refused(c!.acceptInvitation(late.token))).toEqual([410, 'invitation_invalid']);

    expect(await refused(d!.acceptInvitation('no-such-token-at-all'))).toEqual([410, 'invitation_invalid']);
    expect(await refused(d!.invitation('no-such-token-at-all'))).toEqual([404, 'not_found']);
    // None of the refused became a member.
    for (const p of [b!, c!, d!]) expect(await refused(p.workspace(ws))).toEqual([403, 'forbidden']);
  });

  it('lets only owners and methodologists invite, and a methodologist only experts and teachers', async () => {
    expect(await refused(teacher.invite(ws, { role: 'teacher' }))).toEqual([403, 'forbidden']);
    expect(await refused(expert.invite(ws, { role: 'teacher' }))).toEqual([403, 'forbidden']);
    expect(await refused(methodologist.invite(ws, { role: 'owner' }))).toEqual([403, 'forbidden']);
    expect(await refused(methodologist.invite(ws, { role: 'methodologist' }))).toEqual([403, 'forbidden']);
    expect((await methodologist.invite(ws, { role: 'expert' })).invitation.role).toBe('expert');
    expect(await refused(teacher.invitations(ws))).toEqual([403, 'forbidden']);
    expect(await refused(owner.invite(ws, { role: 'teacher', maxUses: 501 }))).toEqual([400, 'bad_request']);
    expect(await refused(owner.invite(ws, { role: 'teacher', days: 0 }))).toEqual([400, 'bad_request']);
  });
});

describe('roles', () => {
  it('a teacher cannot create a council, invite or edit a meeting, but may ask for the floor', async () => {
    expect(await refused(teacher.createCouncil(ws, council([teacher.id])))).toEqual([403, 'forbidden']);
    expect(await refused(teacher.updateWorkspace(ws, { name: 'Мой кабинет' }))).toEqual([403, 'forbidden']);
    expect(await refused(teacher.createWorkspaceSession(ws, { title: 'Урок', template: 'case-method', locale: 'ru' }))).toEqual([403, 'forbidden']);

    const c = await methodologist.createCouncil(ws, council([teacher.id, expert.id], expert.id, null));
    expect(await refused(teacher.createMeeting(c.id, { date: '2026-09-15' }))).toEqual([403, 'forbidden']);
    const meeting = await expert.createMeeting(c.id, { date: '2026-09-15', items: [{ title: 'О плане работы' }] });
    const itemId = meeting.items[0]!.id;
    expect(await refused(teacher.meetingOp(meeting.id, { type: 'item.add', id: 'it-t', title: 'Моё' }))).toEqual([403, 'forbidden']);
    expect(await refused(teacher.meetingOp(meeting.id, { type: 'item.update', id: itemId, title: 'Иначе' }))).toEqual([403, 'forbidden']);
    expect(await refused(teacher.meetingOp(meeting.id, { type: 'speaker.request', itemId, id: 'sp-other', accountId: expert.id }))).toEqual([403, 'forbidden']);
    expect(await refused(teacher.updateCouncil(c.id, council([teacher.id]), c.version))).toEqual([403, 'forbidden']);

    const asked = await teacher.meetingOp(meeting.id, { type: 'speaker.request', itemId, id: 'sp-teacher' });
    expect(asked.canRun).toBe(false);
    expect(asked.meeting.items[0]!.speakers.map((s) => s.name)).toEqual(['Нурланов Е. К.']);
    expect(asked.meeting.items[0]!.title).toBe('О плане работы');
    // The chair (an expert) runs the council's meetings.
    expect((await expert.meeting(meeting.id)).canRun).toBe(true);
  });

  it('only an owner changes roles; the last owner can be neither demoted nor leave', async () => {
    expect(await refused(methodologist.setRole(ws, teacher.id, 'expert'))).toEqual([403, 'forbidden']);
    expect(await refused(owner.setRole(ws, owner.id, 'teacher'))).toEqual([409, 'last_owner']);
    expect(await refused(owner.removeMember(ws, owner.id))).toEqual([409, 'last_owner']);
    expect(await refused(owner.setRole(ws, outsider.id, 'teacher'))).toEqual([404, 'not_found']);
    expect((await owner.workspace(ws)).role).toBe('owner');

    // With a second owner, the first may step down.
    expect((await owner.setRole(ws, methodologist.id, 'owner')).role).toBe('owner');
    expect((await owner.setRole(ws, owner.id, 'methodologist')).role).toBe('methodologist');
    expect(await refused(methodologist.setRole(ws, methodologist.id, 'teacher'))).toEqual([409, 'last_owner']);
    expect((await methodologist.setRole(ws, owner.id, 'owner')).role).toBe('owner');
    expect((await owner.setRole(ws, methodologist.id, 'methodologist')).role).toBe('methodologist');

    // Anyone may leave; only an owner removes someone else.
    const leaver = await newAccount(server.url, 'Уходящий');
    await addMember(owner, ws, leaver, 'teacher');
    expect(await refused(teacher.removeMember(ws, leaver.id))).toEqual([403, 'forbidden']);
    await leaver.removeMember(ws, leaver.id);
    expect(await refused(leaver.workspace(ws))).toEqual([403, 'forbidden']);
  });

  it('a non-member gets 403 on every read and every change; an unknown workspace is 404', async () => {
    const c = (await owner.councils(ws))[0]!;
    const meetingId = (await owner.council(c.id)).meetings[0]!.id;
    const reads: (() => Promise<unknown>)[] = [
      () => outsider.workspace(ws),
      () => outsider.invitations(ws),
      () => outsider.workspaceSessions(ws),
      () => outsider.workspaceTemplates(ws),
      () => outsider.councils(ws),
      () => outsider.council(c.id),
      () => outsider.meeting(meetingId),
      () => outsider.decisions(ws),
      () => outsider.decisionsCsv(ws),
    ];
    for (const r of reads) expect(await refused(r())).toEqual([403, 'forbidden']);
    const changes: (() => Promise<unknown>)[] = [
      () => outsider.updateWorkspace(ws, { name: 'Захват' }),
      () => outsider.createCouncil(ws, council([outsider.id])),
      () => outsider.createMeeting(c.id, { date: '2026-10-01' }),
      () => outsider.meetingOp(meetingId, { type: 'speaker.request', itemId: 'x', id: 'y' }),
      () => outsider.meetingSession(meetingId),
    ];
    for (const r of changes) expect(await refused(r())).toEqual([403, 'forbidden']);
    expect(await refused(outsider.workspace('no-such-ws'))).toEqual([404, 'not_found']);
    // Signed out: 401 before anything else.
    const anonymous = new AccountClient(server.url);
    expect(await refused(anonymous.workspace(ws))).toEqual([401, 'unauthorized']);
    expect(await refused(anonymous.createWorkspace({ name: 'X', organisation: '', place: '', locale: 'ru' }))).toEqual([401, 'unauthorized']);
  });

  it('refuses a council with someone who is not a member (400 unknown_member)', async () => {
    expect(await refused(owner.createCouncil(ws, council([teacher.id, outsider.id])))).toEqual([400, 'unknown_member']);
    expect(await refused(owner.createCouncil(ws, council([teacher.id], outsider.id)))).toEqual([400, 'unknown_member']);
  });
});
