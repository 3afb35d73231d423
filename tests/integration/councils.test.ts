import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoDay, type Council, type QuorumRule } from '@kenes/shared';
import { joinSession, MeetingConflict, SessionClient } from '@kenes/shared/client';
import { startServer, type TestServer } from '../helpers/server.js';
import { addMember, newAccount, refusal, refused, type Person } from '../helpers/accounts.js';

let server: TestServer;
let owner: Person;
let chair: Person;
let secretary: Person;
let teachers: Person[];
let ws: string;
let council: Council;

const YEAR = new Date().getFullYear();
const DAY = 24 * 3600_000;
const daysFromNow = (n: number) => isoDay(Date.now() + n * DAY);

beforeAll(async () => {
  server = await startServer();
  owner = await newAccount(server.url, 'Ахметова Гульнара Сериковна');
  chair = await newAccount(server.url, 'Бекова Алия Тимуровна');
  secretary = await newAccount(server.url, 'Ким Виктория Павловна');
  teachers = [];
  for (const n of ['Нурланов Ерлан', 'Оспанова Жанар', 'Сейткали Нурлан']) teachers.push(await newAccount(server.url, n));
  ws = (await owner.createWorkspace({ name: 'Школа № 7', organisation: 'КГУ «Общеобразовательная школа № 7»', place: 'г. Караганда', locale: 'ru' })).workspace.id;
  await addMember(owner, ws, chair, 'methodologist');
  await addMember(owner, ws, secretary, 'expert');
  for (const t of teachers) await addMember(owner, ws, t, 'teacher');
  council = await owner.createCouncil(ws, {
    name: 'Методический совет школы',
    kind: 'methodical',
    memberIds: teachers.map((t) => t.id),
    chairId: chair.id,
    secretaryId: secretary.id,
    quorum: { kind: 'two-thirds' },
  });
});

afterAll(async () => {
  await server?.kill('SIGTERM');
});

