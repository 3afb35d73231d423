import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, deleteTemplate, fetchMinutes, listTemplates, saveSessionTemplate, SessionClient, type BoardConnection } from '@kenes/shared/client';
import { addNote, groupBoardId, personalBoardId, readNotes, type Allocation, type SessionState } from '@kenes/shared';
import { ROOT, startServer, type TestServer } from '../helpers/server.js';
import { board, newFacilitator, newTeacher, type Teacher } from '../helpers/people.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { waitFor } from '../helpers/wait.js';
import { PostgresStore } from '../../server/src/store/postgres.js';
import { SQLiteStore } from '../../server/src/store/sqlite.js';
import type { Council, Meeting, PortfolioRecord, Project, Workspace } from '@kenes/shared';

const run = promisify(execFile);

let pg: TestPostgres;
const servers: TestServer[] = [];
const boards: BoardConnection[] = [];
const clients: SessionClient[] = [];

beforeAll(async () => {
  pg = await startPostgres();
});

afterAll(async () => {
  for (const b of boards) b.close();
  for (const c of clients) c.close();
  for (const s of servers) await s.kill();
  await pg?.destroy();
});

async function server(opts: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const s = await startServer(opts);
  servers.push(s);
  return s;
}

function open(url: string, t: Teacher, boardId: string): BoardConnection {
  const conn = board(url, t.sessionId, boardId, t.token);
  boards.push(conn);
  return conn;
}

function note(t: Teacher, id: string, text: string) {
  return { id, text, color: 'green' as const, authorId: t.participantId, authorName: t.name, stageId: 's4', createdAt: 1 };
}

/** The command the README documents, run as a user would. */
function migrateStore(from: string, to: string) {
  return run('npm', ['run', '--silent', 'migrate-store', '--', '--from', from, '--to', to], { cwd: ROOT });
}

