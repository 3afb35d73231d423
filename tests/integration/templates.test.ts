import { request } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addNote,
  createCluster,
  groupBoardId,
  LOCALES,
  parseBoardId,
  personalBoardId,
  readNotes,
  TEMPLATE_IDS,
  toggleReaction,
  type OwnedTemplate,
  type SessionArchive,
  type SessionState,
  type SessionTemplate,
  type TemplateList,
} from '@kenes/shared';
import {
  ApiError,
  fetchMinutes,
  fetchTemplate,
  importArchiveAsTemplate,
  importSessionArchive,
  importTemplate,
  listTemplates,
  saveSessionTemplate,
  SessionClient,
  startSessionFromTemplate,
  deleteTemplate,
  type BoardConnection,
} from '@kenes/shared/client';
import { startServer, type TestServer } from '../helpers/server.js';
import { board, newFacilitator, newTeacher, type Facilitator, type Teacher } from '../helpers/people.js';
import { waitFor } from '../helpers/wait.js';

let server: TestServer;
const clients: { close(): void }[] = [];

beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  for (const c of clients) c.close();
  await server.kill('SIGTERM');
});

/** Rows in a table of the server's database, read beside the running server. */
function count(table: 'sessions' | 'templates' | 'participants'): number {
  const db = new Database(join(server.dataDir, 'kenes.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;
  } finally {
    db.close();
  }
}

async function facilitator(body: Parameters<typeof newFacilitator>[1]): Promise<Facilitator> {
  const f = await newFacilitator(server.url, body);
  clients.push(f.client);
  return f;
}

async function teacher(code: string, name: string): Promise<Teacher> {
  const t = await newTeacher(server.url, code, name);
  clients.push(t.client);
  return t;
}

async function connect(code: string, token: string): Promise<SessionClient> {
  const c = new SessionClient({ url: server.url, code, token });
  clients.push(c);
  await c.ready();
  return c;
}

async function must(c: SessionClient, ...cmds: Parameters<SessionClient['command']>[0][]): Promise<void> {
  for (const cmd of cmds) {
    const ack = await c.command(cmd);
    if (!ack.ok) throw new Error(`${cmd.type}: ${ack.error.code}`);
  }
}

/** The status and error code of a refused call. */
async function refusal(p: Promise<unknown>): Promise<[number, string, string | undefined]> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiError) return [e.status, e.body.code, e.body.detail];
    throw e;
  }
  throw new Error('the call was not refused');
}

async function post(path: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: res.status, body: await res.json() };
}

/** `DELETE /api/templates/:id`, with `token` as the bearer when given: the status and the error code, if any. */
async function remove(id: string, token?: string): Promise<[number, string | undefined]> {
  const res = await fetch(`${server.url}/api/templates/${encodeURIComponent(id)}`, {
    method: 'DELETE',
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
  const text = await res.text();
  return [res.status, text ? (JSON.parse(text) as { error: { code: string } }).error.code : undefined];
}

/**
 * Announce a body of `bytes` and send only its first bytes, then read the answer: a
 * server that refuses a body over its limit answers from the announced length, and a
 * client still writing the rest would only see its connection cut.
 */
function postOversized(path: string, bytes: number): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': 'application/json', 'content-length': String(bytes) };
    const req = request(`${server.url}${path}`, { method: 'POST', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) });
      });
    });
    req.on('error', reject);
    req.write(`{"format":"kenes-session","padding":"${'x'.repeat(64 * 1024)}`);
  });
}

/** What a session's agenda is, as a teacher would notice it: stages, groups, dots, case, ballots as drafts. */
function agenda(s: SessionState) {
  return {
    locale: s.locale,
    template: s.template,
    stages: s.stages.map(({ key, kind, board, title, instructions, plannedMin, layout, privateWriting, showAuthors }) => ({
      key,
      kind,
      board,
      title,
      instructions,
      plannedMin,
      layout,
      privateWriting,
      showAuthors,
    })),
    groups: s.groups.length,
    groupMode: s.groupMode,
    dots: [s.vote.dots, s.vote.maxPerOption],
    case: s.case,
    ballots: s.ballots.map(({ id, kind, title, options, scale, privacy, visibility }) => ({ id, kind, title, options, scale, privacy, visibility })),
  };
}

