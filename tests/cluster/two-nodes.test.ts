import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addNote, editNote, EVENTS, groupBoardId, readNotes, type BallotDef, type CountResults, type NewNote, type StatePatch } from '@kenes/shared';
import { fetchMinutes, SessionClient, type BoardConnection } from '@kenes/shared/client';
import { startBalancer, type Balancer } from '../helpers/balancer.js';
import { board, newFacilitator, newTeacher, type Facilitator, type Teacher } from '../helpers/people.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { freePort } from '../helpers/ports.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

let redis: TestRedis;
let pg: TestPostgres;

beforeAll(async () => {
  [redis, pg] = await Promise.all([startRedis(), startPostgres()]);
});

afterAll(async () => {
  await redis?.stop();
  await pg?.destroy();
});

/** The store both nodes share: the environment that says where, and a data folder. */
interface Shared {
  env: Record<string, string>;
  dataDir?: string;
}

const STORES: [string, () => Promise<Shared>][] = [
  ['PostgreSQL', async () => ({ env: { DATABASE_URL: await pg.createDatabase('twonodes') } })],
  // One data folder: both nodes on one SQLite file (WAL), as on a single machine.
  ['one SQLite file', async () => ({ env: {}, dataDir: mkdtempSync(join(tmpdir(), 'kenes-cluster-')) })],
];

