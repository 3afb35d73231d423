import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addNote, moveNote, notesMap, readNotes, groupBoardId, setNoteColor, type Allocation } from '@kenes/shared';
import { getSession, SessionClient } from '@kenes/shared/client';
import { startServer, type TestServer } from '../helpers/server.js';
import { board, newFacilitator, newTeacher } from '../helpers/people.js';
import { waitFor } from '../helpers/wait.js';
import { ConfirmedBoard } from './confirmed-board.js';
import { BALLOT_ID, confirmedNotes, newLedger, runSession, type Ledger, type Sent } from './ledger.js';

/** Fixed so a failing trial can be replayed (`KENES_KILL_SEED`); printed with every failure. */
const SEED = Number(process.env.KENES_KILL_SEED ?? 424_242);
const TRIALS = 20;

const servers: TestServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.kill();
});

/** A small seeded generator (mulberry32): the same seed kills at the same moments. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
/** A withdrawn ballot is stored as none. */
const stored = (a: Allocation | null) => (a && Object.keys(a).length > 0 ? a : null);
const allowed = <T>(sent: Sent<T>): Array<T | null> => [sent.acked, ...(sent.inFlight ? [sent.inFlight.value] : [])];

/** Check, on the restarted server, that everything the ledger says was acknowledged is there, once. */
async function verify(url: string, ledger: Ledger, label: string): Promise<{ notes: number }> {
  const session = ledger.session;
  if (!session) return { notes: 0 };
  expect((await getSession(url, session.code)).code, label).toBe(session.code);
  const fac = new SessionClient({ url, code: session.code, token: session.token });
  await fac.ready();
  const state = fac.state!;
  expect(fac.role, label).toBe('facilitator');
  for (const g of ledger.solutions) expect(state.groups.find((x) => x.id === g)?.solution, label).toBe(`Шешім ${g}`);
  if (ledger.voteOpen) expect(state.vote.status, label).toBe('open');
  if (ledger.ballotOpen) expect(state.ballots.find((b) => b.id === BALLOT_ID)?.status, label).toBe('open');

  const held = await Promise.all(
    ledger.teachers.map(async (t) => {
      const c = new SessionClient({ url, code: session.code, token: t.token });
      await c.ready();
      c.close();
      expect(c.role, `${label} ${t.name} still signed in`).toBe('participant');
      expect(c.me?.id, label).toBe(t.participantId);
      if (t.group) expect(c.me?.groupId, `${label} ${t.name}'s group`).toBe(t.group);
      const ballot = stored(c.ballot);
      const answer = c.myAnswer(BALLOT_ID);
      // Exactly the last acknowledged value, or the one in flight when the server died.
      const votes = allowed(t.vote).map(stored);
      expect(votes.some((a) => same(a, ballot)), `${label} ${t.name}'s ballot ${JSON.stringify(ballot)} in ${JSON.stringify(votes)}`).toBe(true);
      const answers = allowed(t.answer);
      expect(answers.some((a) => same(a, answer)), `${label} ${t.name}'s answer ${JSON.stringify(answer)} in ${JSON.stringify(answers)}`).toBe(true);
      return { voted: ballot !== null, answered: answer !== null };
    }),
  );
  const voters = held.filter((h) => h.voted).length;
  const answerers = held.filter((h) => h.answered).length;
  // Counted once: the facilitator's counts are the number of teachers holding one.
  if (ledger.voteOpen) expect(fac.ballotsCast, `${label} ballots counted`).toBe(voters);
  if (ledger.ballotOpen) expect(fac.answerCounts.get(BALLOT_ID)?.answers ?? 0, `${label} answers counted`).toBe(answerers);
  fac.close();

  const counts = await Promise.all(
    ['g1', 'g2'].map(async (g) => {
      const writers = ledger.teachers.filter((t) => t.group === g);
      const confirmed = writers.flatMap(confirmedNotes);
      const sent = new Map(writers.flatMap((t) => t.notes).map((n) => [n.id, n.text]));
      const view = board(url, session.id, groupBoardId(g), session.token);
      await view.synced;
      const onBoard = new Map(readNotes(view.doc).map((n) => [n.id, n.text]));
      view.close();
      for (const n of confirmed) expect(onBoard.get(n.id), `${label} confirmed note ${n.id}`).toBe(n.text);
      // Nothing else appears: every note on the board is one a teacher wrote, intact.
      for (const [id, text] of onBoard) expect(sent.get(id), `${label} note ${id}`).toBe(text);
      return confirmed.length;
    }),
  );
  const notes = counts[0]! + counts[1]!;
  return { notes };
}

describe('SIGKILL at random moments of a scripted session', () => {
  it(`loses nothing acknowledged, counted once, in ${TRIALS} trials (seed ${SEED})`, { timeout: 240_000 }, async () => {
    const random = rng(SEED);
    let server = await startServer();
    servers.push(server);
    let withNotes = 0;
    for (let trial = 1; trial <= TRIALS; trial++) {
      // A quarter of the kills count from the session's start (most land in its setup), the rest from the first confirmed note.
      const inSetup = random() < 0.25;
      const killAfter = Math.floor(random() * (inSetup ? 400 : 1200));
      const label = `trial ${trial} (seed ${SEED}, kill ${killAfter} ms after ${inSetup ? 'the start' : 'the first note'}):`;
      const ledger = newLedger();
      const work = runSession(server.url, ledger).catch(() => undefined);
      if (!inSetup) await Promise.race([work, ledger.writing]);
      await Promise.race([work, sleep(killAfter)]);
      await server.kill('SIGKILL');
      ledger.stopped = true;
      for (const o of ledger.open) o.close();

      server = await startServer({ dataDir: server.dataDir, port: server.port });
      servers.push(server);
      expect(ledger.refusals, label).toEqual([]);
      const { notes } = await verify(server.url, ledger, label);
      if (notes > 0) withNotes++;
    }
    // Most trials had confirmed notes to lose.
    expect(withNotes, `trials with confirmed notes (seed ${SEED})`).toBeGreaterThanOrEqual(TRIALS / 2);
  });
});

