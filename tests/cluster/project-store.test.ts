import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account, PortfolioRecord, Project, ProjectSource, Workspace } from '@kenes/shared';
import { guardStore, StoreUnavailable } from '../../server/src/store/guard.js';
import { PostgresStore } from '../../server/src/store/postgres.js';
import type { ProjectDump, StoredBlob } from '../../server/src/store/projects.js';
import { SQLiteStore } from '../../server/src/store/sqlite.js';
import type { Store } from '../../server/src/store/store.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';

let pg: TestPostgres;
let dir: string;

beforeAll(async () => {
  pg = await startPostgres();
  dir = mkdtempSync(join(tmpdir(), 'kenes-project-store-'));
});

afterAll(async () => {
  await pg?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
const id = (prefix: string) => `${prefix}${++n}`;
const T0 = 1_760_000_000_000;
const MiB = 1024 * 1024;

/** Where a store lives, so it can be opened again on the same data. */
type Place = () => Promise<Store>;

/** A new SQLite file or a new PostgreSQL database, and how to open it (again). */
const PLACES: [string, () => Promise<Place>][] = [
  ['SQLite', async () => {
    const file = join(dir, `kenes-${++n}.db`);
    return async () => new SQLiteStore({ file });
  }],
  ['PostgreSQL', async () => {
    const url = await pg.createDatabase(`projects_${++n}`);
    return () => PostgresStore.open({ url, poolSize: 4 });
  }],
];

/** An account and a workspace it owns: what projects, portfolios and files belong to. */
async function owner(store: Store): Promise<{ a: Account; w: Workspace }> {
  const a: Account = { id: id('acc'), login: id('teacher'), name: 'Ахметова Гульнара Сериковна', createdAt: T0 };
  await store.workspaces.createAccount(a, 'hash');
  const w: Workspace = { id: id('ws'), name: 'Методический кабинет', organisation: 'Школа-лицей № 12', place: 'Алматы', locale: 'ru', createdAt: T0 };
  await store.workspaces.createWorkspace(w, a.id);
  return { a, w };
}

function card(sessionId = id('session'), cardId = id('card')): ProjectSource {
  return { sessionId, code: 'K7Q2MX', boardId: 'g-1', cardId };
}

function project(workspaceId: string, createdAt: number, source: ProjectSource | null = null): Project {
  return {
    id: id('project'),
    workspaceId,
    title: 'Читательская грамотность в 5-х классах',
    managerId: null,
    managerName: 'Серікова Дана',
    team: [{ accountId: null, name: 'Жанов Ерлан', role: 'учитель математики' }],
    goal: 'Поднять долю учеников, понимающих текст задачи',
    audience: '5 «А» и 5 «Б»',
    forms: ['worldCafe', 'fishbowl'],
    formsOther: '',
    indicators: [{ id: 'i1', name: 'Доля учеников', unit: '%', baseline: 42.5, target: 70 }],
    milestones: [{ id: 'm1', title: 'Промежуточный отчёт', kind: 'intermediate', due: '2026-01-20' }],
    reports: [],
    status: 'planned',
    history: [{ status: 'planned', at: createdAt, by: 'acc', note: '' }],
    source,
    createdAt,
    version: 1,
  };
}

function portfolio(accountId: string, version: number, note: string): PortfolioRecord {
  return {
    accountId,
    particulars: { position: 'учитель', school: 'Школа-лицей № 12', subject: 'математика', category: 'педагог-исследователь', experience: '12 лет' },
    note,
    products: [{ id: 'p1', title: 'Рабочая программа', type: 'curriculum', year: 2025, coAuthors: '', url: 'https://example.kz/p', fileId: null }],
    certificates: [],
    videos: [{ id: 'v1', title: 'Урок в 7 «В»', date: '2025-11-14', url: 'https://example.kz/v', notes: [{ atSec: 760, text: 'работа в парах' }] }],
    selfRatings: [],
    version,
  };
}

function blob(ownerId: string, workspaceId: string | null, data: Buffer, name = 'Отчёт.pdf'): StoredBlob {
  const sha256 = createHash('sha256').update(data).digest('hex');
  return { meta: { id: id('file'), workspaceId, ownerId, name, type: 'application/pdf', size: data.length, sha256, createdAt: T0 + n }, data };
}

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe.each(PLACES)('projects, portfolios and files in the %s store', (_name, place) => {
  let reopen: Place;
  let store: Store;
  beforeAll(async () => {
    reopen = await place();
    store = await reopen();
  });
  afterAll(async () => {
    await store?.close();
  });

  it('keeps projects by id and lists a workspace’s projects newest first', async () => {
    const { w } = await owner(store);
    const { w: other } = await owner(store);
    const older = project(w.id, T0 + 10);
    const newer = { ...project(w.id, T0 + 20, card()), reports: [{ id: 'r1', milestoneId: 'm1', text: 'Проведено 8 уроков', values: { i1: 55 }, attachmentIds: ['f1'], submittedBy: 'acc', submittedAt: T0 + 30, assessment: null }] };
    const elsewhere = project(other.id, T0 + 30);
    for (const p of [older, newer, elsewhere]) expect(await store.projects.createProject(p)).toBe('created');
    expect(await store.projects.project(newer.id)).toEqual(newer);
    expect(await store.projects.project('nothing')).toBeNull();
    expect(await store.projects.projects(w.id)).toEqual([newer, older]);
    expect(await store.projects.projects('no-workspace')).toEqual([]);
    expect(await store.projects.projectFromCard(newer.source!.sessionId, newer.source!.cardId)).toEqual(newer);
    expect(await store.projects.projectFromCard(newer.source!.sessionId, 'another-card')).toBeNull();
  });

  it('saves a project only on top of the version it was changed from', async () => {
    const { w } = await owner(store);
    const p = project(w.id, T0);
    await store.projects.createProject(p);
    const active: Project = { ...p, status: 'active', history: [...p.history, { status: 'active', at: T0 + 1, by: 'acc', note: 'Старт' }], version: 2 };
    expect(await store.projects.saveProject(active, 1)).toBe(true);
    // Another change made from version 1 too: written nowhere.
    expect(await store.projects.saveProject({ ...p, title: 'Устаревшая правка', version: 2 }, 1)).toBe(false);
    expect(await store.projects.project(p.id)).toEqual(active);
    expect(await store.projects.saveProject({ ...active, id: 'nothing', version: 3 }, 2)).toBe(false);
    expect(await store.projects.project('nothing')).toBeNull();
  });

  it('makes one project only of a card, and any number of projects without one', async () => {
    const { w } = await owner(store);
    const source = card();
    const first = project(w.id, T0 + 1, source);
    expect(await store.projects.createProject(first)).toBe('created');
    const again = project(w.id, T0 + 2, { ...source, boardId: 'plenary' });
    expect(await store.projects.createProject(again)).toBe('duplicate_card');
    expect(await store.projects.project(again.id)).toBeNull();
    expect(await store.projects.projectFromCard(source.sessionId, source.cardId)).toEqual(first);
    // The same card id in another session is another card.
    expect(await store.projects.createProject(project(w.id, T0 + 3, { ...source, sessionId: id('session') }))).toBe('created');
    for (const t of [4, 5]) expect(await store.projects.createProject(project(w.id, T0 + t))).toBe('created');
    expect(await store.projects.projects(w.id)).toHaveLength(4);
    // A project id already taken is not a card's duplicate: refused as an error, nothing written.
    await expect(store.projects.createProject({ ...project(w.id, T0 + 6, card()), id: first.id })).rejects.toThrow();
    expect(await store.projects.project(first.id)).toEqual(first);
  });

  it('inserts a portfolio at version 0 once, then writes it only on top of the stored version', async () => {
    const { a } = await owner(store);
    expect(await store.projects.portfolio(a.id)).toBeNull();
    const first = portfolio(a.id, 1, 'Пояснительная записка');
    expect(await store.projects.savePortfolio(first, 0)).toBe(true);
    // A second first save (another tab): nothing written.
    expect(await store.projects.savePortfolio(portfolio(a.id, 1, 'Из другой вкладки'), 0)).toBe(false);
    expect(await store.projects.portfolio(a.id)).toEqual(first);
    const second = { ...first, note: 'Дополненная записка', certificates: [{ id: 'c1', title: 'Курсы ЦПМ', issuer: 'АОО «НИШ»', date: '2025-06-30', fileId: 'f1' }], version: 2 };
    expect(await store.projects.savePortfolio(second, 1)).toBe(true);
    expect(await store.projects.savePortfolio({ ...first, note: 'Устарело', version: 2 }, 1)).toBe(false);
    expect(await store.projects.portfolio(a.id)).toEqual(second);
    // An update of a record that does not exist writes nothing.
    const { a: nobody } = await owner(store);
    expect(await store.projects.savePortfolio(portfolio(nobody.id, 4, 'Ничего'), 3)).toBe(false);
    expect(await store.projects.portfolio(nobody.id)).toBeNull();
  });

  it('gives back a file byte for byte, 5 MiB or empty, and lists metadata without the bytes', async () => {
    const { a, w } = await owner(store);
    const big = blob(a.id, w.id, randomBytes(5 * MiB), 'Видеоурок.mp4');
    const empty = blob(a.id, null, Buffer.alloc(0), 'Пусто.txt');
    await store.projects.putBlob(big);
    await store.projects.putBlob(empty);
    const gotBig = (await store.projects.blob(big.meta.id))!;
    expect(gotBig.meta).toEqual(big.meta);
    expect(gotBig.data.length).toBe(5 * MiB);
    expect(gotBig.data.equals(big.data)).toBe(true);
    expect(sha(gotBig.data)).toBe(big.meta.sha256);
    const gotEmpty = (await store.projects.blob(empty.meta.id))!;
    expect(gotEmpty.meta).toEqual(empty.meta);
    expect(Buffer.isBuffer(gotEmpty.data) && gotEmpty.data.length).toBe(0);
    expect(await store.projects.blob('nothing')).toBeNull();

    expect(await store.projects.blobMeta(big.meta.id)).toEqual(big.meta);
    expect(await store.projects.blobMeta('nothing')).toBeNull();
    // In the order asked, once each, unknown ids left out; no bytes.
    const metas = await store.projects.blobMetas([empty.meta.id, 'nothing', big.meta.id, empty.meta.id]);
    expect(metas).toEqual([empty.meta, big.meta]);
    for (const m of metas) expect(m).not.toHaveProperty('data');
    expect(await store.projects.blobMetas([])).toEqual([]);
  });

  it('counts an account’s bytes, and deleting a file frees them and leaves everything else', async () => {
    const { a, w } = await owner(store);
    const { a: other } = await owner(store);
    expect(await store.projects.bytesOf(a.id)).toBe(0);
    const files = [blob(a.id, w.id, randomBytes(3 * MiB)), blob(a.id, null, randomBytes(1234)), blob(other.id, null, randomBytes(77))];
    for (const f of files) await store.projects.putBlob(f);
    expect(await store.projects.bytesOf(a.id)).toBe(3 * MiB + 1234);
    expect(await store.projects.bytesOf(other.id)).toBe(77);

    const p = { ...project(w.id, T0), reports: [{ id: 'r1', milestoneId: 'm1', text: '', values: {}, attachmentIds: [files[0]!.meta.id], submittedBy: a.id, submittedAt: T0, assessment: null }] };
    await store.projects.createProject(p);
    expect(await store.projects.deleteBlob(files[0]!.meta.id)).toBe(true);
    expect(await store.projects.deleteBlob(files[0]!.meta.id)).toBe(false);
    expect(await store.projects.blob(files[0]!.meta.id)).toBeNull();
    expect(await store.projects.bytesOf(a.id)).toBe(1234);
    // The project naming it is left as it was; the other files are still there.
    expect(await store.projects.project(p.id)).toEqual(p);
    expect(await store.projects.blobMetas(files.map((f) => f.meta.id))).toEqual([files[1]!.meta, files[2]!.meta]);
  });

  it('finds everything again after the store is closed and opened again', async () => {
    const { a, w } = await owner(store);
    const p = project(w.id, T0, card());
    const record = portfolio(a.id, 1, 'До перезапуска');
    const file = blob(a.id, w.id, randomBytes(MiB + 3));
    await store.projects.createProject(p);
    await store.projects.savePortfolio(record, 0);
    await store.projects.putBlob(file);
    await store.close();
    store = await reopen();
    expect(await store.projects.project(p.id)).toEqual(p);
    expect(await store.projects.portfolio(a.id)).toEqual(record);
    expect((await store.projects.blob(file.meta.id))!.data.equals(file.data)).toBe(true);
    // The card is still taken.
    expect(await store.projects.createProject(project(w.id, T0 + 1, p.source))).toBe('duplicate_card');
  });

  it('answers a failure of the engine with StoreUnavailable through the guard', async () => {
    const lost = guardStore(await reopen());
    await lost.close();
    await expect(lost.projects.blob('anything')).rejects.toBeInstanceOf(StoreUnavailable);
    await expect(lost.projects.createProject(project('w', T0))).rejects.toBeInstanceOf(StoreUnavailable);
  });
});

/** Each table's rows in key order, whatever order an engine listed them in; a file's bytes by their length and hash (quick to compare). */
const byKey = (d: ProjectDump) => ({
  projects: [...d.projects].sort((x, y) => (x.id < y.id ? -1 : 1)),
  portfolios: [...d.portfolios].sort((x, y) => (x.accountId < y.accountId ? -1 : 1)),
  blobs: d.blobs.map((x) => ({ meta: x.meta, length: x.data.length, sha256: sha(x.data) })).sort((x, y) => (x.meta.id < y.meta.id ? -1 : 1)),
});

const rowCount = (d: ProjectDump) => d.projects.length + d.portfolios.length + d.blobs.length;

describe.each(PLACES)('copying projects out of the %s store', (_from, placeFrom) => {
  it.each(PLACES)('into a %s store: every row and byte, once, and all or nothing', async (_to, placeTo) => {
    const from = await (await placeFrom())();
    const clashing = await (await placeTo())();
    const target = await (await placeTo())();
    try {
      const { a, w } = await owner(from);
      const p = project(w.id, T0 + 1, card());
      await from.projects.createProject(p);
      await from.projects.saveProject({ ...p, status: 'active', version: 2 }, 1);
      await from.projects.createProject(project(w.id, T0 + 2));
      await from.projects.savePortfolio(portfolio(a.id, 1, 'Записка'), 0);
      for (const data of [randomBytes(2 * MiB), Buffer.alloc(0), Buffer.from('Текст с кириллицей\n')]) await from.projects.putBlob(blob(a.id, w.id, data));
      const workspaces = await from.workspaces.dump();
      const dump = await from.projects.dump();
      expect([dump.projects.length, dump.portfolios.length, dump.blobs.length]).toEqual([2, 1, 3]);
      expect(dump.projects.find((x) => x.id === p.id)?.version).toBe(2);

      // The target already made another project of the same card: the restore fails and writes nothing.
      await clashing.workspaces.restore(workspaces);
      await clashing.projects.createProject({ ...p, id: 'another-project' });
      await expect(clashing.projects.restore(dump)).rejects.toThrow();
      expect(rowCount(await clashing.projects.dump())).toBe(1);
      expect(await clashing.projects.portfolio(a.id)).toBeNull();

      await target.workspaces.restore(workspaces);
      expect(await target.projects.restore(dump)).toBe(rowCount(dump));
      const copied = await target.projects.dump();
      expect(byKey(copied)).toEqual(byKey(dump));
      for (const x of byKey(copied).blobs) expect(x.sha256).toBe(x.meta.sha256);
      // Again: every key is there, nothing is written twice.
      expect(await target.projects.restore(dump)).toBe(0);
      expect(rowCount(await target.projects.dump())).toBe(rowCount(dump));
      // The copy goes on as the original would: the card is taken, saves check the copied version.
      expect(await target.projects.createProject(project(w.id, T0 + 3, p.source))).toBe('duplicate_card');
      expect(await target.projects.saveProject({ ...p, version: 3 }, 2)).toBe(true);
      expect(await target.projects.bytesOf(a.id)).toBe(await from.projects.bytesOf(a.id));
    } finally {
      await Promise.all([from.close(), clashing.close(), target.close()]);
    }
  });
});

describe('projects on PostgreSQL under concurrent writes', () => {
  let a: Store;
  let b: Store;
  beforeAll(async () => {
    const database = await PLACES.find(([name]) => name === 'PostgreSQL')![1]();
    // Two nodes on one database.
    [a, b] = await Promise.all([database(), database()]);
  });
  afterAll(() => Promise.all([a?.close(), b?.close()]));

  it('makes exactly one project of a card two nodes turn into a project at once', async () => {
    const { w } = await owner(a);
    for (let round = 0; round < 10; round++) {
      const source = card();
      const [x, y] = [project(w.id, T0 + round, source), project(w.id, T0 + round, source)];
      const results = await Promise.all([a.projects.createProject(x), b.projects.createProject(y)]);
      expect([...results].sort()).toEqual(['created', 'duplicate_card']);
      const winner = results[0] === 'created' ? x : y;
      expect(await b.projects.projectFromCard(source.sessionId, source.cardId)).toEqual(winner);
      expect(await a.projects.project(results[0] === 'created' ? y.id : x.id)).toBeNull();
    }
    expect(await a.projects.projects(w.id)).toHaveLength(10);
  });

  it('lets one of two saves from the same version win, and the stored project is the winner’s', async () => {
    const { w } = await owner(a);
    for (let round = 0; round < 10; round++) {
      const p = project(w.id, T0);
      await a.projects.createProject(p);
      const [x, y] = [{ ...p, title: 'Правка узла A', version: 2 }, { ...p, title: 'Правка узла B', version: 2 }];
      const results = await Promise.all([a.projects.saveProject(x, 1), b.projects.saveProject(y, 1)]);
      expect([...results].sort()).toEqual([false, true]);
      expect(await b.projects.project(p.id)).toEqual(results[0] ? x : y);
    }
  });

  it('keeps one of two first saves of a portfolio made at once', async () => {
    for (let round = 0; round < 10; round++) {
      const { a: teacher } = await owner(a);
      const [x, y] = [portfolio(teacher.id, 1, 'Вкладка 1'), portfolio(teacher.id, 1, 'Вкладка 2')];
      const results = await Promise.all([a.projects.savePortfolio(x, 0), b.projects.savePortfolio(y, 0)]);
      expect([...results].sort()).toEqual([false, true]);
      expect(await b.projects.portfolio(teacher.id)).toEqual(results[0] ? x : y);
    }
  });
});
