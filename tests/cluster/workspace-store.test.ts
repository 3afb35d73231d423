import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account, Council, Invitation, Meeting, Workspace, WorkspaceRole } from '@kenes/shared';
import { guardStore, StoreUnavailable } from '../../server/src/store/guard.js';
import { PostgresStore } from '../../server/src/store/postgres.js';
import { SQLiteStore } from '../../server/src/store/sqlite.js';
import type { Store } from '../../server/src/store/store.js';
import type { WorkspaceDump, WorkspaceStore } from '../../server/src/store/workspace.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';

let pg: TestPostgres;
let dir: string;
let pgUrl: string;

beforeAll(async () => {
  pg = await startPostgres();
  pgUrl = await pg.createDatabase('workspaces');
  dir = mkdtempSync(join(tmpdir(), 'kenes-ws-store-'));
});

afterAll(async () => {
  await pg?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
const id = (prefix: string) => `${prefix}${++n}`;
const T0 = 1_760_000_000_000;

function account(name: string, login = id('user')): Account {
  return { id: id('acc'), login, name, createdAt: T0 + n };
}

function workspace(name = 'Городской методический кабинет'): Workspace {
  return { id: id('ws'), name, organisation: 'Отдел образования г. Алматы', place: 'Алматы', locale: 'ru', createdAt: T0 + n };
}

function council(workspaceId: string, memberIds: string[]): Council {
  return {
    id: id('council'),
    workspaceId,
    name: 'Методический совет',
    kind: 'methodical',
    memberIds,
    chairId: memberIds[0] ?? null,
    secretaryId: memberIds[1] ?? null,
    quorum: { kind: 'majority' },
    createdAt: T0 + n,
    version: 1,
  };
}

function meeting(c: Council, date: string): Omit<Meeting, 'number'> {
  return {
    id: id('meeting'),
    workspaceId: c.workspaceId,
    councilId: c.id,
    year: Number(date.slice(0, 4)),
    date,
    time: '15:00',
    place: 'Актовый зал',
    status: 'planned',
    memberIds: c.memberIds,
    chairId: c.chairId,
    secretaryId: c.secretaryId,
    quorum: c.quorum,
    attendance: {},
    guests: [],
    items: [
      {
        id: 'i1',
        kind: 'regular',
        title: 'О плане работы на год',
        reporter: 'Ахметова Г. С., методист',
        heard: '',
        speakers: [],
        decisions: [{ id: id('dec'), text: 'Утвердить план работы', responsibleId: c.memberIds[0] ?? null, responsibleName: 'Ахметова Г. С.', dueDate: `${date.slice(0, 4)}-12-20`, vote: { for: 5, against: 0, abstained: 1 } }],
        reviewed: [],
      },
    ],
    sessionId: null,
    sessionCode: null,
    createdAt: T0 + n,
    version: 1,
  };
}

function invitation(workspaceId: string, createdBy: string, over: Partial<Invitation> = {}): Invitation {
  return { id: id('inv'), workspaceId, role: 'teacher', createdBy, createdAt: T0, expiresAt: T0 + 14 * 86_400_000, maxUses: 1, uses: 0, revoked: false, ...over };
}

/** A workspace with its owner, and more members with the roles given. */
async function withMembers(ws: WorkspaceStore, roles: WorkspaceRole[]): Promise<{ w: Workspace; owner: Account; others: Account[] }> {
  const owner = account('Ахметова Гульнара');
  await ws.createAccount(owner, 'hash');
  const w = workspace();
  await ws.createWorkspace(w, owner.id);
  const others: Account[] = [];
  for (const [i, role] of roles.entries()) {
    const a = account(`Member ${i}`);
    await ws.createAccount(a, 'hash');
    const token = id('tok');
    await ws.createInvitation(invitation(w.id, owner.id, { role }), token);
    expect(await ws.acceptInvitation(token, a.id, T0 + 1)).toEqual({ result: 'joined', workspaceId: w.id, role });
    others.push(a);
  }
  return { w, owner, others };
}

const ENGINES: [string, () => Promise<Store>][] = [
  ['SQLite', async () => new SQLiteStore({ file: join(dir, `kenes-${++n}.db`) })],
  ['PostgreSQL', () => PostgresStore.open({ url: pgUrl, poolSize: 4 })],
];

describe.each(ENGINES)('workspaces in the %s store', (_name, open) => {
  let store: Store;
  let ws: WorkspaceStore;
  beforeAll(async () => {
    store = await open();
    ws = store.workspaces;
  });
  afterAll(async () => {
    await store?.close();
  });

  it('keeps accounts by id and exact login, refuses a taken login, and changes a password hash', async () => {
    const a = account('Ахметова Гульнара Сериковна', id('gulnara.a@school'));
    expect(await ws.createAccount(a, 'argon-1')).toBe('created');
    expect(await ws.account(a.id)).toEqual(a);
    expect(await ws.accountByLogin(a.login)).toEqual({ account: a, passwordHash: 'argon-1' });
    expect(await ws.accountByLogin(a.login.toUpperCase())).toBeNull();
    expect(await ws.accountByLogin('nobody')).toBeNull();
    expect(await ws.account('nobody')).toBeNull();

    // Another person with the same login: refused, and nothing of theirs is written.
    const other = { ...account('Другой'), login: a.login };
    expect(await ws.createAccount(other, 'argon-x')).toBe('login_taken');
    expect(await ws.account(other.id)).toBeNull();
    expect((await ws.accountByLogin(a.login))!.account.id).toBe(a.id);

    await ws.setPasswordHash(a.id, 'argon-2');
    expect((await ws.accountByLogin(a.login))!.passwordHash).toBe('argon-2');
  });

  it('finds a signed-in browser by its hash until it expires, and forgets it on sign-out', async () => {
    const a = account('Дана');
    await ws.createAccount(a, 'h');
    const s = { idHash: id('sess-hash'), accountId: a.id, csrf: 'csrf-value', createdAt: T0, expiresAt: T0 + 1000 };
    await ws.createAuthSession(s);
    expect(await ws.authSession(s.idHash, T0 + 999)).toEqual(s);
    expect(await ws.authSession(s.idHash, T0 + 1000)).toBeNull();
    expect(await ws.authSession('other-hash', T0)).toBeNull();
    await ws.deleteAuthSession(s.idHash);
    expect(await ws.authSession(s.idHash, T0)).toBeNull();
  });

  it('drops an account’s expired sign-ins when it signs in again, and keeps the live ones', async () => {
    const a = account('Марат');
    await ws.createAccount(a, 'h');
    const old = { idHash: id('old-hash'), accountId: a.id, csrf: 'c1', createdAt: T0, expiresAt: T0 + 1000 };
    const live = { idHash: id('live-hash'), accountId: a.id, csrf: 'c2', createdAt: T0, expiresAt: T0 + 10_000 };
    await ws.createAuthSession(old);
    await ws.createAuthSession(live);
    await ws.createAuthSession({ idHash: id('new-hash'), accountId: a.id, csrf: 'c3', createdAt: T0 + 2000, expiresAt: T0 + 20_000 });
    // Asked as of a moment when it was still valid: only a row that is gone answers null.
    expect(await ws.authSession(old.idHash, T0)).toBeNull();
    expect(await ws.authSession(live.idHash, T0)).toEqual(live);
  });

  it('creates a workspace with its owner, lists it for its members, and updates it', async () => {
    const owner = account('Ахметова Гульнара');
    await ws.createAccount(owner, 'h');
    const w = workspace();
    await ws.createWorkspace(w, owner.id);
    expect(await ws.workspace(w.id)).toEqual(w);
    expect(await ws.workspace('nowhere')).toBeNull();
    expect(await ws.role(w.id, owner.id)).toBe('owner');
    expect(await ws.members(w.id)).toEqual([{ accountId: owner.id, name: owner.name, login: owner.login, role: 'owner', joinedAt: w.createdAt }]);

    const second = workspace('Школа № 12');
    await ws.createWorkspace(second, owner.id);
    expect(await ws.workspacesOf(owner.id)).toEqual([
      { workspace: w, role: 'owner' },
      { workspace: second, role: 'owner' },
    ]);
    const renamed = { ...w, name: 'Методический кабинет Медеуского района', place: 'Алматы, ул. Абая 1', locale: 'kk' as const };
    await ws.updateWorkspace(renamed);
    expect(await ws.workspace(w.id)).toEqual(renamed);
    expect(await ws.workspacesOf('stranger')).toEqual([]);
    expect(await ws.role(w.id, 'stranger')).toBeNull();
  });

  it('writes neither the workspace nor the membership when the owner is not an account', async () => {
    const w = workspace();
    await expect(ws.createWorkspace(w, 'no-such-account')).rejects.toThrow();
    expect(await ws.workspace(w.id)).toBeNull();
  });

  it('lists members by name with their accounts, changes roles and removes members, never the last owner', async () => {
    const { w, owner, others } = await withMembers(ws, ['teacher', 'expert', 'methodologist']);
    const [teacher, expert, methodologist] = others as [Account, Account, Account];
    await ws.createAccount({ ...account('Әлия Бекова'), id: 'z-aliya' }, 'h');
    await ws.createAccount({ ...account('Арман Жанов'), id: 'a-arman' }, 'h');
    await ws.createAccount({ ...account('Бекова Сауле'), id: 'b-saule' }, 'h');
    const inv = invitation(w.id, owner.id, { maxUses: 3 });
    await ws.createInvitation(inv, 'three-uses');
    for (const [i, who] of ['z-aliya', 'b-saule', 'a-arman'].entries()) await ws.acceptInvitation('three-uses', who, T0 + 2 + i);
    const members = await ws.members(w.id);
    // By name as a Russian or Kazakh reader orders it (Ә beside А, not after Я; Cyrillic first),
    // whatever the ids, the order of joining or the database's collation.
    expect(members.map((m) => m.name)).toEqual(['Арман Жанов', 'Ахметова Гульнара', 'Әлия Бекова', 'Бекова Сауле', 'Member 0', 'Member 1', 'Member 2']);
    expect(members.find((m) => m.accountId === teacher.id)).toEqual({ accountId: teacher.id, name: teacher.name, login: teacher.login, role: 'teacher', joinedAt: T0 + 1 });

    // The only owner can neither step down nor be removed; nothing changes.
    expect(await ws.setRole(w.id, owner.id, 'methodologist')).toBe('last_owner');
    expect(await ws.removeMember(w.id, owner.id)).toBe('last_owner');
    expect(await ws.role(w.id, owner.id)).toBe('owner');
    // Staying owner is no loss of an owner.
    expect(await ws.setRole(w.id, owner.id, 'owner')).toBe('ok');

    expect(await ws.setRole(w.id, expert.id, 'methodologist')).toBe('ok');
    expect(await ws.role(w.id, expert.id)).toBe('methodologist');
    expect(await ws.setRole(w.id, methodologist.id, 'owner')).toBe('ok');
    // Two owners now: either may go.
    expect(await ws.setRole(w.id, owner.id, 'teacher')).toBe('ok');
    expect(await ws.removeMember(w.id, methodologist.id)).toBe('last_owner');
    expect(await ws.setRole(w.id, owner.id, 'owner')).toBe('ok');
    expect(await ws.removeMember(w.id, methodologist.id)).toBe('ok');
    expect(await ws.role(w.id, methodologist.id)).toBeNull();
    expect(await ws.workspacesOf(methodologist.id)).toEqual([]);
    expect(await ws.removeMember(w.id, teacher.id)).toBe('ok');

    expect(await ws.setRole(w.id, 'stranger', 'teacher')).toBe('missing');
    expect(await ws.removeMember(w.id, 'stranger')).toBe('missing');
    expect(await ws.removeMember(w.id, teacher.id)).toBe('missing');
    expect((await ws.members(w.id)).map((m) => [m.accountId, m.role])).toEqual([
      ['a-arman', 'teacher'],
      [owner.id, 'owner'],
      ['z-aliya', 'teacher'],
      ['b-saule', 'teacher'],
      [expert.id, 'methodologist'],
    ]);
  });

  it('lets an invitation in while it is valid, counting each new member once', async () => {
    const { w, owner } = await withMembers(ws, []);
    const people = await Promise.all(['Айгерим', 'Ерлан', 'Жанна'].map(async (name) => {
      const a = account(name);
      await ws.createAccount(a, 'h');
      return a;
    }));
    const [a, b, c] = people as [Account, Account, Account];
    const inv = invitation(w.id, owner.id, { role: 'expert', maxUses: 2, expiresAt: T0 + 1000 });
    await ws.createInvitation(inv, 'hash-expert');
    expect(await ws.invitationByToken('hash-expert')).toEqual(inv);
    expect(await ws.invitationByToken('unknown')).toBeNull();

    expect(await ws.acceptInvitation('hash-expert', a.id, T0 + 10)).toEqual({ result: 'joined', workspaceId: w.id, role: 'expert' });
    // Again, or as the owner: already a member, keeping the role, using nothing up.
    expect(await ws.acceptInvitation('hash-expert', a.id, T0 + 11)).toEqual({ result: 'already_member', workspaceId: w.id, role: 'expert' });
    expect(await ws.acceptInvitation('hash-expert', owner.id, T0 + 12)).toEqual({ result: 'already_member', workspaceId: w.id, role: 'owner' });
    expect((await ws.invitationByToken('hash-expert'))!.uses).toBe(1);
    expect(await ws.members(w.id)).toContainEqual({ accountId: a.id, name: a.name, login: a.login, role: 'expert', joinedAt: T0 + 10 });

    // Expired: nobody joins.
    expect(await ws.acceptInvitation('hash-expert', b.id, T0 + 1000)).toEqual({ result: 'invalid' });
    expect(await ws.role(w.id, b.id)).toBeNull();
    expect(await ws.acceptInvitation('hash-expert', b.id, T0 + 999)).toMatchObject({ result: 'joined' });
    // Used up.
    expect(await ws.acceptInvitation('hash-expert', c.id, T0 + 20)).toEqual({ result: 'invalid' });
    expect(await ws.role(w.id, c.id)).toBeNull();
    expect((await ws.invitationByToken('hash-expert'))!.uses).toBe(2);
    expect(await ws.acceptInvitation('no-such-token', c.id, T0)).toEqual({ result: 'invalid' });

    // Revoked: refused; revoking needs the right workspace.
    const later = invitation(w.id, owner.id, { createdAt: T0 + 5, maxUses: 10 });
    await ws.createInvitation(later, 'hash-teacher');
    expect((await ws.invitations(w.id)).map((i) => i.id)).toEqual([later.id, inv.id]);
    expect(await ws.revokeInvitation('other-ws', later.id)).toBe(false);
    expect(await ws.revokeInvitation(w.id, 'no-such-id')).toBe(false);
    expect(await ws.revokeInvitation(w.id, later.id)).toBe(true);
    expect((await ws.invitationByToken('hash-teacher'))!.revoked).toBe(true);
    expect(await ws.acceptInvitation('hash-teacher', c.id, T0 + 20)).toEqual({ result: 'invalid' });
    expect(await ws.role(w.id, c.id)).toBeNull();
    expect((await ws.invitationByToken('hash-teacher'))!.uses).toBe(0);
    expect(await ws.invitations('other-ws')).toEqual([]);
  });

  it('keeps councils and writes a change only on top of the version it was made from', async () => {
    const { w, owner, others } = await withMembers(ws, ['teacher', 'teacher']);
    const c = council(w.id, [owner.id, ...others.map((o) => o.id)]);
    await ws.createCouncil(c);
    const expert = { ...council(w.id, [owner.id]), name: 'Экспертный совет', kind: 'expert' as const, quorum: { kind: 'fraction' as const, num: 3, den: 5 } };
    await ws.createCouncil(expert);
    expect(await ws.council(c.id)).toEqual(c);
    expect(await ws.council('none')).toBeNull();
    expect(await ws.councils(w.id)).toEqual([c, expert]);
    expect(await ws.councils('other-ws')).toEqual([]);

    const changed = { ...c, name: 'Городской методический совет', secretaryId: others[1]!.id, version: 2 };
    expect(await ws.updateCouncil(changed, 1)).toBe(true);
    // A change computed from version 1 as well, landing second: refused, nothing written.
    expect(await ws.updateCouncil({ ...c, name: 'Stale', version: 2 }, 1)).toBe(false);
    expect(await ws.council(c.id)).toEqual(changed);
    expect(await ws.updateCouncil({ ...changed, id: 'none', version: 3 }, 2)).toBe(false);
  });

  it('numbers meetings per council and year, lists them both ways, and saves on top of their version only', async () => {
    const { w, owner, others } = await withMembers(ws, ['teacher']);
    const c = council(w.id, [owner.id, others[0]!.id]);
    const other = council(w.id, [owner.id]);
    await ws.createCouncil(c);
    await ws.createCouncil(other);
    const first = await ws.createMeeting(meeting(c, '2025-09-15'));
    expect(first.number).toBe(1);
    expect(await ws.meeting(first.id)).toEqual(first);
    const second = await ws.createMeeting(meeting(c, '2025-11-20'));
    expect(second.number).toBe(2);
    // Another council counts on its own; a new year starts again at 1.
    expect((await ws.createMeeting(meeting(other, '2025-10-01'))).number).toBe(1);
    const nextYear = await ws.createMeeting(meeting(c, '2026-01-25'));
    expect(nextYear.number).toBe(1);
    expect((await ws.meetings(c.id)).map((m) => [m.year, m.number])).toEqual([[2026, 1], [2025, 2], [2025, 1]]);
    expect((await ws.workspaceMeetings(w.id)).map((m) => m.date)).toEqual(['2025-09-15', '2025-10-01', '2025-11-20', '2026-01-25']);
    expect(await ws.meeting('none')).toBeNull();
    expect(await ws.meetings('none')).toEqual([]);

    const opened: Meeting = { ...first, status: 'open', attendance: { [owner.id]: 'present', [others[0]!.id]: 'absent' }, version: 2 };
    expect(await ws.saveMeeting(opened, 1)).toBe(true);
    expect(await ws.saveMeeting({ ...first, status: 'closed', version: 2 }, 1)).toBe(false);
    expect(await ws.meeting(first.id)).toEqual(opened);
    // Its number stays the one it was given.
    expect(await ws.saveMeeting({ ...opened, number: 7, version: 3 }, 2)).toBe(true);
    expect((await ws.meeting(first.id))!.number).toBe(1);
  });

  it('keeps one execution record per decision, replaced by the next', async () => {
    const { w, owner } = await withMembers(ws, []);
    expect(await ws.executions(w.id)).toEqual([]);
    const e1 = { decisionId: 'd1', done: false, doneAt: null, note: 'В работе', updatedBy: owner.id, updatedAt: T0 };
    const e2 = { decisionId: 'd2', done: true, doneAt: T0 + 5, note: 'Исполнено: приказ № 14', updatedBy: owner.id, updatedAt: T0 + 5 };
    await ws.putExecution(w.id, e1);
    await ws.putExecution(w.id, e2);
    const e1done = { ...e1, done: true, doneAt: T0 + 9, note: 'Исполнено', updatedAt: T0 + 9 };
    await ws.putExecution(w.id, e1done);
    expect(await ws.executions(w.id)).toEqual([e1done, e2]);
    expect(await ws.executions('other-ws')).toEqual([]);
  });

  it('links sessions, templates and participants to workspaces and accounts', async () => {
    const { w, owner, others } = await withMembers(ws, ['teacher']);
    const teacher = others[0]!;
    const s1 = { sessionId: id('sess'), kind: 'session' as const, createdBy: owner.id, createdAt: T0 + 1 };
    const s2 = { sessionId: id('sess'), kind: 'meeting' as const, createdBy: owner.id, createdAt: T0 + 2 };
    await ws.linkSession(w.id, s1);
    await ws.linkSession(w.id, s2);
    await ws.linkSession(w.id, s1);
    expect(await ws.workspaceSessions(w.id)).toEqual([s2, s1]);
    expect(await ws.sessionWorkspace(s1.sessionId)).toBe(w.id);
    expect(await ws.sessionWorkspace('free-session')).toBeNull();

    await ws.linkTemplate(w.id, 'tpl-old', T0 + 1);
    await ws.linkTemplate(w.id, 'tpl-new', T0 + 2);
    expect(await ws.workspaceTemplates(w.id)).toEqual(['tpl-new', 'tpl-old']);
    expect(await ws.workspaceTemplates('other-ws')).toEqual([]);

    const p1 = { sessionId: s1.sessionId, participantId: 'p1', accountId: teacher.id, linkedAt: T0 + 10 };
    const p2 = { sessionId: s2.sessionId, participantId: 'p7', accountId: teacher.id, linkedAt: T0 + 20 };
    const p3 = { sessionId: s1.sessionId, participantId: 'p2', accountId: owner.id, linkedAt: T0 + 11 };
    for (const p of [p1, p2, p3]) await ws.linkParticipant(p);
    // Linking again changes nothing: the record stays its first owner's.
    await ws.linkParticipant({ ...p1, accountId: owner.id, linkedAt: T0 + 99 });
    expect(await ws.participationOf(teacher.id)).toEqual([p2, p1]);
    expect(await ws.sessionAccounts(s1.sessionId)).toEqual([p1, p3]);
    expect(await ws.participationOf('nobody')).toEqual([]);
  });

  it('answers a failure of the engine with StoreUnavailable through the guard', async () => {
    const lost = guardStore(await open());
    await lost.close();
    await expect(lost.workspaces.account('anyone')).rejects.toBeInstanceOf(StoreUnavailable);
    await expect(lost.workspaces.createMeeting(meeting(council('w', []), '2025-01-01'))).rejects.toBeInstanceOf(StoreUnavailable);
  });
});

/** An empty store of each engine: a new SQLite file, or a new PostgreSQL database. */
const FRESH: [string, () => Promise<Store>][] = [
  ['SQLite', async () => new SQLiteStore({ file: join(dir, `fresh-${++n}.db`) })],
  ['PostgreSQL', async () => PostgresStore.open({ url: await pg.createDatabase(`fresh_${++n}`), poolSize: 2 })],
];

/** Each table's rows in one order, whatever order an engine listed them in. */
const sorted = (d: WorkspaceDump) =>
  Object.fromEntries(Object.entries(d).map(([table, rows]) => [table, (rows as unknown[]).map((r) => JSON.stringify(r, Object.keys(r as object).sort())).sort()]));

const rowCount = (d: WorkspaceDump) => Object.values(d).reduce((k, rows) => k + rows.length, 0);

/** A workspace with every kind of row: members, invitations, a council, meetings, an execution, links and a sign-in. */
async function everything(ws: WorkspaceStore) {
  const { w, owner, others } = await withMembers(ws, ['teacher', 'expert']);
  await ws.createInvitation(invitation(w.id, owner.id, { maxUses: 5, revoked: true }), id('tok'));
  const c = council(w.id, [owner.id, others[0]!.id, others[1]!.id]);
  await ws.createCouncil(c);
  await ws.updateCouncil({ ...c, name: 'Педагогический совет', kind: 'pedagogical', version: 2 }, 1);
  const m = await ws.createMeeting(meeting(c, '2025-10-02'));
  await ws.saveMeeting({ ...m, status: 'closed', attendance: { [owner.id]: 'present' }, version: 2 }, 1);
  await ws.createMeeting(meeting(c, '2025-12-02'));
  await ws.putExecution(w.id, { decisionId: m.items[0]!.decisions[0]!.id, done: true, doneAt: T0, note: 'Готово', updatedBy: owner.id, updatedAt: T0 });
  await ws.linkSession(w.id, { sessionId: 'live-room', kind: 'meeting', createdBy: owner.id, createdAt: T0 });
  await ws.linkTemplate(w.id, 'saved-template', T0);
  await ws.linkParticipant({ sessionId: 'live-room', participantId: 'p1', accountId: others[0]!.id, linkedAt: T0 });
  await ws.createAuthSession({ idHash: 'signed-in-browser', accountId: owner.id, csrf: 'c', createdAt: T0, expiresAt: T0 + 1e12 });
  return { w, owner, others, m };
}

describe.each(FRESH)('copying workspaces out of the %s store', (_from, openFrom) => {
  it.each(FRESH)('into a %s store: every table but the sign-ins, once, and all or nothing', async (_to, openTo) => {
    const from = await openFrom();
    const to = await openTo();
    try {
      const { w, owner, m } = await everything(from.workspaces);
      const dump = await from.workspaces.dump();
      expect(dump.accounts).toHaveLength(3);
      expect(dump.memberships).toHaveLength(3);
      expect(dump.invitations).toHaveLength(3);
      expect(dump.meetings.map((x) => [x.number, x.status, x.version])).toEqual([[1, 'closed', 2], [2, 'planned', 1]]);
      expect(JSON.stringify(dump)).not.toContain('signed-in-browser');

      // A login the target already gives to someone else: the restore fails and writes nothing.
      await to.workspaces.createAccount({ id: 'someone-else', login: owner.login, name: 'Другой', createdAt: T0 }, 'h');
      await expect(to.workspaces.restore(dump)).rejects.toThrow();
      expect(await to.workspaces.workspace(w.id)).toBeNull();
      const clash = await to.workspaces.dump();
      expect(rowCount(clash)).toBe(1);

      const target = await openTo();
      try {
        expect(await target.workspaces.restore(dump)).toBe(rowCount(dump));
        expect(sorted(await target.workspaces.dump())).toEqual(sorted(dump));
        // Again: every key is there, nothing is written twice.
        expect(await target.workspaces.restore(dump)).toBe(0);
        expect(rowCount(await target.workspaces.dump())).toBe(rowCount(dump));
        expect(await target.workspaces.meeting(m.id)).toEqual(await from.workspaces.meeting(m.id));
        expect(await target.workspaces.members(w.id)).toEqual(await from.workspaces.members(w.id));
        expect(await target.workspaces.accountByLogin(owner.login)).toEqual(await from.workspaces.accountByLogin(owner.login));
        // Signed-in browsers stay behind: everyone signs in again after a move.
        expect(await target.workspaces.authSession('signed-in-browser', T0)).toBeNull();
        // Numbering goes on after the copied meetings.
        const c = (await target.workspaces.councils(w.id))[0]!;
        expect((await target.workspaces.createMeeting(meeting(c, '2025-12-20'))).number).toBe(3);
      } finally {
        await target.close();
      }
    } finally {
      await from.close();
      await to.close();
    }
  });
});

describe('workspaces on PostgreSQL under concurrent writes', () => {
  let a: Store;
  let b: Store;
  beforeAll(async () => {
    // Two nodes on one database.
    const url = await pg.createDatabase('ws_races');
    [a, b] = await Promise.all([PostgresStore.open({ url, poolSize: 6 }), PostgresStore.open({ url, poolSize: 6 })]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  it('lets only one of two owners demoting (or removing) each other at once succeed', async () => {
    for (let round = 0; round < 8; round++) {
      const { w, owner, others } = await withMembers(a.workspaces, ['owner']);
      const second = others[0]!;
      const [x, y] =
        round % 2 === 0
          ? await Promise.all([a.workspaces.setRole(w.id, owner.id, 'methodologist'), b.workspaces.setRole(w.id, second.id, 'teacher')])
          : await Promise.all([a.workspaces.removeMember(w.id, second.id), b.workspaces.removeMember(w.id, owner.id)]);
      expect([x, y].sort()).toEqual(['last_owner', 'ok']);
      expect((await a.workspaces.members(w.id)).filter((m) => m.role === 'owner')).toHaveLength(1);
    }
  });

  it('lets exactly one of two accounts racing for an invitation’s last use join', async () => {
    for (let round = 0; round < 8; round++) {
      const { w, owner } = await withMembers(a.workspaces, []);
      const [x, y] = [account('Айгерим'), account('Ерлан')];
      await a.workspaces.createAccount(x, 'h');
      await a.workspaces.createAccount(y, 'h');
      const token = id('last-use');
      await a.workspaces.createInvitation(invitation(w.id, owner.id, { maxUses: 2, uses: 1 }), token);
      const results = await Promise.all([a.workspaces.acceptInvitation(token, x.id, T0 + 5), b.workspaces.acceptInvitation(token, y.id, T0 + 5)]);
      expect(results.map((r) => r.result).sort()).toEqual(['invalid', 'joined']);
      expect(await a.workspaces.members(w.id)).toHaveLength(2);
      expect((await a.workspaces.invitationByToken(token))!.uses).toBe(2);
    }
  });

  it('counts an account racing itself for one invitation once', async () => {
    const { w, owner } = await withMembers(a.workspaces, []);
    const x = account('Дана');
    await a.workspaces.createAccount(x, 'h');
    await a.workspaces.createInvitation(invitation(w.id, owner.id, { maxUses: 5 }), 'twice');
    const results = await Promise.all([a.workspaces.acceptInvitation('twice', x.id, T0), b.workspaces.acceptInvitation('twice', x.id, T0)]);
    expect(results.map((r) => r.result).sort()).toEqual(['already_member', 'joined']);
    expect((await a.workspaces.invitationByToken('twice'))!.uses).toBe(1);
  });

  it('gives ten meetings created at once on two nodes the numbers 1 to 10, and a new year starts at 1', async () => {
    const { w, owner } = await withMembers(a.workspaces, []);
    const c = council(w.id, [owner.id]);
    await a.workspaces.createCouncil(c);
    const made = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).workspaces.createMeeting(meeting(c, '2025-03-10'))));
    expect(made.map((m) => m.number).sort((p, q) => p - q)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // What each call answered is what was stored.
    for (const m of made) expect((await b.workspaces.meeting(m.id))!.number).toBe(m.number);
    const next = await Promise.all([a.workspaces.createMeeting(meeting(c, '2026-01-12')), b.workspaces.createMeeting(meeting(c, '2026-01-13'))]);
    expect(next.map((m) => m.number).sort()).toEqual([1, 2]);
    expect((await a.workspaces.meetings(c.id)).map((m) => `${m.year}/${m.number}`).slice(0, 3)).toEqual(['2026/2', '2026/1', '2025/10']);
  });
});