describe('the list of templates', () => {
  it('lists every built-in method with its name and a description in ru, kk and en', async () => {
    const list: TemplateList = await listTemplates(server.url);
    expect(list.builtIn.map((t) => t.id)).toEqual([...TEMPLATE_IDS]);
    for (const t of list.builtIn) {
      expect(t.method).toBe(t.id);
      for (const l of LOCALES) {
        expect(t.name[l].length).toBeGreaterThan(3);
        expect(t.description[l].length).toBeGreaterThan(60);
        expect(t.description[l]).not.toContain('template.');
      }
      expect(new Set(LOCALES.map((l) => t.description[l])).size).toBe(3);
      expect(t.stages).toBeGreaterThan(2);
      expect(t.minutes).toBeGreaterThanOrEqual(t.stages * 5);
    }
    const caseMethod = list.builtIn.find((t) => t.id === 'case-method')!;
    expect(caseMethod).toMatchObject({ name: { ru: 'Метод кейсов', kk: 'Кейс әдісі', en: 'Case method' }, stages: 8, minutes: 90 });
    expect(caseMethod.description.kk).toMatch(/[әғқңөұүі]/);
  });
});

describe('a session agenda saved as a template', () => {
  let fac: Facilitator;
  let saved: OwnedTemplate;

  it('saves the agenda of a session the facilitator edited', async () => {
    fac = await facilitator({ template: 'design-thinking', locale: 'kk', title: 'Оқушылардың кешігуі' });
    await must(
      fac.client,
      { type: 'stage.edit', index: 1, title: 'Оқушыны түсіну', instructions: 'Оқушының не ойлайтынын, не сезінетінін жазыңыз.', plannedMin: 25 },
      { type: 'stage.settings', index: 2, layout: 'ideas', privateWriting: true, showAuthors: false },
      { type: 'case.set', case: { title: 'Кешігу', situation: '7 «Б» сыныбының оқушысы жиі кешігеді.', questions: 'Не істеу керек?' } },
      { type: 'groups.split', count: 3 },
      { type: 'groups.mode', mode: 'self' },
      { type: 'vote.configure', dots: 5, maxPerOption: 2 },
      { type: 'ballot.create', ballot: { id: 'mood', kind: 'single', title: 'Көңіл-күй', options: [{ id: 'a', label: 'Жақсы' }, { id: 'b', label: 'Орташа' }] } },
      { type: 'ballot.create', ballot: { id: 'rate', kind: 'rating', title: 'Пайдалылығы', options: [{ id: 'x', label: 'Семинар' }], scale: { min: 1, max: 10 } } },
      { type: 'ballot.open', ballotId: 'mood' },
      { type: 'stage.go', index: 2 },
    );
    saved = await saveSessionTemplate(server.url, fac.created.code, fac.created.facilitatorToken, { name: 'Біздің спринт' });
    expect(saved.id).toMatch(/^t-/);
    expect(saved.template).toMatchObject({ format: 'kenes-template', version: 1, name: 'Біздің спринт', method: 'design-thinking', locale: 'kk', groups: 3 });
    expect(JSON.stringify(saved.template)).not.toMatch(/"status"|"visits"|"results"/);

    const list = await listTemplates(server.url);
    expect(list.saved.find((t) => t.id === saved.id)).toMatchObject({ name: 'Біздің спринт', method: 'design-thinking', locale: 'kk', stages: 7, minutes: 155 });
  });

  it('starts a new session with the same stages, instructions, durations, layouts and ballots', async () => {
    const created = await startSessionFromTemplate(server.url, { templateId: saved.id, title: 'Екінші кеңес' });
    expect(created.code).not.toBe(fac.created.code);
    const c = await connect(created.code, created.facilitatorToken);
    expect(c.role).toBe('facilitator');
    const s = c.state!;
    expect(agenda(s)).toEqual(agenda(fac.client.state!));
    expect(s.title).toBe('Екінші кеңес');
    expect(s.stageIndex).toBe(0);
    expect(s.stages[1]!.title).toBe('Оқушыны түсіну');
    expect(s.stages[2]).toMatchObject({ layout: 'ideas', privateWriting: true, showAuthors: false, revealed: false });
    // Ballots come back as drafts, the one that was open included.
    expect(s.ballots.map((b) => [b.id, b.status, b.results])).toEqual([
      ['mood', 'draft', null],
      ['rate', 'draft', null],
    ]);
    expect(s.vote).toMatchObject({ status: 'idle', dots: 5, maxPerOption: 2, options: [] });
    // The new session works like any other.
    await must(c, { type: 'ballot.open', ballotId: 'mood' }, { type: 'stage.go', index: 1 });
  });

  it('starts from a built-in template in the language asked for', async () => {
    const created = await startSessionFromTemplate(server.url, { templateId: 'questionnaire', title: 'Сауалнама', locale: 'kk' });
    const c = await connect(created.code, created.facilitatorToken);
    expect(c.state!.template).toBe('questionnaire');
    expect(c.state!.locale).toBe('kk');
    expect(c.state!.ballots).toHaveLength(13);
    expect(await refusal(startSessionFromTemplate(server.url, { templateId: 't-nothing', title: 'X' }))).toEqual([404, 'not_found', undefined]);
  });

  it('exports it as a JSON file that imports back as the same template', async () => {
    const res = await fetch(`${server.url}/api/templates/${saved.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="template-${saved.id}.json"`);
    const file = await res.text();
    expect(JSON.parse(file)).toEqual(saved.template);

    const again = await importTemplate(server.url, file);
    expect(again.id).not.toBe(saved.id);
    expect(again.template).toEqual(saved.template);
    expect(await fetchTemplate(server.url, again.id)).toEqual(saved.template);

    // A built-in exports too, in the language asked for, and an inline template starts a session.
    const builtin = await fetchTemplate(server.url, 'case-method', 'en');
    expect(builtin).toMatchObject({ method: 'case-method', name: 'Case method', locale: 'en', groups: 4 });
    const edited: SessionTemplate = { ...builtin, name: 'Short case', stages: builtin.stages.slice(0, 3).map((st) => ({ ...st, plannedMin: 7 })) };
    const created = await startSessionFromTemplate(server.url, { template: edited, title: 'Inline' });
    const c = await connect(created.code, created.facilitatorToken);
    expect(c.state!.stages.map((st) => [st.key, st.plannedMin])).toEqual([
      ['case.join', 7],
      ['case.read', 7],
      ['case.individual', 7],
    ]);
  });

  it('refuses a file that is not a template, and stores nothing', async () => {
    const before = count('templates');
    const sessions = count('sessions');
    const notJson = await post('/api/templates', '{"format": "kenes-template", ');
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.code).toBe('bad_template');

    const good = JSON.stringify(saved.template);
    const broken = (change: (t: any) => void) => {
      const t = JSON.parse(good);
      change(t);
      return JSON.stringify(t);
    };
    expect(await refusal(importTemplate(server.url, broken((t) => (t.stages = []))))).toEqual([400, 'bad_template', expect.stringMatching(/^stages: /)]);
    expect((await refusal(importTemplate(server.url, broken((t) => (t.stages[1].plannedMin = 9999)))))[2]).toMatch(/^stages\.1\.plannedMin/);
    expect((await refusal(importTemplate(server.url, broken((t) => (t.stages[0].key = 'mystery')))))[2]).toMatch(/^stages\.0\.key/);
    expect((await refusal(importTemplate(server.url, broken((t) => (t.ballots[1].id = 'mood')))))[2]).toMatch(/^ballots\.1\.id/);
    expect((await refusal(importTemplate(server.url, broken((t) => (t.format = 'kenes-session')))))[1]).toBe('bad_template');
    expect((await refusal(importTemplate(server.url, '[]')))[1]).toBe('bad_template');
    const huge = await postOversized('/api/templates', 2 << 20);
    expect([huge.status, huge.body.error.code]).toEqual([413, 'too_large']);

    // The same bad template inline does not start a session either.
    const inline = await post('/api/sessions', JSON.stringify({ title: 'X', template: JSON.parse(broken((t) => (t.groups = 99))) }));
    expect([inline.status, inline.body.error.code, inline.body.error.detail]).toEqual([400, 'bad_template', expect.stringMatching(/^groups/)]);
    expect(count('templates')).toBe(before);
    expect(count('sessions')).toBe(sessions);
  });

  it('saves a session agenda only for its facilitator', async () => {
    const t = await teacher(fac.created.code, 'Әсел');
    const before = count('templates');
    const path = `/api/sessions/${fac.created.code}/template`;
    expect((await post(path, '{}')).status).toBe(401);
    expect((await post(path, '{}', { authorization: `Bearer ${t.token}` })).status).toBe(403);
    const other = await facilitator({ title: 'Басқа' });
    expect((await post(path, '{}', { authorization: `Bearer ${other.created.facilitatorToken}` })).status).toBe(403);
    expect((await post('/api/sessions/ZZZZZZ/template', '{}', { authorization: `Bearer ${fac.created.facilitatorToken}` })).status).toBe(404);
    expect(count('templates')).toBe(before);
  });
});

