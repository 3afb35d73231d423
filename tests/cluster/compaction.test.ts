import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addNote, boardDocName, editNote, groupBoardId, readNotes, type NewNote } from '@kenes/shared';
import type { BoardConnection } from '@kenes/shared/client';
import { PostgresStore } from '../../server/src/store/postgres.js';
import { SQLiteStore } from '../../server/src/store/sqlite.js';
import type { Store } from '../../server/src/store/store.js';
import { board, newFacilitator, newTeacher, type Facilitator, type Teacher } from '../helpers/people.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

let redis: TestRedis;
let pg: TestPostgres;
const open: BoardConnection[] = [];

beforeAll(async () => {
  [redis, pg] = await Promise.all([startRedis(), startPostgres()]);
});

afterAll(async () => {
  for (const x of open) x.close();
  await redis?.stop();
  await pg?.destroy();
});

/** Where both nodes keep their data, the environment that says so, and a store to read it back here. */
interface Shared {
  env: Record<string, string>;
  dataDir?: string;
  reader(): Promise<Store>;
}

const STORES: [string, () => Promise<Shared>][] = [
  [
    'PostgreSQL',
    async () => {
      const url = await pg.createDatabase('compaction');
      return { env: { DATABASE_URL: url }, reader: () => PostgresStore.open({ url, poolSize: 1 }) };
    },
  ],
  [
    'one SQLite file',
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'kenes-cluster-'));
      return { env: {}, dataDir, reader: async () => new SQLiteStore({ file: join(dataDir, 'kenes.db') }) };
    },
  ],
];

/** The board as the store holds it: the snapshot, then every logged update. */
async function stored(store: Store, name: string): Promise<{ doc: Y.Doc; compacted: boolean }> {
  const { snapshot, updates } = await store.loadDoc(name);
  const doc = new Y.Doc();
  if (snapshot) Y.applyUpdate(doc, snapshot);
  for (const u of updates) Y.applyUpdate(doc, u);
  return { doc, compacted: !!snapshot };
}

describe.each(STORES)('one board written on two nodes at once, on %s', (_name, prepare) => {
  let a: TestServer;
  let b: TestServer;
  let store: Store;

  beforeAll(async () => {
    const shared = await prepare();
    const env = { REDIS_URL: redis.url, ...shared.env };
    a = await startServer({ dataDir: shared.dataDir, env });
    b = await startServer({ dataDir: shared.dataDir, env });
    store = await shared.reader();
  });

  afterAll(async () => {
    for (const s of [a, b]) await s?.kill('SIGTERM');
    await store?.close();
  });

  it('keeps every edit through both nodes compacting the log', async () => {
    const fac: Facilitator = await newFacilitator(a.url, { title: 'Сжатие' });
    const code = fac.created.code;
    const [first, second] = (await Promise.all([newTeacher(a.url, code, 'Айгерим'), newTeacher(b.url, code, 'Дана')])) as [Teacher, Teacher];
    await waitFor(() => fac.client.roster.size === 2 && [...fac.client.roster.values()].every((p) => p.online), 'both teachers online');
    expect((await fac.client.command({ type: 'groups.split', count: 1 })).ok).toBe(true);
    await waitFor(() => first.client.me?.groupId && second.client.me?.groupId, 'one group');
    await fac.client.command({ type: 'stage.go', index: 3, from: 0 });
    await waitFor(() => first.client.state?.stageIndex === 3 && second.client.state?.stageIndex === 3, 'group stage');

    const gid = first.client.me!.groupId!;
    const onA = board(a.url, first.sessionId, groupBoardId(gid), first.token);
    const onB = board(b.url, second.sessionId, groupBoardId(gid), second.token);
    open.push(onA, onB);
    await Promise.all([onA.synced, onB.synced]);
    const note = (id: string, t: Teacher): NewNote => ({ id, text: '', color: 'green', authorId: t.participantId, authorName: t.name, stageId: 's4', createdAt: 1 });
    addNote(onA.doc, note('a', first));
    addNote(onB.doc, note('b', second));

    // 2 × 400 single-character edits, interleaved: each node logs 400 and hears 400, past the 500 that start a compaction.
    let text = '';
    for (let i = 0; i < 400; i++) {
      text += String.fromCharCode(0x430 + (i % 32));
      editNote(onA.doc, 'a', text);
      editNote(onB.doc, 'b', text);
      if (i % 20 === 19) await new Promise((r) => setTimeout(r, 5));
    }
    const done = (doc: Y.Doc) => {
      const notes = readNotes(doc);
      return notes.find((n) => n.id === 'a')?.text === text && notes.find((n) => n.id === 'b')?.text === text;
    };
    await waitFor(() => done(onA.doc) && done(onB.doc), 'both copies hold every edit', 15_000);

    const name = boardDocName(first.sessionId, groupBoardId(gid));
    // A fold runs in the board's turn after the writes that crossed the threshold: wait for it, then for every edit.
    const deadline = Date.now() + 10_000;
    let kept = await stored(store, name);
    while (!(kept.compacted && done(kept.doc))) {
      if (Date.now() > deadline) throw new Error(`timed out: compacted ${kept.compacted}, every edit stored ${done(kept.doc)}`);
      await new Promise((r) => setTimeout(r, 50));
      kept = await stored(store, name);
    }
    expect(kept.compacted).toBe(true);
    expect(done(kept.doc)).toBe(true);
    // A fresh client on either node reads the same board.
    for (const [url, t] of [[a.url, first], [b.url, second]] as const) {
      const fresh = board(url, t.sessionId, groupBoardId(gid), t.token);
      open.push(fresh);
      await fresh.synced;
      expect(done(fresh.doc)).toBe(true);
    }
    first.client.close();
    second.client.close();
    fac.client.close();
  });
});
