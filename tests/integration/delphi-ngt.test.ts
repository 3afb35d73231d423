import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { delphiFeedback, delphiStatus, type BallotAnswer, type BallotAnswerAck, type BallotDef, type RankingResults, type RatingResults } from '@kenes/shared';
import type { SessionClient } from '@kenes/shared/client';
import { startServer, type TestServer } from '../helpers/server.js';
import { newFacilitator, newTeacher, rejoin, type Facilitator, type Teacher } from '../helpers/people.js';
import { waitFor } from '../helpers/wait.js';

let server: TestServer;
let fac: Facilitator;
let experts: Teacher[] = [];
const NAMES = ['Айгерим', 'Дана', 'Ерлан', 'Жанна', 'Нұрлан'];

beforeAll(async () => {
  server = await startServer();
  fac = await newFacilitator(server.url, { title: 'Дельфи и номинальная группа', facilitator: 'Гульнара Сейтказы' });
  experts = await Promise.all(NAMES.map((n) => newTeacher(server.url, fac.created.code, n)));
});

afterAll(async () => {
  for (const t of experts) t.client.close();
  fac?.client.close();
  await server?.kill('SIGTERM');
});

const ballotOf = (c: SessionClient, id: string): BallotDef | undefined => c.state?.ballots.find((b) => b.id === id);

async function must(ack: Promise<BallotAnswerAck>): Promise<BallotAnswer | null> {
  const a = await ack;
  if (!a.ok) throw new Error(`answer refused: ${a.error.code}`);
  return a.answer;
}

async function cmd(c: Parameters<Facilitator['client']['command']>[0]) {
  const r = await fac.client.command(c);
  if (!r.ok) throw new Error(`${c.type} refused: ${r.error.code}`);
}

describe('Delphi against the real server', () => {
  it('runs three rounds until the experts converge, then refuses a fourth', async () => {
    const id = 'delphi';
    await cmd({
      type: 'ballot.create',
      ballot: { id, kind: 'rating', title: 'Приоритеты программы', options: [{ id: 'q1', label: 'Инклюзия' }, { id: 'q2', label: 'Наставничество' }], delphi: { rule: 'iqr', maxRounds: 3 } },
    });
    await cmd({ type: 'ballot.open', ballotId: id });
    // Round by round, the grades of the five experts on q1 and q2 move towards 4.
    const rounds: [number, number][][] = [
      [[1, 5], [5, 1], [3, 3], [4, 2], [2, 4]],
      [[1, 4], [5, 1], [4, 3], [5, 3], [3, 5]],
      [[4, 4], [4, 3], [4, 4], [4, 4], [5, 4]],
    ];
    for (let r = 0; r < rounds.length; r++) {
      for (const t of experts) await waitFor(() => ballotOf(t.client, id)?.status === 'open' && ballotOf(t.client, id)?.round === r + 1, `${t.name} sees round ${r + 1}`);
      if (r > 0) {
        // Between rounds: own previous answer beside the group median and IQR, and the comments.
        const def = ballotOf(experts[0]!.client, id)!;
        const fb = delphiFeedback(def, def.previous, experts[0]!.client.myPreviousAnswer(id));
        expect(fb[0]!.mine).toBe(rounds[r - 1]![0]![0]);
        expect(fb[0]!.median).not.toBeNull();
        if (r === 1) expect(fb[0]!.comments).toEqual(['Нужны ресурсы']);
      }
      await Promise.all(
        experts.map((t, i) => {
          const [a, b] = rounds[r]![i]!;
          const comments = r === 0 && i === 0 ? { q1: 'Нужны ресурсы' } : undefined;
          return must(t.client.answer(id, { kind: 'rating', ratings: { q1: a, q2: b }, ...(comments ? { comments } : {}) }));
        }),
      );
      await waitFor(() => fac.client.answerCounts.get(id)?.answers === 5 && fac.client.answerCounts.get(id)?.round === r + 1, `five answers in round ${r + 1}`);
      await cmd({ type: 'ballot.close', ballotId: id });
      if (r < 2) {
        await cmd({ type: 'ballot.round', ballotId: id });
        if (r === 0) {
          // A reconnecting expert gets their previous-round answer in the welcome.
          const back = await rejoin(server.url, fac.created.code, experts[0]!);
          experts[0]!.client.close();
          experts[0] = back;
          await waitFor(() => ballotOf(back.client, id)?.round === 2, 'rejoined expert sees round 2');
          expect(back.client.myPreviousAnswer(id)).toMatchObject({ kind: 'rating', ratings: { q1: 1, q2: 5 } });
        }
      }
    }
    await cmd({ type: 'ballot.reveal', ballotId: id });
    const def = await waitFor(() => (ballotOf(fac.client, id)?.results ? ballotOf(fac.client, id) : undefined), 'results');
    const status = delphiStatus(def!, def!.results as RatingResults);
    expect(status.every((q) => q.consensus)).toBe(true);
    expect(status.every((q) => q.stable === false || q.stable === true)).toBe(true);
    const fourth = await fac.client.command({ type: 'ballot.round', ballotId: id });
    expect(fourth).toMatchObject({ ok: false });
    expect(['delphi_consensus', 'delphi_max_rounds']).toContain((fourth as { error: { code: string } }).error.code);
  });

  it('closes a round at its deadline and refuses later answers', async () => {
    const id = 'delphi-deadline';
    const deadline = Date.now() + 1500;
    await cmd({ type: 'ballot.create', ballot: { id, kind: 'rating', title: 'Срок', options: [{ id: 'q1', label: 'Q' }], delphi: { rule: 'topTwo', maxRounds: 2, deadline } } });
    await cmd({ type: 'ballot.open', ballotId: id });
    await waitFor(() => ballotOf(experts[1]!.client, id)?.status === 'open', 'open');
    await must(experts[1]!.client.answer(id, { kind: 'rating', ratings: { q1: 4 } }));
    await waitFor(() => ballotOf(experts[1]!.client, id)?.status === 'closed', 'closed by the server at the deadline', 5000);
    expect(await experts[2]!.client.answer(id, { kind: 'rating', ratings: { q1: 5 } })).toMatchObject({ ok: false, error: { code: 'ballot_not_open' } });
  });
});