describe('councils and meetings', () => {
  it('puts the chair and secretary on the council and shows the quorum as N of M by its rule', async () => {
    expect(council.memberIds).toHaveLength(5);
    expect(council.memberIds).toEqual(expect.arrayContaining([chair.id, secretary.id]));
    const m = await secretary.createMeeting(council.id, { date: `${YEAR}-01-20`, items: [{ title: 'Об итогах полугодия' }] });
    const mark = (id: string) => secretary.meetingOp(m.id, { type: 'attendance.set', accountId: id, status: 'present' });
    await mark(chair.id);
    await mark(secretary.id);
    let view = await mark(teachers[0]!.id);
    // Two thirds of 5 is 4: three present is not enough.
    expect(view.quorum).toEqual({ members: 5, present: 3, absent: 0, needed: 4, met: false });
    view = await secretary.meetingOp(m.id, { type: 'attendance.set', accountId: teachers[1]!.id, status: 'present' });
    expect(view.quorum).toMatchObject({ present: 4, needed: 4, met: true });
    view = await secretary.meetingOp(m.id, { type: 'attendance.set', accountId: teachers[2]!.id, status: 'absent' });
    expect(view.quorum).toMatchObject({ present: 4, absent: 1 });
    expect(view.members.find((x) => x.accountId === chair.id)?.name).toBe('Бекова Алия Тимуровна');

    // Another rule for later meetings: a fixed count of 2. The meeting already held keeps its own.
    const rule: QuorumRule = { kind: 'count', min: 2 };
    const { council: current } = await chair.council(council.id);
    council = await chair.updateCouncil(council.id, { ...current, quorum: rule }, current.version);
    expect(council.quorum).toEqual(rule);
    const stale = await refusal(chair.updateCouncil(council.id, { ...current, name: 'Старое имя' }, current.version));
    expect([stale.status, stale.body.code]).toEqual([409, 'conflict']);
    expect((await secretary.meeting(m.id)).quorum.needed).toBe(4);
    const next = await secretary.createMeeting(council.id, { date: `${YEAR}-01-27` });
    const v2 = await secretary.meetingOp(next.id, { type: 'attendance.set', accountId: chair.id, status: 'present' });
    expect(v2.quorum).toMatchObject({ present: 1, needed: 2, met: false });
  });

  it('numbers protocols 1, 2, 3 … within the council and starts again in a new year', async () => {
    const other = await owner.createCouncil(ws, {
      name: 'Экспертный совет',
      kind: 'expert',
      memberIds: [teachers[0]!.id],
      chairId: chair.id,
      secretaryId: null,
      quorum: { kind: 'majority' },
    });
    const made = [];
    for (const date of [`${YEAR}-02-10`, `${YEAR}-03-10`, `${YEAR}-04-10`, `${YEAR + 1}-01-15`, `${YEAR + 1}-02-15`]) {
      made.push(await chair.createMeeting(other.id, { date }));
    }
    expect(made.map((m) => [m.year, m.number])).toEqual([
      [YEAR, 1],
      [YEAR, 2],
      [YEAR, 3],
      [YEAR + 1, 1],
      [YEAR + 1, 2],
    ]);
    // Another council's meetings count on their own (the first council already had 2 this year).
    expect((await secretary.createMeeting(council.id, { date: `${YEAR}-02-11` })).number).toBe(3);
    // Newest first in the council's list.
    expect((await chair.council(other.id)).meetings.map((m) => `${m.number}/${m.year}`)).toEqual([
      `2/${YEAR + 1}`,
      `1/${YEAR + 1}`,
      `3/${YEAR}`,
      `2/${YEAR}`,
      `1/${YEAR}`,
    ]);
    // A date moves within its year only: the number was given for that year.
    expect(await refused(chair.meetingOp(made[0]!.id, { type: 'meeting.update', date: `${YEAR + 1}-02-10` }))).toEqual([400, 'year_locked']);
    expect((await chair.meetingOp(made[0]!.id, { type: 'meeting.update', date: `${YEAR}-02-12` })).meeting.date).toBe(`${YEAR}-02-12`);
  });

  it('refuses an op made from an older version with the meeting as it is now, and applies concurrent ops without one', async () => {
    const m = await secretary.createMeeting(council.id, { date: `${YEAR}-05-05`, items: [{ title: 'Разное' }] });
    const itemId = m.items[0]!.id;
    await secretary.meetingOp(m.id, { type: 'item.update', id: itemId, heard: 'Доклад' }, m.version);
    const e = await refusal(chair.meetingOp(m.id, { type: 'item.update', id: itemId, title: 'Иное' }, m.version));
    expect(e).toBeInstanceOf(MeetingConflict);
    expect((e as MeetingConflict).view.meeting.items[0]!.heard).toBe('Доклад');
    expect((e as MeetingConflict).view.meeting.items[0]!.title).toBe('Разное');

    // Everyone asks for the floor at once: every request is kept, one each.
    const people = [chair, secretary, ...teachers];
    const answers = await Promise.all(people.map((p, i) => p.meetingOp(m.id, { type: 'speaker.request', itemId, id: `sp-${i}`, accountId: p.id })));
    expect(answers.every((a) => a.meeting.items[0]!.speakers.length >= 1)).toBe(true);
    const view = await chair.meeting(m.id);
    expect(view.meeting.items[0]!.speakers.map((s) => s.accountId).sort()).toEqual(people.map((p) => p.id).sort());
    // A repeated add changes nothing.
    expect(await refused(teachers[0]!.meetingOp(m.id, { type: 'speaker.request', itemId, id: 'sp-2' }))).toEqual([409, 'duplicate_id']);
    expect(await refused(chair.meetingOp(m.id, { type: 'speaker.start', itemId, id: 'nobody' }))).toEqual([404, 'unknown_speaker']);
    expect(await refused(chair.meetingOp(m.id, { type: 'item.remove', id: 'nothing' }))).toEqual([404, 'unknown_item']);

    // Closed: every op but reopening is refused.
    await chair.meetingOp(m.id, { type: 'meeting.status', status: 'closed' });
    expect(await refused(chair.meetingOp(m.id, { type: 'item.add', id: 'late', title: 'Поздно' }))).toEqual([409, 'meeting_closed']);
    expect((await chair.meetingOp(m.id, { type: 'meeting.status', status: 'open' })).meeting.status).toBe('open');
  });
});