/** Really away: the socket closed, no reconnect attempts, for this long. */
const OFFLINE_MS = 120_000;
/** One edit on each side every so often while apart. */
const EDIT_EVERY_MS = 10_000;

describe('a board client offline for two minutes', () => {
  it('writes while away, others write too, and on reconnect both sides merge', { timeout: OFFLINE_MS + 60_000 }, async () => {
    const server = await startServer();
    servers.push(server);
    const { url } = server;
    const fac = await newFacilitator(url, { locale: 'ru', title: 'Без сети' });
    const [away, here] = await Promise.all(['Асель', 'Бахыт'].map((n) => newTeacher(url, fac.created.code, n)));
    for (const t of [away!, here!]) expect((await fac.client.command({ type: 'participant.move', participantId: t.participantId, groupId: 'g1' })).ok).toBe(true);
    const sid = fac.created.id;
    const awayBoard = new ConfirmedBoard(url, sid, groupBoardId('g1'), away!.token);
    const hereBoard = new ConfirmedBoard(url, sid, groupBoardId('g1'), here!.token);
    await Promise.all([awayBoard.synced, hereBoard.synced]);
    const note = (doc: Y.Doc, id: string, text: string, who: typeof away) =>
      addNote(doc, { id, text, color: 'yellow', authorId: who!.participantId, authorName: who!.name, stageId: 's1', createdAt: Date.now() });
    hereBoard.write((doc) => note(doc, 'shared', 'Общая', here));
    await hereBoard.confirm();
    await waitFor(() => readNotes(awayBoard.conn.doc).some((n) => n.id === 'shared'), 'both hold the shared note');

    awayBoard.conn.provider.disconnect();
    expect(awayBoard.conn.provider.wsconnected).toBe(false);
    const text = (doc: Y.Doc) => notesMap(doc).get('shared')!.get('text') as Y.Text;
    const rounds = OFFLINE_MS / EDIT_EVERY_MS;
    for (let k = 0; k < rounds; k++) {
      awayBoard.write((doc) => {
        note(doc, `away-${k}`, `Офлайн ${k}`, away);
        text(doc).insert(text(doc).length, ` A${k}`);
      });
      hereBoard.write((doc) => {
        note(doc, `here-${k}`, `Онлайн ${k}`, here);
        text(doc).insert(0, `B${k} `);
      });
      await hereBoard.confirm();
      // The one away sees none of it.
      expect(readNotes(awayBoard.conn.doc).some((n) => n.id === `here-${k}`)).toBe(false);
      await sleep(EDIT_EVERY_MS);
    }
    // Both change the same note in different ways while apart: a colour there, a move here.
    awayBoard.write((doc) => setNoteColor(doc, 'shared', 'green'));
    hereBoard.write((doc) => moveNote(doc, 'shared', { area: 'problems', x: 40, y: 50 }));
    await hereBoard.confirm();

    awayBoard.conn.provider.connect();
    await waitFor(() => awayBoard.conn.provider.wsconnected, 'the client that was away reconnects', 15_000);
    const expected = rounds * 2 + 1;
    await waitFor(() => readNotes(awayBoard.conn.doc).length === expected && readNotes(hereBoard.conn.doc).length === expected, 'both sides merged', 15_000);
    const written = await awayBoard.confirm();
    expect(written).toBe(rounds + 1);

    // A fresh reader gets the merge from the server alone.
    const fresh = board(url, sid, groupBoardId('g1'), fac.created.facilitatorToken);
    await fresh.synced;
    const notes = readNotes(fresh.doc);
    expect(notes.map((n) => n.id).sort()).toEqual(['shared', ...Array.from({ length: rounds }, (_, k) => [`away-${k}`, `here-${k}`]).flat()].sort());
    const shared = notes.find((n) => n.id === 'shared')!;
    for (let k = 0; k < rounds; k++) {
      expect(shared.text).toContain(` A${k}`);
      expect(shared.text).toContain(`B${k} `);
    }
    expect(shared.text).toContain('Общая');
    expect(shared).toMatchObject({ color: 'green', area: 'problems', x: 40, y: 50 });
    // Both clients converged on the same board (map order may differ).
    const byId = (doc: Y.Doc) => readNotes(doc).sort((a, b) => a.id.localeCompare(b.id));
    expect(byId(awayBoard.conn.doc)).toEqual(byId(fresh.doc));
    expect(byId(hereBoard.conn.doc)).toEqual(byId(fresh.doc));

    for (const b of [awayBoard, hereBoard]) b.close();
    fresh.close();
    for (const t of [away!, here!]) t.client.close();
    fac.client.close();
  });
});
