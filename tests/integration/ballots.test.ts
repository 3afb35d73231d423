import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinSession, SessionClient } from '@kenes/shared/client';
import type {
  BallotAnswer,
  BallotAnswerAck,
  BallotDef,
  BallotSpec,
  CountResults,
  RankingResults,
  RatingResults,
  TextResults,
} from '@kenes/shared';
import { startServer, type TestServer } from '../helpers/server.js';
import { newFacilitator, newTeacher, rejoin, type Facilitator, type Teacher } from '../helpers/people.js';
import { waitFor } from '../helpers/wait.js';

let server: TestServer;
let fac: Facilitator;
let teachers: Teacher[] = [];
const extra: SessionClient[] = [];

const NAMES = ['Айгерим', 'Дана', 'Ерлан', 'Жанна'];
const opts = (...labels: string[]) => labels.map((label, i) => ({ id: `o${i + 1}`, label }));

beforeAll(async () => {
  server = await startServer();
  fac = await newFacilitator(server.url, { title: 'Экспертная оценка', facilitator: 'Гульнара Сейтказы' });
  teachers = await Promise.all(NAMES.map((n) => newTeacher(server.url, fac.created.code, n)));
});

afterAll(async () => {
  for (const c of extra) c.close();
  for (const t of teachers) t.client.close();
  fac?.client.close();
  await server?.kill('SIGTERM');
});

/** Create and open a ballot; resolves once every teacher sees it open. */
async function openBallot(spec: BallotSpec, who: Teacher[] = teachers): Promise<string> {
  const id = spec.id!;
  expect((await fac.client.command({ type: 'ballot.create', ballot: spec })).ok).toBe(true);
  expect((await fac.client.command({ type: 'ballot.open', ballotId: id })).ok).toBe(true);
  for (const t of who) await waitFor(() => ballotOf(t.client, id)?.status === 'open', `${t.name} sees ${id} open`);
  return id;
}

function ballotOf(c: SessionClient, id: string): BallotDef | undefined {
  return c.state?.ballots.find((b) => b.id === id);
}

async function must(ack: Promise<BallotAnswerAck>): Promise<BallotAnswer | null> {
  const a = await ack;
  if (!a.ok) throw new Error(`answer refused: ${a.error.code}`);
  return a.answer;
}