describe('the decision register', () => {
  let first: string;
  let second: string;
  let overdue: string;
  let open: string;
  let done: string;

  it('carries decisions of meeting 1 into meeting 2 as open, overdue and done', async () => {
    const m1 = await secretary.createMeeting(council.id, { date: `${YEAR}-06-01`, items: [{ title: 'О подготовке к новому учебному году', reporter: 'Бекова А. Т.' }] });
    first = m1.id;
    const itemId = m1.items[0]!.id;
    overdue = 'd-overdue';
    open = 'd-open';
    done = 'd-done';
    const add = (id: string, text: string, responsibleId: string, dueDate: string) =>
      secretary.meetingOp(first, { type: 'decision.add', itemId, id, text, responsibleId, dueDate });
    await add(overdue, 'Обновить рабочие программы', teachers[0]!.id, daysFromNow(-10));
    await add(open, 'Провести открытые уроки', teachers[1]!.id, daysFromNow(20));
    const v = await add(done, 'Составить график аттестации', teachers[2]!.id, daysFromNow(30));
    expect(v.meeting.items[0]!.decisions.map((d) => d.responsibleName)).toEqual(['Нурланов Ерлан', 'Оспанова Жанар', 'Сейткали Нурлан']);

    // The responsible person records it done; someone else may not.
    expect(await refused(teachers[0]!.setExecution(ws, done, { done: true, note: '' }))).toEqual([403, 'forbidden']);
    const entry = await teachers[2]!.setExecution(ws, done, { done: true, note: 'График утверждён' });
    expect(entry).toMatchObject({ status: 'done', note: 'График утверждён' });
    expect(entry.doneAt).toBeGreaterThan(0);
    expect(await refused(chair.setExecution(ws, 'no-such-decision', { done: true, note: '' }))).toEqual([404, 'unknown_decision']);

    const byId = Object.fromEntries((await chair.decisions(ws)).map((e) => [e.decision.id, e.status]));
    expect(byId).toMatchObject({ [overdue]: 'overdue', [open]: 'open', [done]: 'done' });

    const m2 = await secretary.createMeeting(council.id, { date: `${YEAR}-09-01`, review: true, items: [{ title: 'О плане работы' }] });
    second = m2.id;
    expect(m2.items[0]!.kind).toBe('execution');
    expect(m2.items[0]!.reviewed).toEqual(expect.arrayContaining([overdue, open]));
    expect(m2.items[0]!.reviewed).not.toContain(done);
    const view = await teachers[0]!.meeting(second);
    expect(view.review.map((e) => [e.decision.id, e.status])).toEqual(
      expect.arrayContaining([
        [overdue, 'overdue'],
        [open, 'open'],
      ]),
    );
    expect(view.review.every((e) => e.meetingId === first && e.meetingNumber === m1.number)).toBe(true);

    // Marked done at meeting 2, by the secretary: the review shows it so.
    await secretary.setExecution(ws, open, { done: true, note: 'Проведены 3 урока' });
    const after = await chair.meeting(second);
    expect(after.review.find((e) => e.decision.id === open)).toMatchObject({ status: 'done', note: 'Проведены 3 урока' });
    // Undone again: open, its done day cleared.
    const undone = await secretary.setExecution(ws, open, { done: false, note: '' });
    expect(undone).toMatchObject({ status: 'open', doneAt: null });
    await secretary.setExecution(ws, open, { done: true, note: 'Проведены 3 урока' });
  });

  it('filters the register and exports it as CSV', async () => {
    expect((await chair.decisions(ws, { status: 'overdue' })).map((e) => e.decision.id)).toEqual([overdue]);
    expect((await chair.decisions(ws, { responsibleId: teachers[2]!.id })).map((e) => e.decision.id)).toEqual([done]);
    expect((await chair.decisions(ws, { q: 'открытые УРОКИ' })).map((e) => e.decision.id)).toEqual([open]);
    expect((await chair.decisions(ws, { dueFrom: daysFromNow(15), dueTo: daysFromNow(25) })).map((e) => e.decision.id)).toEqual([open]);
    expect((await chair.decisions(ws, { councilId: 'another' })).length).toBe(0);
    expect((await chair.decisions(ws, { councilId: council.id })).length).toBe(3);
    expect(await refused(chair.decisions(ws, { dueFrom: '2026-02-31' }))).toEqual([400, 'bad_request']);
    expect(await refused(chair.decisions(ws, { status: 'late' as never }))).toEqual([400, 'bad_request']);

    const csv = await teachers[0]!.decisionsCsv(ws);
    const lines = csv.replace(/^\uFEFF/, '').trim().split(/\r\n/);
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain('Обновить рабочие программы');
    expect(lines[1]).toContain('Нурланов Ерлан');
    expect(csv).toContain('Составить график аттестации');
    const onlyOverdue = (await teachers[0]!.decisionsCsv(ws, { status: 'overdue' })).trim().split(/\r\n/);
    expect(onlyOverdue).toHaveLength(2);
    const res = await teachers[0]!.raw(teachers[0]!.decisionsPath(ws));
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
  });

  it('lists a workspace session, and a teacher who joined it signed in sees it in their participation', async () => {
    const created = await chair.createWorkspaceSession(ws, { title: 'Кейс-урок', template: 'case-method', locale: 'ru' });
    const teacher = teachers[1]!;
    const joined = await joinSession(server.url, created.code, 'Оспанова Ж.', teacher);
    const client = new SessionClient({ url: server.url, code: created.code, token: joined.token });
    await client.ready();
    client.close();
    const mine = await teacher.participation();
    expect(mine[0]).toMatchObject({ code: created.code, title: 'Кейс-урок', workspaceId: ws, participantId: joined.participantId });
    const list = await teacher.workspaceSessions(ws);
    expect(list.find((s) => s.code === created.code)).toMatchObject({ kind: 'session', participants: 1, title: 'Кейс-урок' });
    // A new facilitator link works on the session's console.
    const link = await chair.facilitatorLink(ws, created.code);
    const fac = new SessionClient({ url: server.url, code: created.code, token: link.facilitatorToken });
    await fac.ready();
    expect(fac.role).toBe('facilitator');
    fac.close();
    expect(await refused(teacher.facilitatorLink(ws, created.code))).toEqual([403, 'forbidden']);
  });

  it('opens a live room for a meeting whose stages are the agenda, and marks present those who joined it signed in', async () => {
    const m = await secretary.createMeeting(council.id, { date: `${YEAR}-10-01`, items: [{ title: 'Об аттестации' }, { title: 'Разное' }] });
    await secretary.meetingOp(m.id, { type: 'meeting.status', status: 'open' });
    const room = await secretary.meetingSession(m.id);
    const fac = new SessionClient({ url: server.url, code: room.code, token: room.facilitatorToken });
    await fac.ready();
    expect(fac.state!.stages.map((s) => s.title)).toEqual(['Об аттестации', 'Разное']);
    fac.close();
    for (const t of teachers.slice(0, 2)) await joinSession(server.url, room.code, t.name, t);
    // Joined without signing in: not counted.
    await joinSession(server.url, room.code, 'Гость');
    const view = await secretary.attendanceFromSession(m.id);
    expect(view.meeting.sessionCode).toBe(room.code);
    expect(Object.entries(view.meeting.attendance).filter(([, s]) => s === 'present').map(([id]) => id).sort()).toEqual(
      teachers.slice(0, 2).map((t) => t.id).sort(),
    );
    // Opening it again gives a new link to the same room.
    expect((await chair.meetingSession(m.id)).code).toBe(room.code);
    expect(await refused(teachers[0]!.meetingSession(m.id))).toEqual([403, 'forbidden']);
    // A member marks themselves present while the meeting is open, and nobody else.
    expect((await teachers[2]!.meetingOp(m.id, { type: 'attendance.set', accountId: teachers[2]!.id, status: 'present' })).quorum.present).toBe(3);
    expect(await refused(teachers[2]!.meetingOp(m.id, { type: 'attendance.set', accountId: chair.id, status: 'present' }))).toEqual([403, 'forbidden']);
  });

  it('draws up the protocol as DOCX and PDF with СЛУШАЛИ, ВЫСТУПИЛИ, ПОСТАНОВИЛИ and the vote', async () => {
    const m = await secretary.createMeeting(council.id, { date: `${YEAR}-11-05`, time: '15:00', review: true, items: [{ title: 'Об участии в конкурсе «Лучший урок»', reporter: 'Бекова А. Т., заместитель директора' }] });
    const item = m.items[1]!;
    const op = (o: Parameters<Person['meetingOp']>[1]) => secretary.meetingOp(m.id, o);
    await op({ type: 'meeting.status', status: 'open' });
    for (const id of [chair.id, secretary.id, teachers[0]!.id, teachers[1]!.id]) await op({ type: 'attendance.set', accountId: id, status: 'present' });
    await op({ type: 'item.update', id: item.id, heard: 'О порядке участия в городском конкурсе' });
    await teachers[0]!.meetingOp(m.id, { type: 'speaker.request', itemId: item.id, id: 'sp-1' });
    await op({ type: 'speaker.start', itemId: item.id, id: 'sp-1' });
    await op({ type: 'speaker.update', itemId: item.id, id: 'sp-1', summary: 'Предложил выдвинуть двух учителей' });
    await op({ type: 'speaker.end', itemId: item.id, id: 'sp-1' });
    await op({ type: 'decision.add', itemId: item.id, id: 'd-contest', text: 'Выдвинуть на конкурс двух учителей', responsibleId: chair.id, dueDate: `${YEAR}-12-01` });
    await op({ type: 'decision.vote', itemId: item.id, id: 'd-contest', vote: { for: 3, against: 0, abstained: 1 } });
    await op({ type: 'meeting.status', status: 'closed' });

    const md = await (await teachers[1]!.protocolFile(m.id, 'md')).text();
    for (const word of ['СЛУШАЛИ', 'ВЫСТУПИЛИ', 'ПОСТАНОВИЛИ', 'Выдвинуть на конкурс двух учителей']) expect(md).toContain(word);

    const dir = mkdtempSync(join(tmpdir(), 'kenes-protocol-'));
    const docx = join(dir, 'p.docx');
    writeFileSync(docx, Buffer.from(await (await teachers[1]!.protocolFile(m.id, 'docx')).arrayBuffer()));
    const docText = execFileSync('unzip', ['-p', docx, 'word/document.xml']).toString().replace(/<[^>]+>/g, ' ');
    const pdf = join(dir, 'p.pdf');
    writeFileSync(pdf, Buffer.from(await (await teachers[1]!.protocolFile(m.id, 'pdf')).arrayBuffer()));
    const pdfText = execFileSync('pdftotext', ['-layout', pdf, '-']).toString();
    for (const text of [docText, pdfText]) {
      for (const word of ['СЛУШАЛИ', 'ВЫСТУПИЛИ', 'ПОСТАНОВИЛИ', 'Предложил выдвинуть двух учителей']) expect(text).toContain(word);
      expect(text).toMatch(/ПРОТОКОЛ\s+№\s*\d+/);
      // The vote: for 3, against 0, abstained 1.
      expect(text).toMatch(/Голосовали:\s+за\s+—\s+3,\s+против\s+—\s+0,\s+воздержались\s+—\s+1/);
    }
    expect(await refused(teachers[1]!.protocolFile(m.id, 'odt' as never))).toEqual([400, 'bad_request']);
    // In Kazakh on request.
    const kk = await (await teachers[1]!.protocolFile(m.id, 'md', 'kk')).text();
    expect(kk).not.toContain('СЛУШАЛИ');
  });
});

