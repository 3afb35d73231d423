import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchMinutes, type BoardConnection } from '@kenes/shared/client';
import { addNote as addNoteDomain, groupBoardId, personalBoardId, readNotes as readNotesDomain, type Allocation } from '@kenes/shared';
import { startServer, type TestServer } from '../helpers/server.js';
import { board, newFacilitator, newTeacher, type Facilitator, type Teacher } from '../helpers/people.js';
import { waitFor } from '../helpers/wait.js';


let server: TestServer;
let fac: Facilitator;
let teachers: Teacher[] = [];
const boards: BoardConnection[] = [];

beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  for (const b of boards) b.close();
  for (const t of teachers) t.client.close();
  fac?.client.close();
  await server.kill('SIGTERM');
});

const NAMES = ['Айгерим', 'Дана', 'Ерлан', 'Жанна', 'Марат', 'Әсел'];

describe('a case-method session from creation to minutes', () => {
  it('creates the session and lets six teachers join', async () => {
    fac = await newFacilitator(server.url, { title: 'Критерии успеха урока', facilitator: 'Гульнара Сейтказы' });
    expect(fac.created.code).toMatch(/^[2-9A-HJKMNP-Z]{6}$/);
    teachers = await Promise.all(NAMES.map((n) => newTeacher(server.url, fac.created.code, n)));
    await waitFor(() => fac.client.roster.size === 6 && [...fac.client.roster.values()].every((p) => p.online), 'roster of six online');
    const summary = await (await fetch(`${server.url}/api/sessions/${fac.created.code}`)).json();
    expect(summary).toMatchObject({ code: fac.created.code, title: 'Критерии успеха урока', locale: 'ru', template: 'case-method', participants: 6 });
    expect(summary.stage).toEqual({ index: 0, id: 's1', title: 'Вход и группы' });
  });

  it('sets the case and splits the teachers into two balanced groups', async () => {
    const c = fac.client;
    expect((await c.command({ type: 'case.set', case: { title: 'Урок без цели', situation: 'Учитель не формулирует цель урока.', questions: 'Как сформулировать критерии успеха?' } })).ok).toBe(true);
    expect((await c.command({ type: 'groups.split', count: 2 })).ok).toBe(true);
    await c.command({ type: 'group.rename', groupId: 'g1', name: 'Альфа' });
    await c.command({ type: 'group.rename', groupId: 'g2', name: 'Бета' });
    for (const t of teachers) await waitFor(() => t.client.me?.groupId, `${t.name} gets a group`);
    const sizes = ['g1', 'g2'].map((g) => teachers.filter((t) => t.client.me!.groupId === g).length);
    expect(sizes).toEqual([3, 3]);
    for (const t of teachers) await waitFor(() => t.client.state?.groups[0]?.name === 'Альфа', 'group names reach teachers');
  });

  it('walks forward and back through the stages, every screen following', async () => {
    const c = fac.client;
    for (let i = 1; i <= 3; i++) {
      const ack = await c.command({ type: 'stage.go', index: i, from: i - 1 });
      expect(ack.ok).toBe(true);
    }
    // A second facilitator tab that still thinks we are on stage 2 cannot skip a stage by mistake.
    const stale = await c.command({ type: 'stage.go', index: 3, from: 2 });
    expect(stale).toMatchObject({ ok: false, error: { code: 'stale' } });
    expect((await c.command({ type: 'stage.go', index: 2, from: 3 })).ok).toBe(true);
    expect((await c.command({ type: 'stage.go', index: 3, from: 2 })).ok).toBe(true);
    for (const t of teachers) await waitFor(() => t.client.state?.stageIndex === 3, `${t.name} on stage 4`);
    const stage = c.state!.stages[2]!;
    expect(stage.visits).toHaveLength(2);
    expect(stage.visits.every((v) => v.endedAt !== null)).toBe(true);
  });

  it('keeps individual notes private and group boards to their members', async () => {
    const [a] = teachers;
    const own = board(server.url, a!.sessionId, personalBoardId(a!.participantId), a!.token);
    boards.push(own);
    await own.synced;
    addNoteDomain(own.doc, { id: 'n-a1', text: 'Факт: цель урока не озвучена', color: 'yellow', authorId: a!.participantId, authorName: a!.name, stageId: 's3', createdAt: Date.now() });
    // Another teacher may not open it at all.
    const other = teachers[1]!;
    const spy = board(server.url, other.sessionId, personalBoardId(a!.participantId), other.token);
    boards.push(spy);
    const closed = await new Promise<boolean>((resolve) => {
      spy.provider.on('connection-close', () => resolve(true));
      setTimeout(() => resolve(false), 3000);
    });
    expect(closed).toBe(true);
    expect(readNotesDomain(spy.doc)).toEqual([]);
    spy.close();
  });

  it('lets each group write its board and mark a solution', async () => {
    for (const gid of ['g1', 'g2']) {
      const members = teachers.filter((t) => t.client.me!.groupId === gid);
      const conns = members.map((m) => board(server.url, m.sessionId, groupBoardId(gid), m.token));
      boards.push(...conns);
      await Promise.all(conns.map((b) => b.synced));
      members.forEach((m, i) =>
        addNoteDomain(conns[i]!.doc, { id: `n-${gid}-${i}`, text: `${gid === 'g1' ? 'Альфа' : 'Бета'}: идея ${i + 1}`, color: 'green', authorId: m.participantId, authorName: m.name, stageId: 's4', createdAt: Date.now() + i }),
      );
      for (const b of conns) await waitFor(() => readNotesDomain(b.doc).length === 3, 'group notes reach every member');
      const solution = gid === 'g1' ? 'Ввести критерии успеха на каждом уроке' : 'Проводить взаимопосещения';
      expect((await members[0]!.client.command({ type: 'group.solution', groupId: gid, text: solution })).ok).toBe(true);
    }
    // A teacher cannot mark another group's solution.
    const outsider = teachers.find((t) => t.client.me!.groupId === 'g2')!;
    const refused = await outsider.client.command({ type: 'group.solution', groupId: 'g1', text: 'Чужое' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'not_in_group' } });
  });

  it('runs a secret dot vote counted once, refuses over-limit ballots, and reveals a ranking', async () => {
    const c = fac.client;
    await c.command({ type: 'stage.go', index: 5, from: 3 });
    expect((await c.command({ type: 'vote.configure', dots: 3, maxPerOption: 2 })).ok).toBe(true);
    expect((await c.command({ type: 'vote.open' })).ok).toBe(true);
    for (const t of teachers) await waitFor(() => t.client.state?.vote.status === 'open', 'vote open everywhere');

    const over = await teachers[0]!.client.vote({ g1: 3 });
    expect(over).toMatchObject({ ok: false, error: { code: 'too_many_on_one' } });
    const tooMany = await teachers[0]!.client.vote({ g1: 2, g2: 2 });
    expect(tooMany).toMatchObject({ ok: false, error: { code: 'too_many_dots' } });

    // Four teachers favour Альфа, two favour Бета; the first one votes twice (a retry) and changes their mind once.
    const ballots: Allocation[] = [{ g1: 2, g2: 1 }, { g1: 2, g2: 1 }, { g1: 2 }, { g1: 1, g2: 1 }, { g2: 2, g1: 1 }, { g2: 2 }];
    await teachers[0]!.client.vote({ g2: 2 });
    for (let i = 0; i < teachers.length; i++) expect((await teachers[i]!.client.vote(ballots[i]!)).ok).toBe(true);
    // The same request sent twice (as a flaky network would) is counted once.
    const payload = { rid: 'duplicate-request-0001', allocation: { g1: 2, g2: 1 } };
    const first = await teachers[1]!.client.socket.emitWithAck('vote.cast', payload);
    const second = await teachers[1]!.client.socket.emitWithAck('vote.cast', payload);
    expect(second).toEqual(first);
    await waitFor(() => c.ballotsCast === 6, 'six ballots counted');

    // No teacher sees results or others' ballots before the reveal.
    expect(teachers[2]!.client.state!.vote.results).toBeNull();
    expect((await c.command({ type: 'vote.close' })).ok).toBe(true);
    const late = await teachers[5]!.client.vote({ g1: 1 });
    expect(late).toMatchObject({ ok: false, error: { code: 'vote_not_open' } });
    expect((await c.command({ type: 'vote.reveal' })).ok).toBe(true);
    const results = await waitFor(() => teachers[2]!.client.state?.vote.results, 'results reach teachers');
    expect(results.voters).toBe(6);
    expect(results.dots).toBe(15);
    expect(results.ranking.map((r) => [r.optionId, r.votes, r.rank])).toEqual([['g1', 8, 1], ['g2', 7, 2]]);
    expect(results.tieForFirst).toBe(false);
  });

  it('records the decision and produces minutes in Russian', async () => {
    const c = fac.client;
    await c.command({ type: 'stage.go', index: 6, from: 5 });
    expect((await c.command({ type: 'decision.record', optionId: 'g1', title: 'Ввести критерии успеха на каждом уроке', reason: 'Набрало больше всего голосов' })).ok).toBe(true);
    await c.command({ type: 'stage.go', index: 7, from: 6 });
    const md = await fetchMinutes(server.url, fac.created.code, fac.created.facilitatorToken);
    const lines = md.split('\n');
    expect(lines[0]).toBe('# Протокол');
    expect(md).toContain('Критерии успеха урока');
    expect(md).toContain('Гульнара Сейтказы');
    expect(md).toContain('Присутствовали: 6');
    expect(md).toContain('Урок без цели');
    expect(md).toContain('Альфа: идея 1');
    expect(md).toContain('Бета: идея 3');
    expect(md).toContain('## ПОСТАНОВИЛИ');
    expect(md).toContain('Ввести критерии успеха на каждом уроке');
    expect(md).toContain('Набрало больше всего голосов');
    for (const name of NAMES) expect(md).toContain(name);
  });

  it('exports the vote as CSV and the whole session as JSON, with no ballot tied to a name', async () => {
    const get = (format: string) =>
      fetch(`${server.url}/api/sessions/${fac.created.code}/minutes?format=${format}`, {
        headers: { authorization: `Bearer ${fac.created.facilitatorToken}` },
      });
    const csvRes = await get('csv');
    expect(csvRes.headers.get('content-type')).toMatch(/^text\/csv/);
    const csv = (await csvRes.text()).replace(/^\uFEFF/, '').split('\r\n');
    expect(csv[0]).toBe('ballot,kind,round,privacy,place,option,value,share');
    expect(csv[1]).toBe('Итоги голосования,dots,1,anonymous,1,Ввести критерии успеха на каждом уроке (Альфа),8,0.533');
    expect(csv[2]).toBe('Итоги голосования,dots,1,anonymous,2,Проводить взаимопосещения (Бета),7,0.467');
    for (const name of NAMES) expect(csv.join('\n')).not.toContain(name);

    const archive = await (await get('json')).json();
    expect(archive).toMatchObject({ format: 'kenes-session', version: 1, state: { code: fac.created.code, title: 'Критерии успеха урока' } });
    expect(archive.participants.map((p: { name: string }) => p.name).sort()).toEqual([...NAMES].sort());
    const g1 = archive.boards.find((b: { boardId: string }) => b.boardId === 'g-g1');
    expect(g1.notes.map((n: { text: string }) => n.text)).toContain('Альфа: идея 1');
    expect(JSON.stringify(archive)).not.toContain('allocation');
    expect((await get('odt')).status).toBe(400);
  });

  it('answers the minutes only to a facilitator', async () => {
    const url = `${server.url}/api/sessions/${fac.created.code}/minutes?format=md`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: `Bearer ${teachers[0]!.token}` } })).status).toBe(403);
    const ok = await fetch(url, { headers: { authorization: `Bearer ${fac.created.facilitatorToken}` } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^text\/markdown/);
  });
});