const note = (id: string, t: Teacher, text: string): NewNote => ({ id, text, color: 'yellow', authorId: t.participantId, authorName: t.name, stageId: 's4', createdAt: Date.now() });
/** A running timer's end as the client holds it; an acknowledgement can arrive before its patch. */
const endsAtOf = (c: SessionClient) => waitFor(() => (c.state?.timer as { endsAt?: number }).endsAt, 'a running timer');
const ballotOf = (c: SessionClient, id: string): BallotDef | undefined => c.state?.ballots.find((x) => x.id === id);
/** Poll an asynchronous check until it holds; fail with `what` after `timeoutMs`. */
async function until(check: () => Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
/** What a node's `/readyz` says. */
const readiness = async (node: TestServer) => {
  const res = await fetch(`${node.url}/readyz`);
  return { status: res.status, ...((await res.json()) as { failed: string[] }) };
};

/**
 * Two nodes over one store and one Redis: node A behind a load balancer (which falls
 * back to B), node B reached directly. The facilitator and two teachers come through
 * the balancer, four teachers straight to B, and one teacher straight to A (so that
 * nothing moves them when A dies).
 */
describe.each(STORES)('a session served by two nodes on %s', (_name, prepare) => {
  let a: TestServer;
  let b: TestServer;
  let lb: Balancer;
  let fac: Facilitator;
  let onB: Teacher[] = [];
  let viaLb: Teacher[] = [];
  let stranded: Teacher;
  let screenB: SessionClient;
  const boards: BoardConnection[] = [];
  const extra: SessionClient[] = [];
  /** Every state patch each client received, in order. */
  const patches = new Map<SessionClient, StatePatch[]>();

  const everyone = () => [fac.client, ...onB.map((t) => t.client), ...viaLb.map((t) => t.client), stranded.client, screenB];
  const teachers = () => [...onB, ...viaLb, stranded];
  const record = (c: SessionClient) => {
    const list: StatePatch[] = [];
    patches.set(c, list);
    c.socket.on(EVENTS.patch, (p: StatePatch) => list.push(p));
    return c;
  };

  beforeAll(async () => {
    const shared = await prepare();
    const env = { REDIS_URL: redis.url, ...shared.env };
    a = await startServer({ dataDir: shared.dataDir, env });
    b = await startServer({ dataDir: shared.dataDir, env });
    lb = await startBalancer([a.port, b.port]);
  });

  afterAll(async () => {
    for (const x of boards) x.close();
    for (const c of [...patches.keys(), ...extra]) c.close();
    await lb?.close();
    for (const s of [a, b]) await s?.kill('SIGTERM');
  });

  it('counts teachers connected to B as present for a facilitator on A, in the roster and in a group split', async () => {
    fac = await newFacilitator(lb.url, { title: 'Кластер', facilitator: 'Гульнара Сейтказы' });
    record(fac.client);
    const code = fac.created.code;
    onB = await Promise.all(['Айгерим', 'Дана', 'Ерлан', 'Жанна'].map((n) => newTeacher(b.url, code, n)));
    viaLb = await Promise.all(['Марат', 'Әсел'].map((n) => newTeacher(lb.url, code, n)));
    stranded = await newTeacher(a.url, code, 'Нұрлан');
    for (const t of teachers()) record(t.client);
    screenB = record(new SessionClient({ url: b.url, code }));
    await screenB.ready();

    const allOnline = (c: SessionClient) => c.roster.size === 7 && [...c.roster.values()].every((p) => p.online);
    await waitFor(() => allOnline(fac.client), 'the facilitator on A sees seven teachers online');
    await waitFor(() => allOnline(screenB), 'the projector on B sees the same');

    expect((await fac.client.command({ type: 'groups.split', count: 2 })).ok).toBe(true);
    await waitFor(() => teachers().every((t) => t.client.me?.groupId), 'every teacher, on either node, gets a group');
    const sizes = ['g1', 'g2'].map((g) => teachers().filter((t) => t.client.me!.groupId === g).length).sort();
    expect(sizes).toEqual([3, 4]);
    await waitFor(() => [...screenB.roster.values()].every((p) => p.groupId), 'the roster on B shows the groups');
  });

  it('moves every screen through the stages with one timer', async () => {
    for (let i = 1; i <= 3; i++) expect((await fac.client.command({ type: 'stage.go', index: i, from: i - 1 })).ok).toBe(true);
    expect((await fac.client.command({ type: 'timer.start', durationMs: 600_000 })).ok).toBe(true);
    const endsAt = await endsAtOf(fac.client);
    await waitFor(
      () => everyone().every((c) => c.state?.stageIndex === 3 && (c.state.timer as { endsAt?: number }).endsAt === endsAt),
      'stage 4 and the same end time on every screen',
    );
    // A teacher's command on B starts from the state the facilitator made on A.
    const t = onB[0]!;
    const ack = await t.client.command({ type: 'group.solution', groupId: t.client.me!.groupId!, text: 'Решение с узла B' });
    expect(ack.ok).toBe(true);
    await waitFor(() => fac.client.state?.groups.find((g) => g.id === t.client.me!.groupId)?.solution === 'Решение с узла B', 'the facilitator sees it');
    expect(fac.client.state!.stageIndex).toBe(3);
  });

  it('carries notes typed on B to a board open on A, and back, with who is on the board', async () => {
    const writer = onB[0]!;
    const gid = writer.client.me!.groupId!;
    const mate = teachers().find((t) => t !== writer && t.client.me!.groupId === gid)!;
    const onNodeB = board(b.url, writer.sessionId, groupBoardId(gid), writer.token);
    const onNodeA = board(lb.url, mate.sessionId, groupBoardId(gid), mate.token);
    boards.push(onNodeB, onNodeA);
    await Promise.all([onNodeB.synced, onNodeA.synced]);

    addNote(onNodeB.doc, note('from-b', writer, 'Написано на B'));
    await waitFor(() => readNotes(onNodeA.doc).some((n) => n.id === 'from-b'), 'A sees the note typed on B');
    editNote(onNodeA.doc, 'from-b', 'Написано на B, исправлено на A');
    addNote(onNodeA.doc, note('from-a', mate, 'Написано на A'));
    await waitFor(
      () => readNotes(onNodeB.doc).some((n) => n.id === 'from-a') && readNotes(onNodeB.doc).find((n) => n.id === 'from-b')?.text === 'Написано на B, исправлено на A',
      'B sees the note and the edit made on A',
    );
    onNodeB.provider.awareness.setLocalStateField('user', { id: writer.participantId, name: writer.name });
    await waitFor(() => onNodeA.provider.awareness.getStates().get(onNodeB.doc.clientID)?.user, 'A sees who is on the board on B');
  });

  it('counts a vote burst over both nodes once, even a request sent to both', async () => {
    const c = fac.client;
    for (const g of ['g1', 'g2']) await c.command({ type: 'group.solution', groupId: g, text: `Решение ${g}` });
    expect((await c.command({ type: 'stage.go', index: 5, from: 3 })).ok).toBe(true);
    expect((await c.command({ type: 'vote.open' })).ok).toBe(true);
    await waitFor(() => teachers().every((t) => t.client.state?.vote.status === 'open'), 'vote open everywhere');

    // One teacher's retry lands on the other node (a second tab through the balancer) with the same request id.
    const twin = onB[1]!;
    const tab = new SessionClient({ url: lb.url, code: c.state!.code, token: twin.token });
    extra.push(tab);
    await tab.ready();
    const rid = 'same-request-on-both-nodes';
    const sent = [twin.client, tab].map((x) => x.socket.timeout(4000).emitWithAck(EVENTS.vote, { rid, allocation: { g1: 1 } }));
    const acks = await Promise.all([...sent, ...teachers().filter((t) => t !== twin).map((t, i) => t.client.vote(i % 2 ? { g2: 2 } : { g1: 1, g2: 1 }))]);
    expect(acks.every((x) => (x as { ok: boolean }).ok)).toBe(true);
    await waitFor(() => c.ballotsCast === 7, 'the facilitator on A counts seven ballots');

    // A general ballot: answers kept in each node's memory must not hide the other node's.
    const id = 'pick';
    await c.command({ type: 'ballot.create', ballot: { id, kind: 'single', title: 'Что берём?', options: [{ id: 'o1', label: 'Первое' }, { id: 'o2', label: 'Второе' }], privacy: 'anonymous' } });
    await c.command({ type: 'ballot.open', ballotId: id });
    // Forty more teachers join for this ballot, half on each node, and everyone answers at once.
    const crowd = await Promise.all(Array.from({ length: 40 }, (_, i) => newTeacher(i % 2 ? b.url : lb.url, c.state!.code, `Участник ${i + 1}`)));
    extra.push(...crowd.map((t) => t.client));
    const voters = [...teachers(), ...crowd];
    await waitFor(() => voters.every((t) => ballotOf(t.client, id)?.status === 'open'), 'ballot open everywhere');
    const answers = await Promise.all(voters.map((t, i) => t.client.answer(id, { kind: 'single', option: i < 4 || (i >= 7 && i % 2 === 0) ? 'o1' : 'o2' })));
    expect(answers.every((x) => x.ok)).toBe(true);
    await waitFor(() => c.answerCounts.get(id)?.answers === 47, 'forty-seven answers counted on A');

    expect((await c.command({ type: 'vote.close' })).ok).toBe(true);
    expect((await c.command({ type: 'vote.reveal' })).ok).toBe(true);
    const results = await waitFor(() => screenB.state?.vote.results, 'results reach the projector on B');
    expect(results.voters).toBe(7);
    const votes = Object.fromEntries(results.ranking.map((r) => [r.optionId, r.votes]));
    // twin: g1 1; of the other six, three give g1 1 + g2 1, three give g2 2.
    expect(votes).toEqual({ g1: 4, g2: 9 });

    expect((await c.command({ type: 'ballot.reveal', ballotId: id })).ok).toBe(true);
    const tally = (await waitFor(() => ballotOf(screenB, id)?.results, 'ballot results on B')) as CountResults;
    expect(tally.voters).toBe(47);
    // The seven: four o1, three o2; the forty: twenty each.
    expect(Object.fromEntries(tally.options.map((o) => [o.optionId, o.count]))).toEqual({ o1: 24, o2: 23 });
  });

  it('closes a Delphi round at its deadline once, though both nodes keep the timer', async () => {
    const id = 'delphi';
    const deadline = Date.now() + 3000;
    const created = await fac.client.command({
      type: 'ballot.create',
      ballot: { id, kind: 'rating', title: 'Срок', options: [{ id: 'q1', label: 'Q' }], delphi: { rule: 'iqr', maxRounds: 2, deadline } },
    });
    expect(created.ok).toBe(true);
    await fac.client.command({ type: 'ballot.open', ballotId: id });
    await waitFor(() => teachers().every((t) => ballotOf(t.client, id)?.status === 'open'), 'Delphi round open everywhere');
    const acks = await Promise.all(teachers().map((t, i) => t.client.answer(id, { kind: 'rating', ratings: { q1: 1 + (i % 5) } })));
    expect(acks.every((x) => x.ok)).toBe(true);
    await waitFor(() => everyone().every((c) => ballotOf(c, id)?.status === 'closed'), 'closed by the server on every screen', 8000);
    const version = fac.client.state!.version;
    await waitFor(() => everyone().every((c) => c.state?.version === version), 'every screen at one version');
    // The next command follows on from the close, on either node.
    expect((await fac.client.command({ type: 'ballot.reveal', ballotId: id })).ok).toBe(true);
    const results = await waitFor(() => ballotOf(screenB, id)?.results, 'Delphi results on B');
    expect(results.voters).toBe(7);
  });

  it('loses no note or answer while Redis restarts, and fan-out resumes', async () => {
    const [onNodeB, onNodeA] = boards as [BoardConnection, BoardConnection];
    const writer = onB[0]!;
    const id = 'during-outage';
    await fac.client.command({ type: 'ballot.create', ballot: { id, kind: 'single', title: 'Во время сбоя', options: [{ id: 'o1', label: 'Да' }, { id: 'o2', label: 'Нет' }] } });
    await fac.client.command({ type: 'ballot.open', ballotId: id });
    await waitFor(() => teachers().every((t) => ballotOf(t.client, id)?.status === 'open'), 'ballot open everywhere');
    expect((await fac.client.command({ type: 'timer.start', durationMs: 300_000 })).ok).toBe(true);
    const started = await endsAtOf(fac.client);

    await redis.stop();
    // Cut off from Redis, a node tells the balancer not to send it anyone new, and serves on.
    await until(async () => (await readiness(b)).failed.includes('redis'), 'B reports Redis in /readyz');
    expect(await readiness(b)).toMatchObject({ status: 503, failed: ['redis'] });
    for (let i = 0; i < 5; i++) addNote(onNodeB.doc, note(`outage-${i}`, writer, `Во время сбоя ${i}`));
    const answers = await Promise.all(teachers().map((t) => t.client.answer(id, { kind: 'single', option: 'o1' })));
    expect(answers.every((x) => x.ok)).toBe(true);
    expect((await fac.client.command({ type: 'timer.add', ms: 30_000 })).ok).toBe(true);
    await redis.restart();
    await until(async () => (await readiness(b)).status === 200, 'B ready again once Redis is back', 15_000);

    await waitFor(() => ['0', '1', '2', '3', '4'].every((i) => readNotes(onNodeA.doc).some((n) => n.id === `outage-${i}`)), 'A gets the notes written on B during the outage', 15_000);
    const endsAt = started + 30_000;
    await waitFor(() => (fac.client.state?.timer as { endsAt?: number }).endsAt === endsAt, 'the facilitator gets the timer change', 15_000);
    await waitFor(() => onB.every((t) => (t.client.state?.timer as { endsAt?: number }).endsAt === endsAt), 'teachers on B get the timer change', 15_000);
    // B's own copy of the room caught up: a new screen there starts from the latest state.
    const fresh = new SessionClient({ url: b.url, code: fac.created.code });
    extra.push(fresh);
    await fresh.ready();
    expect(fresh.state!.version).toBe(fac.client.state!.version);

    addNote(onNodeA.doc, note('after-outage', writer, 'После сбоя'));
    await waitFor(() => readNotes(onNodeB.doc).some((n) => n.id === 'after-outage'), 'fan-out from A to B resumes');
    expect((await fac.client.command({ type: 'ballot.reveal', ballotId: id })).ok).toBe(true);
    const tally = (await waitFor(() => ballotOf(screenB, id)?.results, 'results on B')) as CountResults;
    expect(tally.voters).toBe(7);
  });

  it('moves the clients of a killed node to the other within 5 s, losing nothing acknowledged', async () => {
    const [onNodeB, onNodeA] = boards as [BoardConnection, BoardConnection];
    const mate = viaLb.find((t) => t.client.me!.groupId === onB[0]!.client.me!.groupId) ?? stranded;
    const versionBefore = fac.client.state!.version;
    const endsBefore = await endsAtOf(fac.client);
    expect(endsBefore).toBeGreaterThan(Date.now());

    await a.kill('SIGKILL');
    const killedAt = Date.now();
    await waitFor(() => fac.client.status === 'offline', 'the facilitator notices the drop');
    // Sent while no node holds the socket: retried with the same request id until acknowledged.
    const pending = fac.client.command({ type: 'timer.add', ms: 60_000 });
    // Typed with the board disconnected: kept in the browser's copy, sent on reconnect.
    addNote(onNodeA.doc, note('while-moving', mate, 'Пока узел A недоступен'));

    await waitFor(
      () => fac.client.status === 'online' && viaLb.every((t) => t.client.status === 'online') && onNodeA.provider.wsconnected,
      'the clients of A reconnect through the balancer to B',
      5000,
    );
    expect(Date.now() - killedAt).toBeLessThan(5000);
    expect((await pending).ok).toBe(true);
    await waitFor(() => onB.every((t) => (t.client.state?.timer as { endsAt?: number }).endsAt === endsBefore + 60_000), 'teachers on B see the added minute');
    await waitFor(() => fac.client.state!.version > versionBefore, 'the facilitator gets the change');
    await waitFor(() => readNotes(onNodeB.doc).some((n) => n.id === 'while-moving'), 'the note typed during the move arrives on B');

    // Carrying on: the facilitator, now on B, moves everyone to the next stage.
    const from = fac.client.state!.stageIndex;
    expect((await fac.client.command({ type: 'stage.go', index: from + 1, from })).ok).toBe(true);
    const moved = [fac.client, ...onB.map((t) => t.client), ...viaLb.map((t) => t.client), screenB];
    await waitFor(() => moved.every((c) => c.state?.stageIndex === from + 1), 'every connected screen follows');

    // The teacher whose only tab was on A stops counting as present; those who moved stay.
    await waitFor(() => fac.client.roster.get(stranded.participantId)?.online === false, 'the stranded teacher goes offline', 12_000);
    expect(viaLb.every((t) => fac.client.roster.get(t.participantId)?.online)).toBe(true);
    expect(onB.every((t) => screenB.roster.get(t.participantId)?.online)).toBe(true);
    stranded.client.close();

    const md = await fetchMinutes(b.url, fac.created.code, fac.created.facilitatorToken);
    for (const text of ['Написано на B, исправлено на A', 'Во время сбоя 4', 'После сбоя', 'Пока узел A недоступен']) expect(md).toContain(text);
  });

  it('sent each state patch to each client once', () => {
    for (const [client, list] of patches) {
      const versions = list.map((p) => p.version);
      // Even the Delphi close both nodes attempted is committed, and sent, once.
      expect(versions.filter((v, i) => versions.indexOf(v) !== i), `client ${client.role} got a version twice`).toEqual([]);
    }
  });

  it('stops the remaining node gracefully, its Redis connections closed after its sockets', async () => {
    const seen = new Promise<void>((resolve) => screenB.socket.once('disconnect', () => resolve()));
    await b.kill('SIGTERM');
    expect(b.process.exitCode).toBe(0);
    await seen;
  });
});

describe('a node started while Redis is unreachable', () => {
  it('waits for Redis before it listens, then serves', async () => {
    const port = await freePort();
    const env = { REDIS_URL: `redis://127.0.0.1:${port}`, DATABASE_URL: await pg.createDatabase('redislate') };
    let up: TestServer | null = null;
    const starting = startServer({ env }).then((s) => (up = s));
    await new Promise((r) => setTimeout(r, 2000));
    // Not listening: no balancer sends it a client it could not fan out for.
    expect(up).toBeNull();
    const late = await startRedis(port);
    try {
      const node = await starting;
      expect(await readiness(node)).toMatchObject({ status: 200, failed: [] });
      const fac = await newFacilitator(node.url, { title: 'Поздний Redis' });
      expect((await fac.client.command({ type: 'stage.go', index: 1, from: 0 })).ok).toBe(true);
      fac.client.close();
      await node.kill('SIGTERM');
      expect(node.process.exitCode).toBe(0);
    } finally {
      await late.stop();
    }
  });
});