describe('deleting a saved template', () => {
  let fac: Facilitator;
  let mine: OwnedTemplate;
  let other: OwnedTemplate;

  it('gives whoever saves or imports a template a token of their own, listed nowhere', async () => {
    fac = await facilitator({ template: 'delphi', title: 'Делфи по расписанию' });
    mine = await saveSessionTemplate(server.url, fac.created.code, fac.created.facilitatorToken, { name: 'Неудачная повестка' });
    other = await importTemplate(server.url, mine.template);
    for (const t of [mine, other]) expect(t.ownerToken).toMatch(/^[\w-]{32}$/);
    expect(mine.ownerToken).not.toBe(other.ownerToken);
    expect(mine.ownerToken).not.toBe(fac.created.facilitatorToken);

    const list = await (await fetch(`${server.url}/api/templates`)).text();
    expect(list).toContain(mine.id);
    const file = await (await fetch(`${server.url}/api/templates/${mine.id}`)).text();
    expect(JSON.parse(file)).toEqual(mine.template);
    for (const text of [list, file]) {
      expect(text).not.toContain(mine.ownerToken);
      expect(text).not.toContain(other.ownerToken);
      expect(text).not.toMatch(/owner/i);
    }
  });

  it('refuses anyone without the owner token, a built-in and an unknown id, and deletes nothing', async () => {
    const t = await teacher(fac.created.code, 'Самал');
    const before = count('templates');
    expect(await remove(mine.id)).toEqual([401, 'unauthorized']);
    expect(await remove(mine.id, '')).toEqual([401, 'unauthorized']);
    expect(await remove(mine.id, other.ownerToken)).toEqual([403, 'forbidden']);
    expect(await remove(mine.id, fac.created.facilitatorToken)).toEqual([403, 'forbidden']);
    expect(await remove(mine.id, t.token)).toEqual([403, 'forbidden']);
    expect(await remove('t-nothing-here', mine.ownerToken)).toEqual([404, 'not_found']);
    expect(await remove('case-method', mine.ownerToken)).toEqual([400, 'bad_request']);
    expect(await refusal(deleteTemplate(server.url, mine.id, other.ownerToken))).toEqual([403, 'forbidden', undefined]);

    expect(count('templates')).toBe(before);
    expect((await listTemplates(server.url)).saved.map((x) => x.id)).toEqual(expect.arrayContaining([mine.id, other.id]));
    expect(await fetchTemplate(server.url, mine.id)).toEqual(mine.template);
    expect((await fetchTemplate(server.url, 'case-method', 'en')).name).toBe('Case method');
  });

  it('deletes it with the owner token: gone from the list, the file and new sessions, while the sessions it started go on', async () => {
    const started = await startSessionFromTemplate(server.url, { templateId: mine.id, title: 'Начатое до удаления' });
    const before = count('templates');

    expect(await remove(mine.id, mine.ownerToken)).toEqual([204, undefined]);
    expect(count('templates')).toBe(before - 1);
    const list = await listTemplates(server.url);
    expect(list.saved.map((x) => x.id)).not.toContain(mine.id);
    expect(list.saved.map((x) => x.id)).toContain(other.id);
    expect(await refusal(fetchTemplate(server.url, mine.id))).toEqual([404, 'not_found', undefined]);
    expect(await refusal(startSessionFromTemplate(server.url, { templateId: mine.id, title: 'Слишком поздно' }))).toEqual([404, 'not_found', undefined]);
    expect(await remove(mine.id, mine.ownerToken)).toEqual([404, 'not_found']);

    // The session started from it, and the one it was saved from, are as they were.
    const c = await connect(started.code, started.facilitatorToken);
    expect(c.state).toMatchObject({ title: 'Начатое до удаления', template: 'delphi' });
    await must(c, { type: 'stage.go', index: 1 });
    await must(fac.client, { type: 'stage.go', index: 1 });

    // The other copy goes with its own token, through the client.
    await deleteTemplate(server.url, other.id, other.ownerToken);
    expect((await listTemplates(server.url)).saved.map((x) => x.id)).not.toContain(other.id);
  });
});