describe('a server killed with SIGKILL', () => {
  it('keeps every acknowledged meeting op', async () => {
    const first = await startServer();
    const secretaryHere = await newAccount(first.url, 'Секретарь Совета');
    const wsId = (await secretaryHere.createWorkspace({ name: 'Кабинет', organisation: '', place: '', locale: 'ru' })).workspace.id;
    const c = await secretaryHere.createCouncil(wsId, { name: 'Совет', kind: 'pedagogical', memberIds: [], chairId: secretaryHere.id, secretaryId: secretaryHere.id, quorum: { kind: 'majority' } });
    const m = await secretaryHere.createMeeting(c.id, { date: `${YEAR}-03-03`, items: [{ title: 'Первый вопрос' }] });
    const itemId = m.items[0]!.id;
    let last = m.version;
    for (let i = 0; i < 20; i++) {
      last = (await secretaryHere.meetingOp(m.id, { type: 'decision.add', itemId, id: `d${i}`, text: `Решение ${i}`, dueDate: null })).meeting.version;
    }
    await first.kill('SIGKILL');
    const second = await startServer({ dataDir: first.dataDir, port: first.port });
    try {
      // The cookie outlives the process too: the same client reads on.
      const view = await secretaryHere.meeting(m.id);
      expect(view.meeting.version).toBe(last);
      expect(view.meeting.items[0]!.decisions.map((d) => d.text)).toEqual(Array.from({ length: 20 }, (_, i) => `Решение ${i}`));
      const csv = await secretaryHere.decisionsCsv(wsId);
      expect(csv.trim().split(/\r\n/)).toHaveLength(21);
    } finally {
      await second.kill('SIGTERM');
    }
  });
});
