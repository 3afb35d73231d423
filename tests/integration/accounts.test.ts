import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountClient, ApiError, joinSession, SessionClient } from '@kenes/shared/client';
import { startServer, type TestServer } from '../helpers/server.js';
import { newFacilitator, newTeacher } from '../helpers/people.js';
import { refusal } from '../helpers/accounts.js';

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  await server.kill('SIGTERM');
});

const post = (url: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(new URL(path, url), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('accounts', () => {
  it('registers, signs out and in again; the cookie is HttpOnly, SameSite=Lax, 30 days, not Secure over plain HTTP', async () => {
    const res = await post(server.url, '/api/auth/register', { login: 'Ahmetova.G@school7.kz', name: 'Ахметова Гульнара', password: 'секрет-пароль-1' });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { account: { login: string; name: string }; csrf: string };
    expect(body.account.login).toBe('ahmetova.g@school7.kz');
    expect(body.csrf.length).toBeGreaterThan(20);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('kenes_auth='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).toMatch(/Max-Age=2592000/);
    expect(cookie).not.toMatch(/Secure/i);
    // Only the token's hash is kept: the raw value is long and random.
    expect(/^kenes_auth=([^;]+)/.exec(cookie)![1]!.length).toBeGreaterThan(20);

    const a = new AccountClient(server.url);
    await a.login({ login: 'AHMETOVA.G@school7.kz', password: 'секрет-пароль-1' });
    const me = await a.me();
    expect(me?.account.name).toBe('Ахметова Гульнара');
    expect(me?.workspaces).toEqual([]);

    await a.logout();
    expect(a.cookie).toBeNull();
    expect(await a.me()).toBeNull();
  });

  it('refuses a wrong password and an unknown login alike (401 bad_credentials), and a taken login (409)', async () => {
    const a = new AccountClient(server.url);
    await a.register({ login: 'nurlan', name: 'Нурлан Сейткали', password: 'correct-horse' });
    const b = new AccountClient(server.url);
    const wrong = await refusal(b.login({ login: 'nurlan', password: 'wrong-horse' }));
    expect([wrong.status, wrong.body.code]).toEqual([401, 'bad_credentials']);
    const unknown = await refusal(b.login({ login: 'nobody-here', password: 'wrong-horse' }));
    expect([unknown.status, unknown.body.code]).toEqual([401, 'bad_credentials']);
    expect(b.cookie).toBeNull();
    expect(await b.me()).toBeNull();

    const taken = await refusal(new AccountClient(server.url).register({ login: 'NURLAN', name: 'Другой', password: 'another-one' }));
    expect([taken.status, taken.body.code]).toEqual([409, 'login_taken']);
    // The first account's password still works: the refused registration wrote nothing.
    await b.login({ login: 'nurlan', password: 'correct-horse' });
    expect((await b.me())?.account.name).toBe('Нурлан Сейткали');
  });

  it('refuses bad registrations with bad_request', async () => {
    for (const body of [
      { login: 'ab', name: 'Short', password: 'long-enough' },
      { login: 'has space', name: 'X', password: 'long-enough' },
      { login: 'okay-login', name: 'X', password: 'short' },
      { login: 'okay-login', name: '', password: 'long-enough' },
    ]) {
      const e = await refusal(new AccountClient(server.url).register(body));
      expect([e.status, e.body.code]).toEqual([400, 'bad_request']);
    }
  });

  it('refuses a change the cookie authorises without the csrf header (403 csrf), and changes nothing', async () => {
    const a = new AccountClient(server.url);
    await a.register({ login: 'csrf.victim', name: 'Жанар Оспанова', password: 'long-password' });
    const noHeader = await fetch(new URL('/api/workspaces', server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: a.cookie! },
      body: JSON.stringify({ name: 'Чужой кабинет', organisation: '', place: '', locale: 'ru' }),
    });
    expect(noHeader.status).toBe(403);
    expect(((await noHeader.json()) as { error: { code: string } }).error.code).toBe('csrf');
    const wrongHeader = await post(server.url, '/api/auth/logout', {}, { cookie: a.cookie!, 'x-kenes-csrf': 'not-the-value' });
    expect(wrongHeader.status).toBe(403);
    // Nothing was created, and the session was not ended.
    const me = await a.me();
    expect(me?.workspaces).toEqual([]);
    // With the header the same request goes through.
    const made = await a.createWorkspace({ name: 'Методический кабинет', organisation: 'Отдел образования', place: 'Караганда', locale: 'ru' });
    expect(made.role).toBe('owner');
    expect((await a.me())?.workspaces.map((w) => w.workspace.name)).toEqual(['Методический кабинет']);
  });

  it('signing in needs a live cookie: a made-up or signed-out one is 401', async () => {
    const a = new AccountClient(server.url);
    await a.register({ login: 'gone.soon', name: 'Айгерим', password: 'long-password' });
    const old = a.cookie!;
    const csrf = a.csrf!;
    await a.logout();
    const replay = await post(server.url, '/api/workspaces', { name: 'X', organisation: '', place: '', locale: 'ru' }, { cookie: old, 'x-kenes-csrf': csrf });
    expect(replay.status).toBe(401);
    const madeUp = await fetch(new URL('/api/auth/me', server.url), { headers: { cookie: 'kenes_auth=made-up-token' } });
    expect(madeUp.status).toBe(401);
  });

  it('keeps the token links working while signed in, and links a teacher who joins signed in', async () => {
    const teacher = new AccountClient(server.url);
    await teacher.register({ login: 'teacher.one', name: 'Сауле Жумабаева', password: 'long-password' });
    const fac = await newFacilitator(server.url, { title: 'Открытый урок' });
    const code = fac.created.code;

    // Joined with the account: a normal participant, and the session shows in the account.
    const joined = await joinSession(server.url, code, 'Сауле', teacher);
    const client = new SessionClient({ url: server.url, code, token: joined.token });
    await client.ready();
    expect(client.me?.name).toBe('Сауле');
    const participation = await teacher.participation();
    expect(participation).toHaveLength(1);
    expect(participation[0]).toMatchObject({ sessionId: joined.sessionId, participantId: joined.participantId, code, title: 'Открытый урок', workspaceId: null });

    // The cookie alone (as a form on another site could send it) joins, but links nothing.
    const cookieOnly = await post(server.url, `/api/sessions/${code}/participants`, { name: 'Сауле 2' }, { cookie: teacher.cookie! });
    expect(cookieOnly.status).toBe(201);
    expect(await teacher.participation()).toHaveLength(1);

    // Facilitator and other teachers' token links are unaffected by anyone's cookie.
    const other = await newTeacher(server.url, code, 'Ержан');
    const ack = await fac.client.command({ type: 'stage.go', index: 1, from: 0 });
    expect(ack.ok).toBe(true);
    const minutes = await fetch(new URL(`/api/sessions/${code}/minutes?format=md`, server.url), {
      headers: { authorization: `Bearer ${fac.created.facilitatorToken}`, cookie: teacher.cookie! },
    });
    expect(minutes.status).toBe(200);
    client.close();
    other.client.close();
    fac.client.close();
  });

  it('marks the cookie Secure when the request came over HTTPS (behind a proxy that says so)', async () => {
    const proxied = await startServer({ env: { TRUST_PROXY: '1' } });
    try {
      const res = await post(proxied.url, '/api/auth/register', { login: 'behind.proxy', name: 'Асель', password: 'long-password' }, { 'x-forwarded-proto': 'https' });
      expect(res.status).toBe(201);
      expect(res.headers.getSetCookie().find((c) => c.startsWith('kenes_auth='))).toMatch(/;\s*Secure/);
    } finally {
      await proxied.kill('SIGTERM');
    }
  });

  it('limits failed logins per address (429 rate_limited)', async () => {
    const b = new AccountClient(server.url);
    let last: ApiError | null = null;
    for (let i = 0; i < 25; i++) {
      last = await refusal(b.login({ login: 'nurlan', password: `guess-${i}` }));
      if (last.status === 429) break;
    }
    expect([last!.status, last!.body.code]).toEqual([429, 'rate_limited']);
  });
});
