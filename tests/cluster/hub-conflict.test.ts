import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENTS, type StatePatch } from '@kenes/shared';
import type { Broadcaster } from '../../server/src/realtime/broadcaster.js';
import { SessionHub } from '../../server/src/realtime/hub.js';
import { PostgresStore } from '../../server/src/store/postgres.js';
import { SQLiteStore } from '../../server/src/store/sqlite.js';
import type { Store } from '../../server/src/store/store.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';

let pg: TestPostgres;
let dir: string;

beforeAll(async () => {
  pg = await startPostgres();
  dir = mkdtempSync(join(tmpdir(), 'kenes-conflict-'));
});

afterAll(async () => {
  await pg?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

/** What one node's screens were sent. */
function recorder(): Broadcaster & { patches: StatePatch[] } {
  const patches: StatePatch[] = [];
  return {
    patches,
    toSession: (_id, event, payload) => {
      if (event === EVENTS.patch) patches.push(payload as StatePatch);
    },
    toStaff() {},
    toFacilitators() {},
    toParticipant() {},
  };
}

/** Two connections to one database, as two nodes would hold. */
const ENGINES: [string, () => Promise<[Store, Store]>][] = [
  [
    'SQLite',
    async () => {
      const file = join(dir, 'kenes.db');
      return [new SQLiteStore({ file }), new SQLiteStore({ file })];
    },
  ],
  [
    'PostgreSQL',
    async () => {
      const url = await pg.createDatabase('conflict');
      return Promise.all([PostgresStore.open({ url, poolSize: 2 }), PostgresStore.open({ url, poolSize: 2 })]);
    },
  ],
];

const facilitator = { role: 'facilitator' as const };

describe.each(ENGINES)('two hubs serving one room on %s', (_name, open) => {
  it('the second to commit reloads the room and applies its command on top of the first', async () => {
    const [storeA, storeB] = await open();
    const outB = recorder();
    const hubA = new SessionHub(storeA, recorder());
    const hubB = new SessionHub(storeB, outB);
    try {
      const { state } = await hubA.create({ title: 'Two nodes', template: 'case-method', locale: 'en' });
      const roomA = (await hubA.byId(state.id))!;
      const roomB = (await hubB.byId(state.id))!;
      expect(roomB.state.version).toBe(roomA.state.version);

      // Node A moves the stage; node B, still at the old version, starts the timer.
      expect(await hubA.command(roomA, facilitator, 'node-a-0001', { type: 'stage.go', index: 1, from: 0 })).toEqual({ ok: true, version: 2 });
      const ack = await hubB.command(roomB, facilitator, 'node-b-0001', { type: 'timer.start', durationMs: 60_000 });
      expect(ack).toEqual({ ok: true, version: 3 });

      // Both changes are kept: B's commit landed on top of A's, not over it.
      const stored = (await storeA.loadState(state.id))!;
      expect(stored.version).toBe(3);
      expect(stored.stageIndex).toBe(1);
      expect(stored.timer.status).toBe('running');
      expect(roomB.state).toEqual(stored);
      // B's screens got A's change, then B's own, each on top of the version before it.
      expect(outB.patches.map((p) => [p.from, p.version])).toEqual([[1, 2], [2, 3]]);
      expect(outB.patches[0]!.set.stageIndex).toBe(1);

      // A retry of B's request is answered from the record, changing nothing.
      expect(await hubB.command(roomB, facilitator, 'node-b-0001', { type: 'timer.start', durationMs: 60_000 })).toEqual(ack);

      // A moves on again; B's "next" from the stage it last saw is refused once B sees where the session is.
      expect((await hubA.command(roomA, facilitator, 'node-a-0002', { type: 'stage.go', index: 2, from: 1 })).ok).toBe(true);
      expect(await hubB.command(roomB, facilitator, 'node-b-0002', { type: 'stage.go', index: 2, from: 1 })).toMatchObject({
        ok: false,
        error: { code: 'stale' },
      });
      expect(roomB.state.stageIndex).toBe(2);
      expect((await storeB.loadState(state.id))!.version).toBe(4);
    } finally {
      await Promise.all([hubA.close(), hubB.close()]);
      await Promise.all([storeA.close(), storeB.close()]);
    }
  });
});
