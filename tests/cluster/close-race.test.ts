import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BallotDef, CountResults } from '@kenes/shared';
import type { Broadcaster } from '../../server/src/realtime/broadcaster.js';
import { SessionHub } from '../../server/src/realtime/hub.js';
import { PostgresStore } from '../../server/src/store/postgres.js';
import { SQLiteStore } from '../../server/src/store/sqlite.js';
import type { Commit, Store } from '../../server/src/store/store.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';

let pg: TestPostgres;
let dir: string;

beforeAll(async () => {
  pg = await startPostgres();
  dir = mkdtempSync(join(tmpdir(), 'kenes-close-race-'));
});

afterAll(async () => {
  await pg?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const silent: Broadcaster = { toSession() {}, toStaff() {}, toFacilitators() {}, toParticipant() {} };

/** Two connections to one database, as two nodes would hold. */
const ENGINES: [string, () => Promise<[Store, Store]>][] = [
  [
    'PostgreSQL',
    async () => {
      const url = await pg.createDatabase('closerace');
      return Promise.all([PostgresStore.open({ url, poolSize: 4 }), PostgresStore.open({ url, poolSize: 4 })]);
    },
  ],
  [
    'one SQLite file',
    async () => {
      const file = join(dir, 'kenes.db');
      return [new SQLiteStore({ file }), new SQLiteStore({ file })];
    },
  ],
];

/**
 * Node A's store, with a moment held open between a tally's read of the answers and
 * its commit — where, on a busy cluster, another node's answer can land.
 */
function withGap(store: Store): { store: Store; next(fn: () => Promise<unknown>): void } {
  let pending: (() => Promise<unknown>) | null = null;
  const gapped = new Proxy(store, {
    get(target, prop) {
      if (prop !== 'commit') return Reflect.get(target, prop) as unknown;
      return async (c: Commit) => {
        const run = c.tallied?.length ? pending : null;
        if (run) {
          pending = null;
          await run();
        }
        return target.commit(c);
      };
    },
  });
  return { store: gapped, next: (fn) => (pending = fn) };
}

/** A hub as a node in cluster mode runs it: other nodes serve the same rooms. */
function node(store: Store): SessionHub {
  const hub = new SessionHub(store, silent);
  hub.shared = true;
  hub.ballots.shared = true;
  return hub;
}

const facilitator = { role: 'facilitator' as const };

describe.each(ENGINES)('a round closed on node A while node B takes answers, on %s', (_name, open) => {
  it('counts every answer B acknowledged before the close, and refuses the ones after it', async () => {
    const [storeA, storeB] = await open();
    const gap = withGap(storeA);
    const hubA = node(gap.store);
    const hubB = node(storeB);
    try {
      const { state } = await hubA.create({ title: 'Close race', template: 'case-method', locale: 'en' });
      const roomA = (await hubA.byId(state.id))!;
      const people = await Promise.all(['Aigerim', 'Dana', 'Erlan', 'Zhanna'].map((n) => hubA.join(roomA, n)));
      const roomB = (await hubB.byId(state.id))!;
      const voters = await Promise.all(people.map(async (p) => ({ participantId: p.participant.id, voterKey: await hubB.ballots.voterKey(state.id, p.token) })));
      let rid = 0;
      const run = (cmd: Parameters<SessionHub['command']>[3]) => hubA.command(roomA, facilitator, `fac-${++rid}`, cmd);
      const answer = (i: number, option: string) => hubB.ballots.answer(roomB, voters[i]!, `ans-${++rid}`, 'pick', { kind: 'single', option });

      // A live ballot: closing it publishes the final tally.
      expect((await run({ type: 'ballot.create', ballot: { id: 'pick', kind: 'single', title: 'Pick', options: [{ id: 'o1', label: 'One' }, { id: 'o2', label: 'Two' }], visibility: 'live' } })).ok).toBe(true);
      expect((await run({ type: 'ballot.open', ballotId: 'pick' })).ok).toBe(true);
      expect(await answer(0, 'o1')).toMatchObject({ ok: true });
      expect(await answer(1, 'o1')).toMatchObject({ ok: true });

      // B takes two more answers after A read the answers for its tally, before A commits the close.
      const between: unknown[] = [];
      gap.next(async () => between.push(await answer(2, 'o2'), await answer(1, 'o2')));
      expect((await run({ type: 'ballot.close', ballotId: 'pick' })).ok).toBe(true);
      expect(between).toEqual([expect.objectContaining({ ok: true }), expect.objectContaining({ ok: true })]);
      const closed = roomA.state.ballots.find((b) => b.id === 'pick') as BallotDef;
      const tally = closed.results as CountResults;
      expect(tally.voters).toBe(3);
      expect(Object.fromEntries(tally.options.map((o) => [o.optionId, o.count]))).toEqual({ o1: 1, o2: 2 });
      expect((await storeA.loadState(state.id))!.ballots.find((b) => b.id === 'pick')!.results).toEqual(tally);

      // B has not heard of the close yet; an answer now is refused, and nothing is stored.
      expect(roomB.state.ballots.find((b) => b.id === 'pick')!.status).toBe('open');
      expect(await answer(3, 'o1')).toMatchObject({ ok: false, error: { code: 'ballot_not_open' } });
      expect(await storeB.answerCount(state.id, 'pick', 1)).toBe(3);
      expect(roomB.state.ballots.find((b) => b.id === 'pick')!.status).toBe('closed');

      // The dot vote: a reveal straight from open counts a ballot B took in the same gap.
      expect((await run({ type: 'groups.split', count: 2 })).ok).toBe(true);
      for (const g of ['g1', 'g2']) expect((await run({ type: 'group.solution', groupId: g, text: `Solution ${g}` })).ok).toBe(true);
      expect((await run({ type: 'vote.open' })).ok).toBe(true);
      const vote = (i: number, allocation: Record<string, number>) => hubB.vote(roomB, voters[i]!.participantId, `vote-${++rid}`, allocation);
      expect(await vote(0, { g1: 1 })).toMatchObject({ ok: true });
      gap.next(async () => between.push(await vote(1, { g2: 2 })));
      expect((await run({ type: 'vote.reveal' })).ok).toBe(true);
      expect(between.at(-1)).toMatchObject({ ok: true });
      expect(roomA.state.vote.results).toMatchObject({ voters: 2 });
      expect(Object.fromEntries(roomA.state.vote.results!.ranking.map((r) => [r.optionId, r.votes]))).toEqual({ g1: 1, g2: 2 });
      expect(await vote(2, { g1: 1 })).toMatchObject({ ok: false, error: { code: 'vote_not_open' } });
      expect(await storeB.ballotCount(state.id, roomA.state.vote.round)).toBe(2);
    } finally {
      await Promise.all([hubA.close(), hubB.close()]);
      await Promise.all([storeA.close(), storeB.close()]);
    }
  });
});
