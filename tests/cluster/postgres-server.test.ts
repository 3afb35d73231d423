import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchMinutes, joinSession, SessionClient, type BoardConnection } from '@kenes/shared/client';
import { addNote, groupBoardId, readNotes, type Allocation } from '@kenes/shared';
import { startServer, type TestServer } from '../helpers/server.js';
import { board, newFacilitator, newTeacher, type Teacher } from '../helpers/people.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { waitFor } from '../helpers/wait.js';

let pg: TestPostgres;
const servers: TestServer[] = [];
const boards: BoardConnection[] = [];
const closers: (() => void)[] = [];

beforeAll(async () => {
  pg = await startPostgres();
});

afterAll(async () => {
  for (const b of boards) b.close();
  for (const close of closers) close();
  for (const s of servers) await s.kill();
  await pg?.destroy();
});

async function serverOn(url: string, port?: number): Promise<TestServer> {
  const server = await startServer({ env: { DATABASE_URL: url }, port });
  servers.push(server);
  return server;
}

function track(...people: { client: { close(): void } }[]): void {
  for (const p of people) closers.push(() => p.client.close());
}

function open(url: string, t: Teacher, boardId: string): BoardConnection {
  const conn = board(url, t.sessionId, boardId, t.token);
  boards.push(conn);
  return conn;
}

const NAMES = ['Айгерим', 'Дана', 'Ерлан', 'Жанна', 'Марат', 'Әсел'];

