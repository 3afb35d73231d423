import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addNote, boardDocName, editNote, groupBoardId, readNotes, type NewNote } from '@kenes/shared';
import type { BoardConnection } from '@kenes/shared/client';
import { board, newFacilitator, newTeacher, type Facilitator, type Teacher } from '../helpers/people.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

let redis: TestRedis;
let a: TestServer;
let b: TestServer;
let dataDir: string;
const open: BoardConnection[] = [];

beforeAll(async () => {
  redis = await startRedis();
  dataDir = mkdtempSync(join(tmpdir(), 'kenes-cluster-'));
  a = await startServer({ dataDir, env: { REDIS_URL: redis.url } });
  b = await startServer({ dataDir, env: { REDIS_URL: redis.url } });
});

afterAll(async () => {
  for (const x of open) x.close();
  for (const s of [a, b]) await s?.kill('SIGTERM');
  await redis?.stop();
});

/** The board as the store holds it: the snapshot, then every logged update after it. */
function stored(name: string): { doc: Y.Doc; compacted: boolean } {
  const db = new Database(join(dataDir, 'kenes.db'), { readonly: true });
  try {
    const snap = db.prepare('SELECT data, upto FROM yjs_snapshots WHERE doc = ?').get(name) as { data: Buffer; upto: number } | undefined;
    const rows = db.prepare('SELECT data FROM yjs_updates WHERE doc = ? AND id > ? ORDER BY id').pluck().all(name, snap?.upto ?? 0) as Buffer[];
    const doc = new Y.Doc();
    if (snap) Y.applyUpdate(doc, snap.data);
    for (const u of rows) Y.applyUpdate(doc, u);
    return { doc, compacted: !!snap };
  } finally {
    db.close();
  }
}

describe('one board written on two nodes at once', () => {
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
    await waitFor(() => done(stored(name).doc), 'the store holds every edit', 5000);
    expect(stored(name).compacted).toBe(true);
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