describe('ballots against the real server', () => {
  it('tallies a ranking ballot by Borda count and rank sums', async () => {
    const id = await openBallot({ id: 'rank', kind: 'ranking', title: 'Ранжируйте программы', options: opts('Программа А', 'Программа Б', 'Программа В'), privacy: 'facilitator' });
    // Borda (2, 1, 0): o1 = 2+2+1+0 = 5, o2 = 1+0+2+1 = 4, o3 = 0+1+0+2 = 3.
    const orders = [['o1', 'o2', 'o3'], ['o1', 'o3', 'o2'], ['o2', 'o1', 'o3'], ['o3', 'o2', 'o1']];
    await Promise.all(teachers.map((t, i) => must(t.client.answer(id, { kind: 'ranking', order: orders[i]! }))));
    // Refusals carry the rule's code.
    const incomplete = await teachers[0]!.client.answer(id, { kind: 'ranking', order: ['o1', 'o2'] });
    expect(incomplete).toMatchObject({ ok: false, error: { code: 'incomplete_answer' } });
    const wrong = await teachers[0]!.client.answer(id, { kind: 'single', option: 'o1' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'wrong_kind' } });
    await waitFor(() => fac.client.answerCounts.get(id)?.answers === 4, 'four answers counted');

    expect((await fac.client.command({ type: 'ballot.reveal', ballotId: id })).ok).toBe(true);
    const results = (await waitFor(() => ballotOf(teachers[3]!.client, id)?.results, 'results reach teachers')) as RankingResults;
    expect(results.voters).toBe(4);
    expect(results.options.map((o) => [o.optionId, o.borda, o.rankSum, o.rank])).toEqual([
      ['o1', 5, 7, 1],
      ['o2', 4, 8, 2],
      ['o3', 3, 9, 3],
    ]);
    expect(results.agreement?.band).toBe('low');

    // Named to the facilitator only: she can list who answered what, the teachers cannot.
    const listed = await fac.client.listAnswers(id);
    if (!listed.ok) throw new Error(listed.error.code);
    expect(listed.answers.map((a) => a.name).sort()).toEqual([...NAMES].sort());
    expect(listed.answers.map((a) => a.expert)).toEqual([1, 2, 3, 4]);
    expect(await teachers[0]!.client.listAnswers(id)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('never lets a teacher read another teacher’s answer or an unrevealed result', async () => {
    const [alice, bob] = teachers as [Teacher, Teacher];
    const heard: { who: string; event: string; payload: string }[] = [];
    const spy = (who: string, c: SessionClient) => c.socket.onAny((event: string, ...args: unknown[]) => heard.push({ who, event, payload: JSON.stringify(args) }));
    spy('bob', bob.client);
    spy('fac', fac.client);
    const screen = new SessionClient({ url: server.url, code: fac.created.code });
    extra.push(screen);
    await screen.ready();
    spy('screen', screen);

    const id = await openBallot({ id: 'secret', kind: 'text', title: 'Что мешает?', options: [], privacy: 'named' });
    const SECRET = 'Секрет Алисы: нет времени на подготовку';
    expect(await must(alice.client.answer(id, { kind: 'text', text: `  ${SECRET}  ` }))).toEqual({ kind: 'text', text: SECRET });
    expect(await must(bob.client.answer(id, { kind: 'text', text: 'Нехватка ресурсов' }))).toBeTruthy();
    await waitFor(() => fac.client.answerCounts.get(id)?.answers === 2, 'two answers counted');
    await new Promise((r) => setTimeout(r, 400)); // past a flush of counts and tallies

    // Nobody but Alice heard her answer; nobody saw a result; teachers never get counts.
    expect(heard.filter((h) => h.payload.includes(SECRET))).toEqual([]);
    expect(heard.filter((h) => h.event === 'ballot.results')).toEqual([]);
    expect(heard.filter((h) => h.who !== 'fac' && h.event === 'ballot.progress')).toEqual([]);
    expect(heard.some((h) => h.who === 'fac' && h.event === 'ballot.progress')).toBe(true);
    expect(ballotOf(bob.client, id)!.results).toBeNull();
    expect(bob.client.resultsOf(id)).toBeNull();
    expect(bob.client.myAnswer(id)).toEqual({ kind: 'text', text: 'Нехватка ресурсов' });
    // Neither asking the server directly nor a sync gives anything away.
    expect(await bob.client.listAnswers(id)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const sync = await bob.client.socket.emitWithAck('sync', {});
    expect(JSON.stringify(sync)).not.toContain(SECRET);
    expect(await screen.listAnswers(id)).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    // After the reveal the answers are listed, and — the ballot being named — a teacher may see by whom.
    expect((await fac.client.command({ type: 'ballot.reveal', ballotId: id })).ok).toBe(true);
    const results = (await waitFor(() => ballotOf(bob.client, id)?.results, 'revealed text')) as TextResults;
    expect(results.answers.sort()).toEqual(['Нехватка ресурсов', SECRET].sort());
    const listed = await bob.client.listAnswers(id);
    if (!listed.ok) throw new Error(listed.error.code);
    expect(listed.answers.find((a) => a.name === 'Айгерим')?.answer).toEqual({ kind: 'text', text: SECRET });
  });

  it('stores an anonymous ballot with no participant id, yet lets a teacher change their answer', async () => {
    const id = await openBallot({ id: 'anon', kind: 'single', title: 'Понятны ли термины?', options: opts('Да', 'Нет'), privacy: 'anonymous' });
    await Promise.all(teachers.map((t, i) => must(t.client.answer(id, { kind: 'single', option: i === 0 ? 'o1' : 'o2' }))));
    // Айгерим changes her mind, Дана withdraws and answers again.
    await must(teachers[0]!.client.answer(id, { kind: 'single', option: 'o2' }));
    expect(await must(teachers[1]!.client.answer(id, null))).toBeNull();
    await must(teachers[1]!.client.answer(id, { kind: 'single', option: 'o1' }));
    await waitFor(() => fac.client.answerCounts.get(id)?.answers === 4, 'four answers counted');
    // A second anonymous ballot, answered by the same teachers.
    const other = await openBallot({ id: 'anon2', kind: 'rating', title: 'Оцените ресурсы', options: opts('Время', 'Материалы') });
    await Promise.all(teachers.map((t) => must(t.client.answer(other, { kind: 'rating', ratings: { o1: 2 } }))));

    const db = new Database(join(server.dataDir, 'kenes.db'), { readonly: true, fileMustExist: true });
    try {
      const rows = db.prepare('SELECT * FROM ballot_answers WHERE ballot_id = ?').all(id) as Record<string, unknown>[];
      expect(rows).toHaveLength(4);
      const ids = teachers.map((t) => t.participantId);
      const tokens = teachers.map((t) => t.token);
      for (const row of rows) {
        const text = JSON.stringify(row);
        for (const secret of [...ids, ...tokens]) expect(text).not.toContain(secret);
        expect(row.participant_id).toBeNull();
        expect(row.updated_at).toBeNull();
        expect(String(row.voter)).toMatch(/^h:[A-Za-z0-9_-]{43}$/);
      }
      // The token hashes stored for sign-in are not the voter keys either.
      const hashes = (db.prepare('SELECT token_hash FROM participants').pluck().all() as string[]).map(String);
      for (const row of rows) expect(hashes.some((h) => String(row.voter).includes(h))).toBe(false);
      // The idempotency records of these answers name no participant.
      const requests = db.prepare("SELECT actor, response FROM requests WHERE response LIKE '%\"ballotId\":\"anon\"%'").all() as { actor: string }[];
      expect(requests.length).toBeGreaterThanOrEqual(6);
      for (const r of requests) expect(ids).not.toContain(r.actor);
      expect(rows.map((r) => JSON.parse(String(r.answer)).option).sort()).toEqual(['o1', 'o2', 'o2', 'o2']);
      // Each ballot has its own keys: nothing joins a teacher's anonymous answers across ballots,
      // and no request record of another ballot (named ones included) carries these keys.
      const keys = new Set(rows.map((r) => String(r.voter)));
      const elsewhere = db.prepare('SELECT voter FROM ballot_answers WHERE ballot_id <> ?').pluck().all(id) as string[];
      expect(elsewhere.filter((v) => v.startsWith('h:'))).toHaveLength(4);
      expect(elsewhere.filter((v) => keys.has(v))).toEqual([]);
      const actors = db.prepare("SELECT actor FROM requests WHERE response NOT LIKE '%\"ballotId\":\"anon\"%'").pluck().all() as string[];
      expect(actors.filter((a) => keys.has(a))).toEqual([]);
    } finally {
      db.close();
    }

    // The facilitator's list of an anonymous ballot has answers, never names.
    const listed = await fac.client.listAnswers(id);
    if (!listed.ok) throw new Error(listed.error.code);
    expect(listed.answers).toHaveLength(4);
    for (const a of listed.answers) expect(a.participantId ?? a.name).toBeUndefined();

    // A reloaded tab gets the teacher's own anonymous answer back in its welcome.
    const again = await rejoin(server.url, fac.created.code, teachers[0]!);
    extra.push(again.client);
    expect(again.client.myAnswer(id)).toEqual({ kind: 'single', option: 'o2' });

    // …and still after the ballot is closed, so the form does not come back empty.
    expect((await fac.client.command({ type: 'ballot.close', ballotId: id })).ok).toBe(true);
    const later = await rejoin(server.url, fac.created.code, teachers[0]!);
    extra.push(later.client);
    expect(later.client.state?.ballots.find((b) => b.id === id)?.status).toBe('closed');
    expect(later.client.myAnswer(id)).toEqual({ kind: 'single', option: 'o2' });
  });

  it('sends live results as answers arrive, to every screen', async () => {
    const screen = new SessionClient({ url: server.url, code: fac.created.code });
    extra.push(screen);
    await screen.ready();
    const id = await openBallot({ id: 'live', kind: 'rating', title: 'Оцените семинар', options: opts('Польза', 'Организация'), scale: { min: 1, max: 5 }, visibility: 'live' });
    const mean = (c: SessionClient, opt: string) => (c.resultsOf(id) as RatingResults | null)?.options.find((o) => o.optionId === opt)?.mean;

    await must(teachers[0]!.client.answer(id, { kind: 'rating', ratings: { o1: 5, o2: 3 } }));
    await waitFor(() => mean(screen, 'o1') === 5 && mean(teachers[2]!.client, 'o1') === 5, 'first live tally');
    await must(teachers[1]!.client.answer(id, { kind: 'rating', ratings: { o1: 3, o2: 4 } }));
    await waitFor(() => mean(screen, 'o1') === 4 && mean(teachers[2]!.client, 'o2') === 3.5, 'updated live tally');
    const live = screen.resultsOf(id) as RatingResults;
    expect(live.voters).toBe(2);
    expect(live.options[0]!.consistency).toBeTruthy();
    // Still nothing in control state until the ballot closes.
    expect(ballotOf(screen, id)!.results).toBeNull();

    // A late screen gets the running tally in its welcome.
    const late = new SessionClient({ url: server.url, code: fac.created.code });
    extra.push(late);
    await late.ready();
    expect((late.resultsOf(id) as RatingResults).voters).toBe(2);

    expect((await fac.client.command({ type: 'ballot.close', ballotId: id })).ok).toBe(true);
    const final = (await waitFor(() => ballotOf(screen, id)?.results, 'final tally in state')) as RatingResults;
    expect(final.voters).toBe(2);
    expect(screen.liveResults.has(id)).toBe(false);
  });

  it('closes, reopens and starts a new round of the same question', async () => {
    const [a, b] = teachers as [Teacher, Teacher];
    const id = await openBallot({ id: 'rounds', kind: 'single', title: 'Принять решение?', options: opts('За', 'Против') });
    await must(a.client.answer(id, { kind: 'single', option: 'o1' }));
    await must(b.client.answer(id, { kind: 'single', option: 'o2' }));

    expect((await fac.client.command({ type: 'ballot.close', ballotId: id })).ok).toBe(true);
    await waitFor(() => ballotOf(b.client, id)?.status === 'closed', 'closed everywhere');
    expect(await b.client.answer(id, { kind: 'single', option: 'o1' })).toMatchObject({ ok: false, error: { code: 'ballot_not_open' } });
    expect(await fac.client.command({ type: 'ballot.update', ballotId: id, changes: { title: 'x' } })).toMatchObject({ ok: false, error: { code: 'ballot_not_draft' } });

    expect((await fac.client.command({ type: 'ballot.reopen', ballotId: id })).ok).toBe(true);
    await waitFor(() => ballotOf(b.client, id)?.status === 'open', 'reopened everywhere');
    await must(b.client.answer(id, { kind: 'single', option: 'o1' })); // changed after the reopen
    expect((await fac.client.command({ type: 'ballot.reveal', ballotId: id })).ok).toBe(true);
    const first = (await waitFor(() => ballotOf(a.client, id)?.results, 'round 1 results')) as CountResults;
    expect(first.voters).toBe(2);
    expect(first.options[0]).toMatchObject({ optionId: 'o1', count: 2, rank: 1 });

    expect((await fac.client.command({ type: 'ballot.round', ballotId: id })).ok).toBe(true);
    const round2 = await waitFor(() => (ballotOf(a.client, id)?.round === 2 ? ballotOf(a.client, id) : null), 'round 2');
    expect(round2).toMatchObject({ status: 'open', results: null });
    expect(round2.previous).toEqual(first);
    expect(a.client.myAnswer(id)).toBeNull();
    await waitFor(() => fac.client.answerCounts.get(id)?.round === 2 && fac.client.answerCounts.get(id)?.answers === 0, 'count reset');
    await must(a.client.answer(id, { kind: 'single', option: 'o2' }));
    await waitFor(() => fac.client.answerCounts.get(id)?.answers === 1, 'round 2 counted');
    expect((await fac.client.command({ type: 'ballot.reveal', ballotId: id })).ok).toBe(true);
    const second = (await waitFor(() => ballotOf(a.client, id)?.results, 'round 2 results')) as CountResults;
    expect(second).toMatchObject({ round: 2, voters: 1 });

    // Deleting a ballot deletes its answers.
    expect((await fac.client.command({ type: 'ballot.delete', ballotId: id })).ok).toBe(true);
    const db = new Database(join(server.dataDir, 'kenes.db'), { readonly: true, fileMustExist: true });
    try {
      expect(db.prepare('SELECT COUNT(*) FROM ballot_answers WHERE ballot_id = ?').pluck().get(id)).toBe(0);
    } finally {
      db.close();
    }
    expect(await a.client.answer(id, { kind: 'single', option: 'o1' })).toMatchObject({ ok: false, error: { code: 'unknown_ballot' } });
  });

  it('refuses ballot commands from teachers', async () => {
    const ack = await teachers[0]!.client.command({ type: 'ballot.create', ballot: { id: 'hijack', kind: 'single', title: 'x', options: opts('a') } });
    expect(ack).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await fac.client.answer('rank', { kind: 'ranking', order: ['o1', 'o2', 'o3'] })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});

describe('a burst of 500 answers', () => {
  const N = 500;
  let burstFac: Facilitator;
  const voters: { token: string; participantId: string; client: SessionClient }[] = [];

  afterAll(() => {
    for (const v of voters) v.client.close();
    burstFac?.client.close();
  });

  it('acknowledges every answer within a one-second burst and counts each once', async () => {
    burstFac = await newFacilitator(server.url, { title: 'Массовое голосование' });
    const code = burstFac.created.code;
    for (let start = 0; start < N; start += 50) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(50, N - start) }, async (_, i) => {
          const joined = await joinSession(server.url, code, `Учитель ${start + i + 1}`);
          const client = new SessionClient({ url: server.url, code, token: joined.token });
          await client.ready();
          return { token: joined.token, participantId: joined.participantId, client };
        }),
      );
      voters.push(...batch);
    }
    const id = 'burst';
    expect((await burstFac.client.command({ type: 'ballot.create', ballot: { id, kind: 'single', title: 'Какой формат выбрать?', options: opts('Кейс', 'Форсайт', 'Аквариум'), visibility: 'live' } })).ok).toBe(true);
    expect((await burstFac.client.command({ type: 'ballot.open', ballotId: id })).ok).toBe(true);
    await waitFor(() => voters.every((v) => ballotOf(v.client, id)?.status === 'open'), 'ballot open for all 500', 15_000);

    const choice = (i: number) => `o${(i % 3) + 1}`;
    const started = Date.now();
    const acks = await Promise.all(
      voters.map(async (v, i) => {
        await new Promise((r) => setTimeout(r, Math.random() * 1000));
        return v.client.answer(id, { kind: 'single', option: choice(i) });
      }),
    );
    const elapsed = Date.now() - started;
    expect(acks.filter((a) => !a.ok)).toEqual([]);
    expect(elapsed).toBeLessThan(10_000);

    // Fifty teachers' requests are sent again with the same request id: each counts once.
    const retries = await Promise.all(
      voters.slice(0, 50).map(async (v, i) => {
        const payload = { rid: `retry-burst-${i}-0000`, ballotId: id, answer: { kind: 'single', option: 'o3' } };
        const [first, second] = await Promise.all([v.client.socket.emitWithAck('ballot.answer', payload), v.client.socket.emitWithAck('ballot.answer', payload)]);
        return [first, second] as const;
      }),
    );
    for (const [first, second] of retries) {
      expect(first).toMatchObject({ ok: true });
      expect(second).toEqual(first);
    }

    await waitFor(() => burstFac.client.answerCounts.get(id)?.answers === N, 'facilitator sees 500 answers', 10_000);
    const live = await waitFor(() => {
      const r = burstFac.client.resultsOf(id) as CountResults | null;
      return r && r.voters === N ? r : null;
    }, 'live tally of 500', 10_000);
    expect(live.voters).toBe(N);

    expect((await burstFac.client.command({ type: 'ballot.close', ballotId: id })).ok).toBe(true);
    expect((await burstFac.client.command({ type: 'ballot.reveal', ballotId: id })).ok).toBe(true);
    const results = (await waitFor(() => ballotOf(burstFac.client, id)?.results, 'revealed burst')) as CountResults;
    const expected = new Map<string, number>();
    voters.forEach((_, i) => {
      const option = i < 50 ? 'o3' : choice(i);
      expected.set(option, (expected.get(option) ?? 0) + 1);
    });
    expect(results.voters).toBe(N);
    expect(Object.fromEntries(results.options.map((o) => [o.optionId, o.count]))).toEqual(Object.fromEntries(expected));
    expect(results.options.reduce((s, o) => s + o.count, 0)).toBe(N);
  });
});