describe('moving sessions from SQLite to PostgreSQL', () => {
  it('copies a session that a server on PostgreSQL then serves with the same state, notes, tally and people', async () => {
    // A session on SQLite: groups, notes (folded into a snapshot, then more in the log), votes, a ballot, a diary entry.
    const first = await server({});
    const dataDir = first.dataDir;
    const fac = await newFacilitator(first.url, { title: 'Перенос', facilitator: 'Гульнара' });
    clients.push(fac.client);
    const code = fac.created.code;
    const teachers = await Promise.all(['Айгерим', 'Дана', 'Ерлан', 'Жанна'].map((n) => newTeacher(first.url, code, n)));
    clients.push(...teachers.map((t) => t.client));
    await fac.client.command({ type: 'groups.split', count: 2 });
    await waitFor(() => teachers.every((t) => t.client.me?.groupId), 'groups');
    await fac.client.command({ type: 'stage.go', index: 3, from: 0 });
    const t0 = teachers[0]!;
    const gid = t0.client.me!.groupId!;
    const own = open(first.url, t0, personalBoardId(t0.participantId));
    const group = open(first.url, t0, groupBoardId(gid));
    await Promise.all([own.synced, group.synced]);
    addNote(own.doc, note(t0, 'mine', 'Личная заметка'));
    for (let i = 0; i < 5; i++) addNote(group.doc, note(t0, `g${i}`, `Идея ${i}`));
    const check = open(first.url, teachers.find((t) => t !== t0 && t.client.me!.groupId === gid)!, groupBoardId(gid));
    await waitFor(() => readNotes(check.doc).length === 5, 'group notes stored and relayed');
    await waitFor(() => own.provider.synced, 'personal note synced');
    for (const b of boards.splice(0)) b.close();
    await first.kill('SIGTERM');

    const second = await server({ dataDir, port: first.port });
    await waitFor(() => fac.client.status === 'online', 'facilitator back');
    const later = open(second.url, t0, groupBoardId(gid));
    await later.synced;
    addNote(later.doc, note(t0, 'late', 'Идея после перезапуска'));
    for (const gid2 of ['g1', 'g2']) await fac.client.command({ type: 'group.solution', groupId: gid2, text: `Решение ${gid2}` });
    await fac.client.command({ type: 'stage.go', index: 5, from: 3 });
    await fac.client.command({ type: 'vote.open' });
    await waitFor(() => teachers.every((t) => t.client.state?.vote.status === 'open'), 'vote open');
    const votes: Allocation[] = [{ g1: 2 }, { g1: 1, g2: 1 }, { g2: 2 }, { g1: 2 }];
    expect((await Promise.all(teachers.map((t, i) => t.client.vote(votes[i]!)))).every((a) => a.ok)).toBe(true);
    await fac.client.command({ type: 'vote.close' });
    await fac.client.command({ type: 'vote.reveal' });
    await fac.client.command({
      type: 'ballot.create',
      ballot: { id: 'fmt', kind: 'single', title: 'Формат', options: [{ id: 'o1', label: 'Кейс' }, { id: 'o2', label: 'Аквариум' }], visibility: 'live' },
    });
    await fac.client.command({ type: 'ballot.open', ballotId: 'fmt' });
    await waitFor(() => teachers.every((t) => t.client.state?.ballots[0]?.status === 'open'), 'ballot open');
    for (const [i, t] of teachers.entries()) expect((await t.client.answer('fmt', { kind: 'single', option: i < 3 ? 'o1' : 'o2' })).ok).toBe(true);
    expect((await t0.client.diaryAdd({ kind: 'success', text: 'Дневник переносится', shared: true })).ok).toBe(true);
    await waitFor(() => readNotes(later.doc).length === 6 && later.provider.synced, 'late note synced');
    const before: SessionState = await waitFor(() => fac.client.state?.vote.results && fac.client.state, 'results');
    const mdBefore = await fetchMinutes(second.url, code, fac.created.facilitatorToken);
    const template = await saveSessionTemplate(second.url, code, fac.created.facilitatorToken, { name: 'Шаблон переноса' });
    await second.kill('SIGKILL');

    const target = await pg.createDatabase('moved');
    const copy = await migrateStore(`sqlite:${join(dataDir, 'kenes.db')}`, target);
    expect(copy.stdout).toContain('1 sessions copied, 0 skipped; 1 templates copied');
    // Run again: nothing is copied twice.
    const again = await migrateStore(`sqlite:${join(dataDir, 'kenes.db')}`, target);
    expect(again.stdout).toContain('0 sessions copied, 1 skipped; 0 templates copied');

    const moved = await server({ env: { DATABASE_URL: target } });
    // The same tokens work: the facilitator and each teacher come back as themselves.
    const facAfter = new SessionClient({ url: moved.url, code, token: fac.created.facilitatorToken });
    clients.push(facAfter);
    await facAfter.ready();
    expect(facAfter.role).toBe('facilitator');
    expect(facAfter.state).toEqual(before);
    expect(facAfter.state!.vote.results!.ranking.map((r) => [r.optionId, r.votes])).toEqual([['g1', 5], ['g2', 3]]);
    expect(facAfter.ballotsCast).toBe(4);
    expect(facAfter.liveResults.get('fmt')?.results).toMatchObject({ voters: 4 });
    const teacherAfter = new SessionClient({ url: moved.url, code, token: teachers[1]!.token });
    clients.push(teacherAfter);
    await teacherAfter.ready();
    expect(teacherAfter.me).toMatchObject({ id: teachers[1]!.participantId, groupId: teachers[1]!.client.me!.groupId });
    expect(teacherAfter.ballot).toEqual({ g1: 1, g2: 1 });
    expect(teacherAfter.myAnswers.get('fmt')?.answer).toEqual({ kind: 'single', option: 'o1' });

    const groupAfter = open(moved.url, t0, groupBoardId(gid));
    const ownAfter = open(moved.url, t0, personalBoardId(t0.participantId));
    await Promise.all([groupAfter.synced, ownAfter.synced]);
    expect(readNotes(groupAfter.doc).map((n) => n.id).sort()).toEqual(['g0', 'g1', 'g2', 'g3', 'g4', 'late']);
    expect(readNotes(ownAfter.doc).map((n) => n.text)).toEqual(['Личная заметка']);
    const diary = await facAfter.diaryList();
    expect(diary).toMatchObject({ ok: true, entries: [{ text: 'Дневник переносится', name: 'Айгерим' }] });

    // The minutes read the same, bar the time they were made.
    const mdAfter = await fetchMinutes(moved.url, code, fac.created.facilitatorToken);
    const body = (md: string) => md.split('\n').filter((line) => !/\d{1,2}:\d{2}/.test(line));
    expect(body(mdAfter)).toEqual(body(mdBefore));
    // The saved template came along, under the same id.
    expect((await listTemplates(moved.url)).saved).toEqual([expect.objectContaining({ id: template.id, name: 'Шаблон переноса' })]);
    // With its owner: the facilitator's token does not delete it there, the token its saving gave still does.
    await expect(deleteTemplate(moved.url, template.id, fac.created.facilitatorToken)).rejects.toMatchObject({ status: 403 } satisfies Partial<ApiError>);
    await deleteTemplate(moved.url, template.id, template.ownerToken);
    expect((await listTemplates(moved.url)).saved).toEqual([]);
    // And the session goes on, on PostgreSQL.
    expect(await facAfter.command({ type: 'stage.go', index: 6, from: 5 })).toEqual({ ok: true, version: before.version + 1 });
  });
});