describe('NGT against the real server', () => {
  it('ranks the top five, totals them, and re-runs a split on the tied options', async () => {
    const id = 'ngt';
    const options = ['a', 'b', 'c', 'd', 'e', 'f'].map((x) => ({ id: x, label: `Идея ${x.toUpperCase()}` }));
    await cmd({ type: 'ballot.create', ballot: { id, kind: 'ranking', title: 'Номинальная группа', options, ngt: true, visibility: 'live' } });
    await cmd({ type: 'ngt.order', ballotId: id, order: experts.map((t) => t.participantId) });
    await cmd({ type: 'ngt.next', ballotId: id });
    await waitFor(() => ballotOf(experts[1]!.client, id)?.turns?.turn === 1, 'second speaker');
    await cmd({ type: 'ballot.open', ballotId: id });
    for (const t of experts) await waitFor(() => ballotOf(t.client, id)?.status === 'open', `${t.name} sees NGT`);
    const full = await experts[0]!.client.answer(id, { kind: 'ranking', order: ['a', 'b', 'c', 'd', 'e', 'f'] });
    expect(full).toMatchObject({ ok: false, error: { code: 'incomplete_answer' } });
    const orders = [
      ['a', 'b', 'c', 'd', 'e'],
      ['b', 'a', 'c', 'd', 'f'],
      ['a', 'b', 'd', 'c', 'e'],
      ['b', 'a', 'e', 'f', 'c'],
      ['c', 'a', 'b', 'd', 'e'],
    ];
    await Promise.all(experts.map((t, i) => must(t.client.answer(id, { kind: 'ranking', order: orders[i]! }))));
    await waitFor(() => fac.client.answerCounts.get(id)?.answers === 5, 'five rankings');
    await cmd({ type: 'ballot.reveal', ballotId: id });
    const r = (await waitFor(() => ballotOf(experts[2]!.client, id)?.results, 'NGT totals')) as RankingResults;
    // a = 5+4+5+4+4 = 22, b = 4+5+4+5+3 = 21, c = 3+3+2+1+5 = 14.
    expect(r.options.slice(0, 3).map((o) => [o.optionId, o.borda])).toEqual([
      ['a', 22],
      ['b', 21],
      ['c', 14],
    ]);
    expect(r.split).toEqual(['a', 'b']);
    await cmd({ type: 'ballot.round', ballotId: id });
    await waitFor(() => ballotOf(experts[0]!.client, id)?.round === 2, 'revote');
    expect(ballotOf(experts[0]!.client, id)!.options.map((o) => o.id)).toEqual(['a', 'b']);
    await Promise.all(experts.map((t, i) => must(t.client.answer(id, { kind: 'ranking', order: i < 3 ? ['a', 'b'] : ['b', 'a'] }))));
    await waitFor(() => fac.client.answerCounts.get(id)?.answers === 5 && fac.client.answerCounts.get(id)?.round === 2, 'revote counted');
    await cmd({ type: 'ballot.reveal', ballotId: id });
    const r2 = (await waitFor(() => (ballotOf(fac.client, id)?.round === 2 ? ballotOf(fac.client, id)?.results : undefined), 'revote totals')) as RankingResults;
    expect(r2.options.map((o) => [o.optionId, o.borda])).toEqual([
      ['a', 8],
      ['b', 7],
    ]);
  });
});

describe('a Delphi deadline across a restart', () => {
  it('re-arms the timer from state and closes the round at its deadline', async () => {
    const first = await startServer();
    const { port, dataDir } = first;
    const f = await newFacilitator(first.url, { title: 'Дельфи', facilitator: 'Гульнара' });
    const id = 'late';
    const deadline = Date.now() + 6000;
    const created = await f.client.command({ type: 'ballot.create', ballot: { id, kind: 'rating', title: 'Срок', options: [{ id: 'q1', label: 'Q' }], delphi: { rule: 'iqr', maxRounds: 2, deadline } } });
    expect(created.ok).toBe(true);
    expect((await f.client.command({ type: 'ballot.open', ballotId: id })).ok).toBe(true);
    f.client.close();
    await first.kill('SIGKILL');
    const second = await startServer({ dataDir, port });
    try {
      const { SessionClient } = await import('@kenes/shared/client');
      const screen = new SessionClient({ url: second.url, code: f.created.code });
      await screen.ready();
      // A slow restart (a loaded machine) may come up after the deadline: then the round closes at once.
      if (Date.now() < deadline - 500) expect(ballotOf(screen, id)?.status).toBe('open');
      await waitFor(() => ballotOf(screen, id)?.status === 'closed', 'closed after the restart at the deadline', 10_000);
      expect(Date.now()).toBeGreaterThanOrEqual(deadline);
      screen.close();
    } finally {
      await second.kill('SIGTERM');
    }
  }, 30_000);
});