describe('a server on PostgreSQL', () => {
  it('runs a case session from creation to minutes', async () => {
    const server = await serverOn(await pg.createDatabase('session'));
    const fac = await newFacilitator(server.url, { title: 'Критерии успеха урока', facilitator: 'Гульнара Сейтказы' });
    const code = fac.created.code;
    const teachers = await Promise.all(NAMES.map((n) => newTeacher(server.url, code, n)));
    track(fac, ...teachers);
    await waitFor(() => fac.client.roster.size === 6 && [...fac.client.roster.values()].every((p) => p.online), 'roster of six online');

    const c = fac.client;
    expect((await c.command({ type: 'case.set', case: { title: 'Урок без цели', situation: 'Цель не озвучена.', questions: 'Как быть?' } })).ok).toBe(true);
    expect((await c.command({ type: 'groups.split', count: 2 })).ok).toBe(true);
    for (const t of teachers) await waitFor(() => t.client.me?.groupId, `${t.name} gets a group`);
    expect(['g1', 'g2'].map((g) => teachers.filter((t) => t.client.me!.groupId === g).length)).toEqual([3, 3]);
    for (let i = 1; i <= 3; i++) expect((await c.command({ type: 'stage.go', index: i, from: i - 1 })).ok).toBe(true);
    expect(await c.command({ type: 'stage.go', index: 3, from: 2 })).toMatchObject({ ok: false, error: { code: 'stale' } });
    for (const t of teachers) await waitFor(() => t.client.state?.stageIndex === 3, `${t.name} follows to stage 4`);

    // Each group writes on its board; every member sees every note.
    for (const gid of ['g1', 'g2']) {
      const members = teachers.filter((t) => t.client.me!.groupId === gid);
      const conns = members.map((m) => open(server.url, m, groupBoardId(gid)));
      await Promise.all(conns.map((b) => b.synced));
      members.forEach((m, i) =>
        addNote(conns[i]!.doc, { id: `n-${gid}-${i}`, text: `${gid}: идея ${i + 1}`, color: 'green', authorId: m.participantId, authorName: m.name, stageId: 's4', createdAt: i }),
      );
      for (const b of conns) await waitFor(() => readNotes(b.doc).length === 3, 'group notes reach every member');
      expect((await members[0]!.client.command({ type: 'group.solution', groupId: gid, text: `Решение ${gid}` })).ok).toBe(true);
    }

    // A burst: every teacher votes at once, and one request arrives twice at the same moment.
    await c.command({ type: 'stage.go', index: 5, from: 3 });
    expect((await c.command({ type: 'vote.configure', dots: 3, maxPerOption: 2 })).ok).toBe(true);
    expect((await c.command({ type: 'vote.open' })).ok).toBe(true);
    for (const t of teachers) await waitFor(() => t.client.state?.vote.status === 'open', 'vote open everywhere');
    const ballots: Allocation[] = [{ g1: 2, g2: 1 }, { g1: 2, g2: 1 }, { g1: 2 }, { g1: 1, g2: 1 }, { g2: 2, g1: 1 }, { g2: 2 }];
    const duplicate = { rid: 'duplicate-request-0001', allocation: { g1: 2, g2: 1 } };
    const [twiceA, twiceB, ...acks] = await Promise.all([
      teachers[1]!.client.socket.emitWithAck('vote.cast', duplicate),
      teachers[1]!.client.socket.emitWithAck('vote.cast', duplicate),
      ...teachers.map((t, i) => (i === 1 ? Promise.resolve({ ok: true }) : t.client.vote(ballots[i]!))),
    ]);
    expect(twiceB).toEqual(twiceA);
    expect(acks.every((a) => (a as { ok: boolean }).ok)).toBe(true);
    await waitFor(() => c.ballotsCast === 6, 'six ballots counted');
    expect((await c.command({ type: 'vote.close' })).ok).toBe(true);
    expect((await c.command({ type: 'vote.reveal' })).ok).toBe(true);
    const results = await waitFor(() => teachers[2]!.client.state?.vote.results, 'results reach teachers');
    expect(results.voters).toBe(6);
    expect(results.ranking.map((r) => [r.optionId, r.votes])).toEqual([['g1', 8], ['g2', 7]]);

    await c.command({ type: 'stage.go', index: 6, from: 5 });
    expect((await c.command({ type: 'decision.record', optionId: 'g1', title: 'Решение g1', reason: 'Больше всего голосов' })).ok).toBe(true);
    const md = await fetchMinutes(server.url, code, fac.created.facilitatorToken);
    expect(md.split('\n')[0]).toBe('# Протокол');
    expect(md).toContain('Урок без цели');
    expect(md).toContain('g1: идея 1');
    expect(md).toContain('g2: идея 3');
    expect(md).toContain('Больше всего голосов');
    for (const name of NAMES) expect(md).toContain(name);
  });

  it('loses nothing acknowledged when killed with SIGKILL mid-session', async () => {
    const url = await pg.createDatabase('restart');
    const first = await serverOn(url);
    const fac = await newFacilitator(first.url, { locale: 'kk', title: 'Серіктестік' });
    const code = fac.created.code;
    const teachers = await Promise.all(['Әлия', 'Нұрлан', 'Құралай', 'Өмір'].map((n) => newTeacher(first.url, code, n)));
    track(fac, ...teachers);
    await fac.client.command({ type: 'groups.split', count: 2 });
    await waitFor(() => teachers.every((t) => t.client.me?.groupId), 'groups');
    await fac.client.command({ type: 'stage.go', index: 3, from: 0 });

    const t0 = teachers[0]!;
    const gid = t0.client.me!.groupId!;
    const mate = teachers.find((t) => t !== t0 && t.client.me!.groupId === gid)!;
    const writer = open(first.url, t0, groupBoardId(gid));
    const reader = open(first.url, mate, groupBoardId(gid));
    await Promise.all([writer.synced, reader.synced]);
    for (let i = 0; i < 20; i++) addNote(writer.doc, { id: `g${i}`, text: `Қадам ${i}`, color: 'green', authorId: t0.participantId, authorName: t0.name, stageId: 's4', createdAt: i });
    await waitFor(() => readNotes(reader.doc).length === 20, 'mate sees 20 notes');

    await fac.client.command({ type: 'group.solution', groupId: 'g1', text: 'Бірінші шешім' });
    await fac.client.command({ type: 'group.solution', groupId: 'g2', text: 'Екінші шешім' });
    await fac.client.command({ type: 'stage.go', index: 5, from: 3 });
    await fac.client.command({ type: 'vote.open' });
    await waitFor(() => teachers.every((t) => t.client.state?.vote.status === 'open'), 'vote open');
    const acks = await Promise.all(teachers.map((t, i) => t.client.vote(i % 2 ? { g2: 2, g1: 1 } : { g1: 2 })));
    expect(acks.every((a) => a.ok)).toBe(true);
    const versionBefore = fac.client.state!.version;

    await first.kill('SIGKILL');
    await waitFor(() => fac.client.status === 'offline', 'facilitator notices the drop');
    const pendingAdd = fac.client.command({ type: 'timer.start', durationMs: 600_000 });

    const second = await serverOn(url, first.port);
    await waitFor(() => fac.client.status === 'online' && teachers.every((t) => t.client.status === 'online'), 'everyone reconnects', 15_000);
    expect((await pendingAdd).ok).toBe(true);
    const state = await waitFor(() => (fac.client.state!.version > versionBefore ? fac.client.state : null), 'fresh state');
    expect(state.stageIndex).toBe(5);
    expect(state.vote.status).toBe('open');
    expect(state.timer.status).toBe('running');
    await waitFor(() => teachers.every((t) => t.client.ballot !== null), 'ballots restored');
    expect(teachers[1]!.client.ballot).toEqual({ g2: 2, g1: 1 });

    const fresh = open(second.url, mate, groupBoardId(gid));
    await fresh.synced;
    expect(readNotes(fresh.doc)).toHaveLength(20);
    await fac.client.command({ type: 'vote.close' });
    await fac.client.command({ type: 'vote.reveal' });
    const results = await waitFor(() => fac.client.state?.vote.results, 'results');
    expect(results.voters).toBe(4);
    expect(results.ranking.find((r) => r.optionId === 'g1')!.votes).toBe(6);
  });

  it('answers `unavailable` while the database is down, changes nothing, and carries on once it is back', async () => {
    const server = await serverOn(await pg.createDatabase('outage'));
    const fac = await newFacilitator(server.url, { locale: 'en', title: 'Outage' });
    const code = fac.created.code;
    const [writerT, readerT] = await Promise.all(['Ann', 'Ben'].map((n) => newTeacher(server.url, code, n)));
    track(fac, writerT!, readerT!);
    await fac.client.command({ type: 'groups.split', count: 1 });
    await waitFor(() => writerT!.client.me?.groupId && readerT!.client.me?.groupId, 'one group');
    const writer = open(server.url, writerT!, groupBoardId('g1'));
    const reader = open(server.url, readerT!, groupBoardId('g1'));
    await Promise.all([writer.synced, reader.synced]);
    const version = fac.client.state!.version;
    let lateTab: SessionClient | null = null;

    await pg.stop();
    try {
      // A command is refused with a clear code, and the session stays as it was.
      expect(await fac.client.command({ type: 'stage.go', index: 1, from: 0 })).toMatchObject({ ok: false, error: { code: 'unavailable' } });
      expect(fac.client.state!.version).toBe(version);
      const joining = await joinSession(server.url, code, 'Cem').then(
        () => null,
        (err: { status?: number; body?: { code?: string } }) => err,
      );
      expect(joining).toMatchObject({ status: 503, body: { code: 'unavailable' } });
      // A note written now cannot be logged: the writer's socket is closed and nobody receives it.
      const closed = new Promise<void>((resolve) => writer.provider.once('connection-close', () => resolve()));
      addNote(writer.doc, { id: 'during', text: 'Written while the database was down', color: 'blue', authorId: writerT!.participantId, authorName: 'Ann', stageId: 's1', createdAt: 1 });
      await closed;
      expect(readNotes(reader.doc)).toEqual([]);
      // A tab opened now is told to wait, not refused: it keeps trying.
      const late = new SessionClient({ url: server.url, code, token: readerT!.token });
      closers.push(() => late.close());
      lateTab = late;
      await waitFor(() => late.status === 'offline', 'the new tab waits');
      expect(late.refusal).toBeNull();
    } finally {
      await pg.start();
    }

    // Back: the same command goes through, and the writer's board resends its note.
    expect((await fac.client.command({ type: 'stage.go', index: 1, from: 0 })).ok).toBe(true);
    await waitFor(() => readNotes(reader.doc).some((n) => n.id === 'during'), 'the note arrives once the database is back', 15_000);
    const fresh = open(server.url, readerT!, groupBoardId('g1'));
    await fresh.synced;
    expect(readNotes(fresh.doc).map((n) => n.id)).toEqual(['during']);
    expect((await joinSession(server.url, code, 'Cem')).participantId).toBeTruthy();
    await lateTab!.ready();
    expect(lateTab!.me?.id).toBe(readerT!.participantId);
    expect(lateTab!.state!.stageIndex).toBe(1);
  });
});