describe('a session archive imported again', () => {
  let fac: Facilitator;
  let people: Teacher[];
  const open: BoardConnection[] = [];

  afterAll(() => {
    for (const b of open) b.close();
  });

  async function opened(sessionId: string, boardId: string, token: string): Promise<BoardConnection> {
    const b = board(server.url, sessionId, boardId, token);
    open.push(b);
    await b.synced;
    return b;
  }

  async function archiveOf(code: string, token: string): Promise<{ text: string; json: SessionArchive }> {
    const text = await fetchMinutes(server.url, code, token, 'json');
    return { text, json: JSON.parse(text) as SessionArchive };
  }

  it('runs a case session with notes on the group boards', async () => {
    fac = await facilitator({ title: 'Опоздания в 7 «Б»', facilitator: 'Гульнара Сейтказы' });
    people = [await teacher(fac.created.code, 'Айгерим'), await teacher(fac.created.code, 'Дана'), await teacher(fac.created.code, 'Ерлан')];
    await must(
      fac.client,
      { type: 'case.set', case: { title: 'Опоздания', situation: 'Ученик опаздывает на первый урок.', questions: 'Как помочь?' } },
      { type: 'group.rename', groupId: 'g1', name: 'Альфа' },
      { type: 'stage.edit', index: 3, instructions: 'Разберите причины.', plannedMin: 30 },
      { type: 'participant.move', participantId: people[0]!.participantId, groupId: 'g1' },
      { type: 'participant.move', participantId: people[1]!.participantId, groupId: 'g1' },
      { type: 'participant.move', participantId: people[2]!.participantId, groupId: 'g2' },
      { type: 'ballot.create', ballot: { id: 'mood', kind: 'single', title: 'Настроение', options: [{ id: 'a', label: 'Хорошо' }, { id: 'b', label: 'Плохо' }] } },
      { type: 'ballot.create', ballot: { id: 'later', kind: 'text', title: 'Что ещё?', options: [] } },
      { type: 'ballot.open', ballotId: 'mood' },
      { type: 'stage.go', index: 3 },
    );
    for (const t of people) await waitFor(() => t.client.me?.groupId, `${t.name} in a group`);
    await must(fac.client, { type: 'group.role', groupId: 'g1', role: 'speaker', participantId: people[0]!.participantId });
    for (const [i, t] of people.entries()) expect((await t.client.answer('mood', { kind: 'single', option: i < 2 ? 'a' : 'b' })).ok).toBe(true);
    await must(fac.client, { type: 'ballot.reveal', ballotId: 'mood' });

    const sid = fac.created.id;
    const [a, d] = [await opened(sid, groupBoardId('g1'), people[0]!.token), await opened(sid, groupBoardId('g1'), people[1]!.token)];
    addNote(a.doc, { id: 'n1', text: 'Живёт далеко от школы', color: 'pink', authorId: people[0]!.participantId, authorName: 'Айгерим', stageId: 's4', createdAt: Date.now(), area: 'causes' });
    addNote(d.doc, { id: 'n2', text: 'Автобус ходит редко', color: 'blue', authorId: people[1]!.participantId, authorName: 'Дана', stageId: 's4', createdAt: Date.now() + 1, area: 'causes' });
    await waitFor(() => readNotes(a.doc).length === 2 && readNotes(d.doc).length === 2, 'both notes on both screens');
    toggleReaction(d.doc, 'n1', people[1]!.participantId);
    createCluster(a.doc, { id: 'c1', name: 'Дорога', area: 'causes', stageId: 's4', createdAt: Date.now() }, ['n1', 'n2']);
    const e = await opened(sid, groupBoardId('g2'), people[2]!.token);
    addNote(e.doc, { id: 'n3', text: 'Поздно ложится спать', color: 'yellow', authorId: people[2]!.participantId, authorName: 'Ерлан', stageId: 's4', createdAt: Date.now() + 2 });
    const own = await opened(sid, personalBoardId(people[2]!.participantId), people[2]!.token);
    addNote(own.doc, { id: 'n4', text: 'Моя заметка', color: 'green', authorId: people[2]!.participantId, authorName: 'Ерлан', stageId: 's3', createdAt: Date.now() + 3 });
    await must(fac.client, { type: 'group.solution', groupId: 'g1', text: 'Договориться с родителями' });
    await must(fac.client, { type: 'decision.record', optionId: null, title: 'Поговорить с родителями', reason: 'Главная причина — дорога' });
    await must(fac.client, { type: 'protocol.edit', protocol: { organisation: 'Школа №5', number: '3' } });
    // What the server holds is what the archive will hold.
    for (let tries = 0; ; tries++) {
      const { json } = await archiveOf(fac.created.code, fac.created.facilitatorToken);
      const boards = new Map(json.boards.map((b) => [b.boardId, b]));
      const g1 = boards.get('g-g1');
      const done =
        g1?.clusters.length === 1 &&
        g1.notes.every((n) => n.clusterId === 'c1') &&
        g1.notes.some((n) => n.reactions.length === 1) &&
        boards.get('g-g2')?.notes.length === 1 &&
        boards.get(personalBoardId(people[2]!.participantId))?.notes.length === 1;
      if (done) break;
      if (tries > 100) throw new Error('board content never reached the server');
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  it('comes back as a new session with the same agenda and content', async () => {
    const before = await archiveOf(fac.created.code, fac.created.facilitatorToken);
    const created = await importSessionArchive(server.url, before.text);
    expect(created.id).not.toBe(fac.created.id);
    expect(created.code).not.toBe(fac.created.code);
    expect(created.facilitatorToken).not.toBe(fac.created.facilitatorToken);
    expect(created.facilitatorUrl).toContain(`/s/${created.code}/facilitate#token=${created.facilitatorToken}`);

    const after = await archiveOf(created.code, created.facilitatorToken);
    expect(after.json.state).toMatchObject({ id: created.id, code: created.code });
    expect(comparable(after.json)).toEqual(comparable(before.json));
    expect(after.json.boards.find((b) => b.boardId === 'g-g1')!.notes.map((n) => n.text)).toEqual(['Живёт далеко от школы', 'Автобус ходит редко']);
    // The revealed ballot kept its tally; the draft stayed a draft.
    expect(after.json.state.ballots.map((b) => [b.id, b.status, b.results?.voters ?? null])).toEqual([
      ['mood', 'revealed', 3],
      ['later', 'draft', null],
    ]);
    const md = await fetchMinutes(server.url, created.code, created.facilitatorToken);
    for (const text of ['Опоздания в 7 «Б»', 'Живёт далеко от школы', 'Поздно ложится спать', 'Поговорить с родителями', 'Айгерим', 'Школа №5']) expect(md).toContain(text);

    // The facilitator carries on in the new room; the old teachers' tokens open nothing there.
    const c = await connect(created.code, created.facilitatorToken);
    expect(c.role).toBe('facilitator');
    expect(c.state!.stageIndex).toBe(3);
    expect(c.roster.size).toBe(3);
    await must(c, { type: 'stage.go', index: 4 });
    const stranger = new SessionClient({ url: server.url, code: created.code, token: people[0]!.token });
    clients.push(stranger);
    await waitFor(() => stranger.status === 'refused', 'refusal');
    expect(stranger.refusal?.code).toBe('unauthorized');
  });

  it('gives a template of its agenda when asked', async () => {
    const { text } = await archiveOf(fac.created.code, fac.created.facilitatorToken);
    const saved = await importArchiveAsTemplate(server.url, text, 'Кейс об опозданиях');
    expect(saved.template).toMatchObject({ name: 'Кейс об опозданиях', method: 'case-method', groups: 4, case: { title: 'Опоздания' } });
    expect(saved.ownerToken).toMatch(/^[\w-]{32}$/);
    expect(saved.template.stages[3]).toMatchObject({ instructions: 'Разберите причины.', plannedMin: 30 });
    expect(saved.template.ballots.map((b) => b.id)).toEqual(['mood', 'later']);
  });

  it('refuses a damaged or oversized archive and creates nothing', async () => {
    const { text } = await archiveOf(fac.created.code, fac.created.facilitatorToken);
    const counts = () => [count('sessions'), count('participants'), count('templates')];
    const before = counts();
    const damaged = (change: (a: any) => void) => {
      const a = JSON.parse(text);
      change(a);
      return JSON.stringify(a);
    };
    expect(await refusal(importSessionArchive(server.url, '{"format":"kenes-session"'))).toEqual([400, 'bad_archive', undefined]);
    expect((await refusal(importSessionArchive(server.url, damaged((a) => (a.state.stageIndex = 40)))))[2]).toMatch(/^state\.stageIndex/);
    expect((await refusal(importSessionArchive(server.url, damaged((a) => (a.boards[0].notes[0].text = 'x'.repeat(5000)))))).slice(0, 2)).toEqual([400, 'bad_archive']);
    expect((await refusal(importSessionArchive(server.url, damaged((a) => (a.participants[0].groupId = 'g77')))))[2]).toMatch(/^participants\.0\.groupId/);
    expect((await refusal(importArchiveAsTemplate(server.url, damaged((a) => delete a.state)))).slice(0, 2)).toEqual([400, 'bad_archive']);
    expect((await refusal(importSessionArchive(server.url, JSON.stringify(await fetchTemplate(server.url, 'delphi'))))).slice(0, 2)).toEqual([400, 'bad_archive']);
    // A body past the usual 256 KiB but within the import's 8 MiB is read and checked, not cut off.
    const large = await post('/api/sessions/import', damaged((a) => (a.state.stages[0].title = 'x'.repeat(3 << 20))));
    expect([large.status, large.body.error.code, large.body.error.detail]).toEqual([400, 'bad_archive', expect.stringMatching(/^state\.stages\.0\.title/)]);
    const big = await postOversized('/api/sessions/import', 9 << 20);
    expect([big.status, big.body.error.code]).toEqual([413, 'too_large']);
    expect(counts()).toEqual(before);
  });
});

/** An archive without what must differ in a copy: ids, room code, export time, version, timer; teachers by name. */
function comparable(a: SessionArchive) {
  const names = new Map(a.participants.map((p) => [p.id, p.name]));
  const who = (id: string) => names.get(id) ?? id;
  const { id: _id, code: _code, version: _v, timer: _t, screen: _s, follow: _f, ...state } = a.state;
  return {
    state: { ...state, groups: state.groups.map((g) => ({ ...g, roles: Object.fromEntries(Object.entries(g.roles).map(([r, p]) => [r, who(p!)])) })) },
    participants: a.participants.map(({ id: _pid, ...p }) => p),
    boards: a.boards
      .map((b) => {
        const ref = parseBoardId(b.boardId);
        return {
          boardId: ref?.kind === 'personal' ? `p-${who(ref.id)}` : b.boardId,
          notes: b.notes.map((n) => ({ ...n, authorId: who(n.authorId), reactions: n.reactions.map(who).sort() })),
          clusters: b.clusters,
          cards: b.cards.map((c) => ({ ...c, authorId: who(c.authorId) })),
        };
      })
      .sort((x, y) => x.boardId.localeCompare(y.boardId)),
  };
}
