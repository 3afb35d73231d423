import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionClient } from '@kenes/shared/client';
import { DIARY_EVENTS, type DiaryEntry } from '@kenes/shared';
import { startServer, type TestServer } from '../helpers/server.js';
import { newFacilitator, newTeacher, type Facilitator, type Teacher } from '../helpers/people.js';
import { waitFor } from '../helpers/wait.js';

let server: TestServer;
let fac: Facilitator;
let alice: Teacher;
let bob: Teacher;
let screen: SessionClient;
const heard: { who: string; event: string; payload: string }[] = [];

beforeAll(async () => {
  server = await startServer();
  fac = await newFacilitator(server.url, { title: 'Самооценка', template: 'self-assessment', locale: 'kk' });
  alice = await newTeacher(server.url, fac.created.code, 'Әлия');
  bob = await newTeacher(server.url, fac.created.code, 'Бауыржан');
  screen = new SessionClient({ url: server.url, code: fac.created.code });
  await screen.ready();
  const spy = (who: string, c: SessionClient) =>
    c.socket.onAny((event: string, ...args: unknown[]) => heard.push({ who, event, payload: JSON.stringify(args) }));
  spy('fac', fac.client);
  spy('bob', bob.client);
  spy('screen', screen);
});

afterAll(async () => {
  screen?.close();
  alice?.client.close();
  bob?.client.close();
  fac?.client.close();
  await server?.kill('SIGTERM');
});

const must = async (p: Promise<{ ok: true; entry: DiaryEntry } | { ok: false; error: { code: string } }>) => {
  const a = await p;
  if (!a.ok) throw new Error(a.error.code);
  return a.entry;
};

const download = (token?: string) =>
  fetch(`${server.url}/api/sessions/${fac.created.code}/diary?format=md`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });

describe('the reflection diary', () => {
  const SECRET = 'Құпия: сабақта уақыт жетпеді';
  let secretId = '';

  it('keeps an unshared entry private to its author', async () => {
    const e = await must(alice.client.diaryAdd({ kind: 'difficulty', text: `  ${SECRET}  ` }));
    secretId = e.id;
    expect(e).toMatchObject({ kind: 'difficulty', text: SECRET, shared: false });
    await new Promise((r) => setTimeout(r, 300));
    expect(heard.filter((h) => h.payload.includes(SECRET))).toEqual([]);

    const mine = await alice.client.diaryList();
    expect(mine.ok && mine.entries.map((x) => x.text)).toEqual([SECRET]);
    const bobs = await bob.client.diaryList();
    expect(bobs.ok && bobs.entries).toEqual([]);
    const facs = await fac.client.diaryList();
    expect(facs.ok && facs.entries).toEqual([]);
    expect(await screen.diaryList()).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // Another teacher cannot change or delete it either: ids are per author.
    expect(await bob.client.diaryUpdate(secretId, { shared: true })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await bob.client.diaryDelete(secretId)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await fac.client.diaryAdd({ kind: 'success', text: 'x' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const sync = await bob.client.socket.emitWithAck('sync', {});
    expect(JSON.stringify(sync)).not.toContain(SECRET);
    expect(heard.filter((h) => h.payload.includes(SECRET))).toEqual([]);
  });

  it('shows a shared entry to the facilitators only, and takes it back when unshared', async () => {
    const SHARED = 'Сәтті болды: топтық жұмыс';
    const e = await must(alice.client.diaryAdd({ kind: 'success', text: SHARED, shared: true }));
    await waitFor(() => heard.some((h) => h.who === 'fac' && h.event === DIARY_EVENTS.shared && h.payload.includes(SHARED)), 'fac hears');
    const facs = await fac.client.diaryList();
    if (!facs.ok || facs.role !== 'facilitator') throw new Error('list');
    expect(facs.entries).toMatchObject([{ id: e.id, text: SHARED, name: 'Әлия', participantId: alice.participantId }]);
    expect(heard.filter((h) => h.who !== 'fac' && h.payload.includes(SHARED))).toEqual([]);
    const bobs = await bob.client.diaryList();
    expect(bobs.ok && bobs.entries).toEqual([]);

    await must(alice.client.diaryUpdate(e.id, { shared: false }));
    await waitFor(() => heard.some((h) => h.who === 'fac' && h.event === DIARY_EVENTS.unshared), 'fac hears unshare');
    const after = await fac.client.diaryList();
    expect(after.ok && after.entries).toEqual([]);
    expect(heard.filter((h) => h.payload.includes(SECRET))).toEqual([]);
  });

  it('is idempotent: a repeated request id creates one entry', async () => {
    const payload = { rid: 'same-rid-1', kind: 'observation', text: 'Бір рет' };
    const a = await alice.client.socket.emitWithAck(DIARY_EVENTS.add, payload);
    const b = await alice.client.socket.emitWithAck(DIARY_EVENTS.add, payload);
    expect(b).toEqual(a);
    const mine = await alice.client.diaryList();
    expect(mine.ok && mine.entries.filter((x) => x.text === 'Бір рет')).toHaveLength(1);
    expect(await alice.client.socket.emitWithAck(DIARY_EVENTS.add, { rid: 'x', kind: 'bogus', text: '' })).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
  });

  it('edits and deletes', async () => {
    const e = await must(alice.client.diaryAdd({ kind: 'observation', text: 'Жоюға' }));
    expect(await must(alice.client.diaryUpdate(e.id, { text: 'Өзгертілді', kind: 'success' }))).toMatchObject({ text: 'Өзгертілді', kind: 'success' });
    expect(await alice.client.diaryDelete(e.id)).toEqual({ ok: true, id: e.id });
    const mine = await alice.client.diaryList();
    expect(mine.ok && mine.entries.some((x) => x.id === e.id)).toBe(false);
  });

  it("downloads only the author's own entries as Markdown in the session language", async () => {
    await must(bob.client.diaryAdd({ kind: 'observation', text: 'Бауыржанның жазбасы' }));
    const res = await download(alice.token);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/markdown');
    const md = await res.text();
    expect(md).toContain('# Рефлексия күнделігі');
    expect(md).toContain(SECRET);
    expect(md).toContain('Қиындық');
    expect(md).not.toContain('Бауыржанның жазбасы');
    const bobs = await (await download(bob.token)).text();
    expect(bobs).toContain('Бауыржанның жазбасы');
    expect(bobs).not.toContain(SECRET);

    expect((await download()).status).toBe(401);
    expect((await download('not-a-token')).status).toBe(403);
    expect((await download(fac.created.facilitatorToken)).status).toBe(403);
  });
});