describe('moving workspaces from SQLite to PostgreSQL', () => {
  it('copies a workspace with its members, council, numbered meeting, execution record, project, portfolio and files once, and leaves sign-ins behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kenes-move-ws-'));
    try {
      const file = join(dir, 'kenes.db');
      const source = new SQLiteStore({ file, synchronous: 'full' });
      const ws = source.workspaces;
      const owner = { id: 'acc-owner', login: 'gulnara@school12.kz', name: 'Ахметова Г. С.', createdAt: 1_700_000_000_000 };
      const secretary = { id: 'acc-secretary', login: 'dana', name: 'Серікова Д. А.', createdAt: 1_700_000_000_001 };
      await ws.createAccount(owner, 'argon2id$owner');
      await ws.createAccount(secretary, 'argon2id$secretary');
      const w: Workspace = { id: 'ws-1', name: 'Методический кабинет', organisation: 'Школа-лицей № 12', place: 'Алматы', locale: 'ru', createdAt: 1_700_000_000_010 };
      await ws.createWorkspace(w, owner.id);
      await ws.createInvitation(
        { id: 'inv-1', workspaceId: w.id, role: 'teacher', createdBy: owner.id, createdAt: 1_700_000_000_011, expiresAt: 1_800_000_000_000, maxUses: 5, uses: 0, revoked: false },
        'invitation-token-hash',
      );
      expect(await ws.acceptInvitation('invitation-token-hash', secretary.id, 1_700_000_000_012)).toMatchObject({ result: 'joined' });
      const council: Council = {
        id: 'council-1',
        workspaceId: w.id,
        name: 'Методический совет',
        kind: 'methodical',
        memberIds: [owner.id, secretary.id],
        chairId: owner.id,
        secretaryId: secretary.id,
        quorum: { kind: 'two-thirds' },
        createdAt: 1_700_000_000_020,
        version: 1,
      };
      await ws.createCouncil(council);
      const planned = await ws.createMeeting({
        id: 'meeting-1',
        workspaceId: w.id,
        councilId: council.id,
        year: 2025,
        date: '2025-09-25',
        time: '14:30',
        place: 'Кабинет 204',
        status: 'planned',
        memberIds: council.memberIds,
        chairId: owner.id,
        secretaryId: secretary.id,
        quorum: council.quorum,
        attendance: {},
        guests: [{ id: 'g1', name: 'Жанов А. К.', position: 'директор школы' }],
        items: [],
        sessionId: null,
        sessionCode: null,
        createdAt: 1_700_000_000_030,
        version: 1,
      });
      const held: Meeting = {
        ...planned,
        status: 'closed',
        attendance: { [owner.id]: 'present', [secretary.id]: 'present' },
        items: [
          {
            id: 'item-1',
            kind: 'regular',
            title: 'Об итогах методической недели',
            reporter: 'Ахметова Г. С., заместитель директора',
            heard: 'Проведено 12 открытых уроков.',
            speakers: [],
            decisions: [{ id: 'dec-1', text: 'Обобщить опыт', responsibleId: secretary.id, responsibleName: secretary.name, dueDate: '2025-12-01', vote: { for: 2, against: 0, abstained: 0 } }],
            reviewed: [],
          },
        ],
        version: 2,
      };
      expect(await ws.saveMeeting(held, 1)).toBe(true);
      const execution = { decisionId: 'dec-1', done: true, doneAt: 1_700_000_100_000, note: 'Опыт обобщён в сборнике', updatedBy: secretary.id, updatedAt: 1_700_000_100_000 };
      await ws.putExecution(w.id, execution);
      await ws.createAuthSession({ idHash: 'browser-hash', accountId: owner.id, csrf: 'csrf', createdAt: Date.now(), expiresAt: Date.now() + 86_400_000 });
      // A project made from a sprint's card, the secretary's portfolio, and an uploaded file (its bytes in the database).
      const project: Project = {
        id: 'project-1',
        workspaceId: w.id,
        title: 'Функциональная грамотность',
        managerId: secretary.id,
        managerName: secretary.name,
        team: [{ accountId: owner.id, name: owner.name, role: 'методист' }],
        goal: 'Задачи PISA на уроках математики',
        audience: '7-е классы',
        forms: ['worldCafe'],
        formsOther: '',
        indicators: [{ id: 'i1', name: 'Решают задачи PISA', unit: '%', baseline: 30, target: 60 }],
        milestones: [{ id: 'm1', title: 'Итоговый отчёт', kind: 'final', due: '2026-05-25' }],
        reports: [{ id: 'r1', milestoneId: 'm1', text: 'Отчёт', values: { i1: 48 }, attachmentIds: ['file-1'], submittedBy: secretary.id, submittedAt: 1_700_000_200_000, assessment: null }],
        status: 'active',
        history: [{ status: 'active', at: 1_700_000_040_000, by: owner.id, note: '' }],
        source: { sessionId: 'sprint-session', code: 'SPR1NT', boardId: 'g-1', cardId: 'card-1' },
        createdAt: 1_700_000_040_000,
        version: 1,
      };
      expect(await source.projects.createProject(project)).toBe('created');
      const record: PortfolioRecord = {
        accountId: secretary.id,
        particulars: { position: 'учитель математики', school: 'Школа-лицей № 12', subject: 'математика', category: 'педагог-эксперт', experience: '9 лет' },
        note: 'Пояснительная записка',
        products: [{ id: 'p1', title: 'Сборник задач', type: 'teaching-kit', year: 2025, coAuthors: 'Ахметова Г. С.', url: null, fileId: 'file-1' }],
        certificates: [],
        videos: [],
        selfRatings: [],
        version: 1,
      };
      expect(await source.projects.savePortfolio(record, 0)).toBe(true);
      const bytes = randomBytes(3 * 1024 * 1024 + 17);
      const upload = {
        meta: { id: 'file-1', workspaceId: w.id, ownerId: secretary.id, name: 'Сборник.pdf', type: 'application/pdf', size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), createdAt: 1_700_000_050_000 },
        data: bytes,
      };
      await source.projects.putBlob(upload);
      const dump = await ws.dump();
      const rows = Object.values(dump).reduce((k, list) => k + list.length, 0);
      await source.close();

      const target = await pg.createDatabase('moved_workspaces');
      const copy = await migrateStore(`sqlite:${file}`, target);
      expect(copy.stdout).toContain(`0 sessions copied, 0 skipped; 0 templates copied; ${rows} workspace rows copied; 3 project, portfolio and file rows copied`);
      const again = await migrateStore(`sqlite:${file}`, target);
      expect(again.stdout).toContain('0 sessions copied, 0 skipped; 0 templates copied; 0 workspace rows copied; 0 project, portfolio and file rows copied');

      const moved = await PostgresStore.open({ url: target, poolSize: 2 });
      try {
        const m = moved.workspaces;
        expect(await m.workspace(w.id)).toEqual(w);
        expect(await m.workspacesOf(secretary.id)).toEqual([{ workspace: w, role: 'teacher' }]);
        expect((await m.members(w.id)).map((x) => [x.name, x.role])).toEqual([
          ['Ахметова Г. С.', 'owner'],
          ['Серікова Д. А.', 'teacher'],
        ]);
        expect(await m.accountByLogin(owner.login)).toEqual({ account: owner, passwordHash: 'argon2id$owner' });
        expect(await m.council(council.id)).toEqual(council);
        expect(await m.meeting(held.id)).toEqual(held);
        expect(await m.meetings(council.id)).toEqual([held]);
        expect(await m.executions(w.id)).toEqual([execution]);
        expect((await m.invitationByToken('invitation-token-hash'))?.uses).toBe(1);
        // Nobody stays signed in across the move.
        expect(await m.authSession('browser-hash', Date.now())).toBeNull();
        // The council's numbering goes on where it stopped.
        expect((await m.createMeeting({ ...planned, id: 'meeting-2', date: '2025-11-27' })).number).toBe(2);
        // The project, the portfolio and the file, byte for byte; the card stays taken.
        const p = moved.projects;
        expect(await p.projects(w.id)).toEqual([project]);
        expect(await p.projectFromCard('sprint-session', 'card-1')).toEqual(project);
        expect(await p.createProject({ ...project, id: 'project-2' })).toBe('duplicate_card');
        expect(await p.portfolio(secretary.id)).toEqual(record);
        const copied = (await p.blob(upload.meta.id))!;
        expect(copied.meta).toEqual(upload.meta);
        expect(copied.data.equals(bytes)).toBe(true);
        expect(await p.bytesOf(secretary.id)).toBe(bytes.length);
      } finally {
        await moved.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
