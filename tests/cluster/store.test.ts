import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'pg';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { addNote, buildBallot, createSessionState, readNotes, templateFromState, type SessionState } from '@kenes/shared';
import { MIGRATIONS } from '../../server/src/store/migrations.js';
import { PG_MIGRATIONS } from '../../server/src/store/pg-migrations.js';
import { PostgresStore } from '../../server/src/store/postgres.js';
import { SQLiteStore } from '../../server/src/store/sqlite.js';
import { RoundClosed, VersionConflict, type Store } from '../../server/src/store/store.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';

let pg: TestPostgres;
let dir: string;
let pgUrl: string;

beforeAll(async () => {
  pg = await startPostgres();
  pgUrl = await pg.createDatabase('contract');
  dir = mkdtempSync(join(tmpdir(), 'kenes-store-'));
});

afterAll(async () => {
  await pg?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
function newState(): SessionState {
  n++;
  return createSessionState({ id: `sess${n}`, code: `C0DE${String(n).padStart(2, '0')}`, now: 1_700_000_000_000 + n, title: 'Store', template: 'case-method', locale: 'en' });
}

const ENGINES: [string, () => Promise<Store>][] = [
  ['SQLite', async () => new SQLiteStore({ file: join(dir, `kenes-${++n}.db`) })],
  ['PostgreSQL', () => PostgresStore.open({ url: pgUrl, poolSize: 4 })],
];

describe.each(ENGINES)('the %s store', (_name, open) => {
  let store: Store;
  beforeAll(async () => {
    store = await open();
  });
  afterAll(async () => {
    await store?.close();
  });

  it('commits only on top of the version it was computed from, and a refused commit writes nothing', async () => {
    const s = newState();
    await store.createSession(s, 'fac-hash');
    const next = { ...s, stageIndex: 1, version: s.version + 1 };
    await store.commit({ sessionId: s.id, state: next, request: { actor: 'facilitator', rid: 'r-1', response: '{"ok":true}' }, expectedVersion: s.version });
    expect((await store.loadState(s.id))!.stageIndex).toBe(1);

    // A second writer that still holds the first version loses: nothing of its commit lands.
    const stale = { ...s, stageIndex: 2, version: s.version + 1 };
    const lost = store.commit({ sessionId: s.id, state: stale, request: { actor: 'facilitator', rid: 'r-2', response: '{"ok":true}' }, expectedVersion: s.version });
    await expect(lost).rejects.toBeInstanceOf(VersionConflict);
    const kept = (await store.loadState(s.id))!;
    expect(kept.stageIndex).toBe(1);
    expect(kept.version).toBe(s.version + 1);
    expect(await store.findRequest(s.id, 'facilitator', 'r-2')).toBeNull();
    expect(await store.findRequest(s.id, 'facilitator', 'r-1')).toBe('{"ok":true}');
  });

  it('keeps participants, tokens and group moves, dissolving groups in the same commit', async () => {
    const s = newState();
    await store.createSession(s, 'fac-hash');
    expect(await store.sessionIdByCode(s.code)).toBe(s.id);
    expect(await store.isFacilitator(s.id, 'fac-hash')).toBe(true);
    expect(await store.isFacilitator(s.id, 'other')).toBe(false);
    await store.addFacilitatorToken(s.id, 'co-hash');
    expect(await store.isFacilitator(s.id, 'co-hash')).toBe(true);
    for (const [i, name] of ['Aigerim', 'Dana', 'Erlan'].entries()) {
      await store.addParticipant(s.id, { id: `p${i}`, name, groupId: null, joinedAt: 10 + i }, `tok${i}`);
    }
    await store.commit({ sessionId: s.id, assign: [['p0', 'g1'], ['p1', 'g1'], ['p2', 'g2']] });
    await store.commit({ sessionId: s.id, dissolved: ['g1'], assign: [['p1', 'g2']] });
    const groups = (await store.participants(s.id)).map((p) => [p.name, p.groupId]);
    expect(groups).toEqual([['Aigerim', null], ['Dana', 'g2'], ['Erlan', 'g2']]);
    expect(await store.participantByToken(s.id, 'tok1')).toEqual({ id: 'p1', name: 'Dana', groupId: 'g2', joinedAt: 11 });
    expect(await store.participantCount(s.id)).toBe(3);
  });

  it('counts dot ballots per round and keeps anonymous answers free of names and times', async () => {
    const s = newState();
    await store.createSession(s, 'h');
    // Answers are taken only while the stored state has their round open.
    const vote = { sessionId: s.id, round: 1, participantId: 'p9', allocation: { g1: 1 }, request: { actor: 'p9', rid: 'v0', response: '{}' } };
    await expect(store.putBallot(vote)).rejects.toBeInstanceOf(RoundClosed);
    const def = { ...buildBallot({ kind: 'single', title: 'B', options: [{ id: 'o1', label: 'A' }, { id: 'o2', label: 'B' }], privacy: 'anonymous' }, 'b1'), status: 'open' as const };
    const open: SessionState = { ...s, version: 2, vote: { ...s.vote, status: 'open', round: 1 }, ballots: [def] };
    await store.commit({ sessionId: s.id, state: open, expectedVersion: 1 });
    await store.putBallot({ sessionId: s.id, round: 1, participantId: 'p1', allocation: { g1: 2 }, request: { actor: 'p1', rid: 'v1', response: '{}' } });
    await store.putBallot({ sessionId: s.id, round: 1, participantId: 'p1', allocation: { g2: 1 }, request: { actor: 'p1', rid: 'v2', response: '{}' } });
    await store.putBallot({ sessionId: s.id, round: 1, participantId: 'p2', allocation: {}, request: { actor: 'p2', rid: 'v3', response: '{}' } });
    expect(await store.ballots(s.id, 1)).toHaveLength(2);
    expect(await store.ballot(s.id, 1, 'p1')).toEqual({ g2: 1 });
    expect(await store.ballotCount(s.id, 1)).toBe(1);

    const base = { sessionId: s.id, ballotId: 'b1', round: 1 };
    await store.putAnswer({ ...base, voter: 'h:x', participantId: null, answer: { kind: 'single', option: 'o1' }, at: null, request: { actor: 'h:x', rid: 'a1', response: '{}' } });
    await store.putAnswer({ ...base, voter: 'h:y', participantId: null, answer: { kind: 'single', option: 'o2' }, at: null, request: { actor: 'h:y', rid: 'a2', response: '{}' } });
    await store.putAnswer({ ...base, voter: 'h:x', participantId: null, answer: null, at: null, request: { actor: 'h:x', rid: 'a3', response: '{}' } });
    expect(await store.answers(s.id, 'b1', 1)).toEqual([{ voter: 'h:y', participantId: null, answer: { kind: 'single', option: 'o2' } }]);
    expect(await store.answerCount(s.id, 'b1', 1)).toBe(1);
    const late = { ...base, round: 2, voter: 'h:z', participantId: null, answer: { kind: 'single' as const, option: 'o1' }, at: null, request: { actor: 'h:z', rid: 'a4', response: '{}' } };
    await expect(store.putAnswer(late)).rejects.toBeInstanceOf(RoundClosed);
    await store.commit({ sessionId: s.id, state: { ...open, version: 3, vote: { ...open.vote, status: 'closed' } }, expectedVersion: 2 });
    await expect(store.putBallot({ ...vote, request: { actor: 'p9', rid: 'v4', response: '{}' } })).rejects.toBeInstanceOf(RoundClosed);
    expect(await store.findRequest(s.id, 'p9', 'v4')).toBeNull();
    expect(await store.answerCount(s.id, 'b1', 2)).toBe(0);
    const dump = (await store.dumpSession(s.id))!;
    expect(dump.tables.ballot_answers).toEqual([expect.objectContaining({ voter: 'h:y', participant_id: null, updated_at: null })]);

    const secret = await store.ballotSecret(s.id);
    expect(secret).toHaveLength(32);
    expect((await store.ballotSecret(s.id)).equals(secret)).toBe(true);
    // Deleting the ballot drops its answers with the commit.
    await store.commit({ sessionId: s.id, deleteBallots: ['b1'] });
    expect(await store.answerCount(s.id, 'b1', 1)).toBe(0);
  });

  it('logs board updates, folds exactly the ones it read, and refuses a fold built on a replaced snapshot', async () => {
    const name = `board${++n}/g-g1`;
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 3; i++) addNote(doc, { id: `n${i}`, text: `note ${i}`, color: 'blue', authorId: 'p', authorName: 'P', stageId: 's1', createdAt: i });
    const ids: number[] = [];
    for (const u of updates.slice(0, 2)) ids.push(await store.appendUpdate(name, u));
    let stored = await store.loadDoc(name);
    expect(stored).toMatchObject({ snapshot: null, ids, stamp: null });

    // A copy holding the first two notes folds them; the third, logged meanwhile, stays in the log.
    const early = new Y.Doc();
    for (const u of stored.updates) Y.applyUpdate(early, u);
    ids.push(await store.appendUpdate(name, updates[2]!));
    const stamp = await store.compactDoc(name, Y.encodeStateAsUpdate(early), { ids: stored.ids, stamp: stored.stamp });
    expect(stamp).not.toBeNull();
    stored = await store.loadDoc(name);
    expect(stored.ids).toEqual([ids[2]]);
    expect(stored.stamp).toBe(stamp);

    // A slow node's fold, computed on the snapshot before, comes too late and writes nothing.
    expect(await store.compactDoc(name, new Uint8Array([0, 0]), { ids: [ids[2]!], stamp: null })).toBeNull();
    const last = await store.compactDoc(name, Y.encodeStateAsUpdate(doc), { ids: stored.ids, stamp: stored.stamp });
    expect(await store.compactDoc(name, new Uint8Array([0, 0]), { ids: [], stamp: stored.stamp })).toBeNull();
    stored = await store.loadDoc(name);
    expect(stored).toMatchObject({ updates: [], stamp: last });
    const back = new Y.Doc();
    Y.applyUpdate(back, stored.snapshot!);
    expect(readNotes(back).map((x) => x.id)).toEqual(['n0', 'n1', 'n2']);
  });

  it('keeps saved templates, and imports a whole session at once', async () => {
    const template = templateFromState(newState(), { name: `Template ${++n}` });
    await store.saveTemplate({ id: `t${n}`, createdAt: 1_000 + n, template }, 'owner');
    // The owner's hash is kept apart: never part of the template as read.
    expect(await store.template(`t${n}`)).toEqual({ id: `t${n}`, createdAt: 1_000 + n, template });
    expect(await store.templateOwner(`t${n}`)).toBe('owner');
    expect((await store.templates())[0]!.id).toBe(`t${n}`);
    expect(await store.templateCount()).toBeGreaterThanOrEqual(1);

    const s = newState();
    const doc = new Y.Doc();
    addNote(doc, { id: 'i1', text: 'imported', color: 'blue', authorId: 'p0', authorName: 'P', stageId: 's1', createdAt: 1 });
    const name = `${s.id}/plenary`;
    await store.importSession({
      state: s,
      facilitatorTokenHash: 'fac',
      participants: [{ participant: { id: `${s.id}-p0`, name: 'P', groupId: null, joinedAt: 1 }, tokenHash: 'nobody' }],
      docs: [{ name, snapshot: Y.encodeStateAsUpdate(doc) }],
    });
    expect((await store.loadState(s.id))!.code).toBe(s.code);
    expect(await store.isFacilitator(s.id, 'fac')).toBe(true);
    expect(await store.participantCount(s.id)).toBe(1);
    const stored = await store.loadDoc(name);
    const back = new Y.Doc();
    Y.applyUpdate(back, stored.snapshot!);
    expect(readNotes(back).map((x) => x.text)).toEqual(['imported']);
  });

  it('deletes a saved template only for its owner’s token hash, once, whoever races it', async () => {
    const template = templateFromState(newState(), { name: `Owned ${++n}` });
    const [owned, unowned] = [`t-owned-${n}`, `t-unowned-${n}`];
    await store.saveTemplate({ id: owned, createdAt: 2_000 + n, template }, 'owner-hash');
    await store.saveTemplate({ id: unowned, createdAt: 2_000 + n, template }, null);
    expect(await store.templateOwner(unowned)).toBeNull();
    expect(await store.templateOwner('t-none')).toBeNull();
    const count = await store.templateCount();

    expect(await store.deleteTemplate(owned, 'another-hash')).toBe('forbidden');
    expect(await store.deleteTemplate(unowned, 'owner-hash')).toBe('forbidden');
    expect(await store.deleteTemplate('t-none', 'owner-hash')).toBe('missing');
    expect(await store.templateCount()).toBe(count);

    const outcomes = await Promise.all([
      ...Array.from({ length: 6 }, (_, i) => store.deleteTemplate(owned, `wrong-${i}`)),
      store.deleteTemplate(owned, 'owner-hash'),
      store.deleteTemplate(owned, 'owner-hash'),
    ]);
    expect(outcomes.slice(0, 6).every((o) => o === 'forbidden' || o === 'missing')).toBe(true);
    expect(outcomes.slice(6).sort()).toEqual(['deleted', 'missing']);
    expect(await store.template(owned)).toBeNull();
    expect((await store.templates()).map((t) => t.id)).not.toContain(owned);
    expect(await store.templateCount()).toBe(count - 1);
    expect(await store.template(unowned)).toEqual({ id: unowned, createdAt: 2_000 + n, template });
  });

  it('keeps reflection diary entries with their request replies', async () => {
    const s = newState();
    await store.createSession(s, 'h');
    const entry = { id: 'd1', kind: 'observation' as const, text: 'Private', shared: false, createdAt: 5, updatedAt: 5 };
    await store.diary.put(s.id, 'p1', entry, 'rid-1', { ok: true, entry });
    await store.diary.put(s.id, 'p1', { ...entry, shared: true, updatedAt: 6 }, 'rid-2', { ok: true });
    expect(await store.diary.entries(s.id, 'p1')).toEqual([{ ...entry, shared: true, updatedAt: 6 }]);
    expect(await store.diary.shared(s.id)).toEqual([{ ...entry, shared: true, updatedAt: 6, participantId: 'p1' }]);
    expect(await store.diary.reply(s.id, 'p1', 'rid-1')).toEqual({ ok: true, entry });
    expect(await store.diary.reply(s.id, 'p1', 'nope')).toBeUndefined();
    await store.diary.remove(s.id, 'p1', 'd1', 'rid-3', { ok: true, id: 'd1' });
    expect(await store.diary.count(s.id, 'p1')).toBe(0);
  });
});

/** The schema step that gave templates an owner: a store left before it holds templates nobody owns. */
const OWNERS_STEP = MIGRATIONS.findIndex((m) => m.includes('owner_hash'));

const BEFORE_OWNERS: [string, (row: unknown[]) => Promise<Store>][] = [
  [
    'SQLite',
    async (row) => {
      const file = join(dir, `before-owners-${++n}.db`);
      const db = new Database(file);
      for (const m of MIGRATIONS.slice(0, OWNERS_STEP)) db.exec(m);
      db.pragma(`user_version = ${OWNERS_STEP}`);
      db.prepare('INSERT INTO templates (id, name, body, created_at) VALUES (?, ?, ?, ?)').run(...row);
      db.close();
      return new SQLiteStore({ file });
    },
  ],
  [
    'PostgreSQL',
    async (row) => {
      const url = await pg.createDatabase(`before_owners_${++n}`);
      const c = new postgres.Client({ connectionString: url });
      await c.connect();
      await c.query('CREATE TABLE kenes_schema (version INTEGER NOT NULL)');
      await c.query('INSERT INTO kenes_schema (version) VALUES ($1)', [OWNERS_STEP]);
      for (const m of PG_MIGRATIONS.slice(0, OWNERS_STEP)) await c.query(m);
      await c.query('INSERT INTO templates (id, name, body, created_at) VALUES ($1, $2, $3, $4)', row);
      await c.end();
      return PostgresStore.open({ url, poolSize: 2 });
    },
  ],
];

describe.each(BEFORE_OWNERS)('a %s store from before template owners', (_name, open) => {
  it('keeps its templates after the upgrade, and lets nobody delete them', async () => {
    expect(PG_MIGRATIONS[OWNERS_STEP]).toContain('owner_hash');
    const template = templateFromState(newState(), { name: 'Old template' });
    const store = await open(['t-old', template.name, JSON.stringify(template), 42]);
    try {
      expect(await store.template('t-old')).toEqual({ id: 't-old', createdAt: 42, template });
      expect(await store.templateOwner('t-old')).toBeNull();
      expect(await store.deleteTemplate('t-old', 'any-hash')).toBe('forbidden');
      expect(await store.templateCount()).toBe(1);
      // New ones have owners, beside it.
      await store.saveTemplate({ id: 't-new', createdAt: 43, template }, 'owner');
      expect(await store.deleteTemplate('t-new', 'owner')).toBe('deleted');
      expect((await store.templates()).map((t) => t.id)).toEqual(['t-old']);
    } finally {
      await store.close();
    }
  });
});

describe('two nodes on one PostgreSQL database', () => {
  it('keep an update whose lower id commits after a fold that covered a higher one', async () => {
    const url = await pg.createDatabase('outoforder');
    const store = await PostgresStore.open({ url, poolSize: 2 });
    // Another node's append: its id is taken now, its row is visible only at its commit.
    const slow = new postgres.Client({ connectionString: url });
    await slow.connect();
    try {
      const name = 'late/g-g1';
      const doc = new Y.Doc();
      const updates: Uint8Array[] = [];
      doc.on('update', (u: Uint8Array) => updates.push(u));
      for (let i = 0; i < 2; i++) addNote(doc, { id: `n${i}`, text: `note ${i}`, color: 'blue', authorId: 'p', authorName: 'P', stageId: 's1', createdAt: i });
      await slow.query('BEGIN');
      const { rows } = await slow.query<{ id: string }>('INSERT INTO yjs_updates (doc, data) VALUES ($1, $2) RETURNING id', [name, Buffer.from(updates[1]!)]);
      const later = await store.appendUpdate(name, updates[0]!);
      expect(Number(rows[0]!.id)).toBeLessThan(later);

      const seen = await store.loadDoc(name);
      expect(seen.ids).toEqual([later]);
      const copy = new Y.Doc();
      for (const u of seen.updates) Y.applyUpdate(copy, u);
      expect(await store.compactDoc(name, Y.encodeStateAsUpdate(copy), { ids: seen.ids, stamp: seen.stamp })).not.toBeNull();
      await slow.query('COMMIT');

      const after = await store.loadDoc(name);
      expect(after.ids).toEqual([Number(rows[0]!.id)]);
      const back = new Y.Doc();
      Y.applyUpdate(back, after.snapshot!);
      for (const u of after.updates) Y.applyUpdate(back, u);
      expect(readNotes(back).map((x) => x.id).sort()).toEqual(['n0', 'n1']);
    } finally {
      await slow.end();
      await store.close();
    }
  });

  it('migrate together under the advisory lock, and see each other’s writes', async () => {
    const url = await pg.createDatabase('twonodes');
    const [a, b] = await Promise.all([PostgresStore.open({ url, poolSize: 2 }), PostgresStore.open({ url, poolSize: 2 })]);
    try {
      const s = newState();
      await a.createSession(s, 'h');
      expect((await b.loadState(s.id))?.code).toBe(s.code);
      // Both loaded version 1; the first commit wins, the second is refused.
      const first = a.commit({ sessionId: s.id, state: { ...s, version: 2, stageIndex: 1 }, expectedVersion: 1 });
      const second = b.commit({ sessionId: s.id, state: { ...s, version: 2, stageIndex: 2 }, expectedVersion: 1 });
      const results = await Promise.allSettled([first, second]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof VersionConflict)).toHaveLength(1);
      expect((await a.loadState(s.id))!.version).toBe(2);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
