import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { io, type Socket } from 'socket.io-client';
import * as encoding from 'lib0/encoding';
import {
  addNote,
  DIARY_EVENTS,
  diaryAddSchema,
  ERROR_CODES,
  EVENTS,
  groupBoardId,
  readCards,
  readClusters,
  readNotes,
  UPDATE_PROBLEMS,
} from '@kenes/shared';
import { commandRequestSchema, pingSchema } from '@kenes/shared/schemas';
import { SessionClient } from '@kenes/shared/client';
import { startServer, type TestServer } from '../helpers/server.js';
import { board, newFacilitator, newTeacher, type Facilitator, type Teacher } from '../helpers/people.js';
import { waitFor } from '../helpers/wait.js';
import { exited } from './output.js';
import { command, commandRequest, junk, payload, RESERVED, rid, shortReport } from './socket-junk.js';
import { damaged, frame, longTextUpdate, MESSAGE_AWARENESS, MESSAGE_SYNC, noteUpdate, scratchUpdate, sendOnce, updateMessage, type Outcome } from './yjs-junk.js';

/** Fixed so a failure can be replayed; fast-check prints it (and the counterexample) on failure. */
const SEED = Number(process.env.KENES_FUZZ_SEED ?? 20_250_611);
const run = (numRuns: number, salt: number) => ({ seed: SEED + salt, numRuns, endOnFailure: true, reporter: shortReport });

let server: TestServer;
let fac: Facilitator;
let alice: Teacher;
let bob: Teacher;
let mallory: Teacher;
let teacherSocket: Socket;
let screenSocket: Socket;
let facSocket: Socket;
/** A teacher of another session, whose token means nothing here. */
let stranger: Teacher;

const BALLOTS = { alice: { g1: 2 }, bob: { g1: 1, g2: 1 } };
let before: { notes: string; version: number; ballots: number };

const boardJson = (doc: Parameters<typeof readNotes>[0]) => JSON.stringify({ notes: readNotes(doc), clusters: readClusters(doc), cards: readCards(doc) });

async function groupBoard(url: string): Promise<string> {
  const b = board(url, fac.created.id, groupBoardId('g1'), fac.created.facilitatorToken);
  await b.synced;
  const json = boardJson(b.doc);
  b.close();
  return json;
}

/** Control state version and ballot count as a fresh facilitator connection sees them. */
async function control(url: string): Promise<{ version: number; ballots: number }> {
  const c = new SessionClient({ url, code: fac.created.code, token: fac.created.facilitatorToken });
  await c.ready();
  const seen = { version: c.state!.version, ballots: c.ballotsCast };
  c.close();
  return seen;
}

function connect(auth: Record<string, unknown>): Promise<Socket> {
  const socket = io(server.url, { auth, transports: ['websocket'], reconnectionDelay: 100 });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/** A refusal the user can read: `{ ok: false, error: { code, message } }` with a known code, never `internal`. */
function expectRefusal(answer: unknown, what: string): void {
  const a = answer as { ok?: unknown; error?: { code?: unknown; message?: unknown } } | null;
  expect(a?.ok, `${what}: ${JSON.stringify(answer)?.slice(0, 200)}`).toBe(false);
  expectErrorBody(a?.error, what);
}

function expectErrorBody(error: unknown, what: string): void {
  const e = error as { code?: unknown; message?: unknown } | undefined;
  expect(ERROR_CODES as readonly unknown[], what).toContain(e?.code);
  expect(e?.code, what).not.toBe('internal');
  expect(typeof e?.message === 'string' && e.message.length > 0, what).toBe(true);
}

const ask = (socket: Socket, event: string, payload: unknown, extra: unknown[] = []) =>
  socket.timeout(10_000).emitWithAck(event, payload, ...extra) as Promise<unknown>;

beforeAll(async () => {
  server = await startServer({ env: { CODE_MISSES_PER_MINUTE: '1000000' } });
  fac = await newFacilitator(server.url, { locale: 'en', title: 'Bad input' });
  const code = fac.created.code;
  alice = await newTeacher(server.url, code, 'Alice');
  bob = await newTeacher(server.url, code, 'Bob');
  for (const t of [alice, bob]) expect((await fac.client.command({ type: 'participant.move', participantId: t.participantId, groupId: 'g1' })).ok).toBe(true);
  await waitFor(() => alice.client.me?.groupId === 'g1' && bob.client.me?.groupId === 'g1', 'grouped');
  // Mallory joins last and has no group: nothing she may do changes anything.
  mallory = await newTeacher(server.url, code, 'Mallory');
  const other = await newFacilitator(server.url, { locale: 'en', title: 'Elsewhere' });
  stranger = await newTeacher(server.url, other.created.code, 'Stranger');
  other.client.close();
  stranger.client.close();

  const writer = board(server.url, fac.created.id, groupBoardId('g1'), alice.token);
  await writer.synced;
  for (let i = 0; i < 12; i++)
    addNote(writer.doc, { id: `n${i}`, text: `Note ${i}`, color: 'yellow', authorId: alice.participantId, authorName: alice.name, stageId: 's1', createdAt: i, area: i % 2 ? 'facts' : 'problems', x: i, y: i });
  const reader = board(server.url, fac.created.id, groupBoardId('g1'), bob.token);
  await reader.synced;
  await waitFor(() => readNotes(reader.doc).length === 12, 'notes stored');
  writer.close();
  reader.close();

  expect((await fac.client.command({ type: 'group.solution', groupId: 'g1', text: 'First' })).ok).toBe(true);
  expect((await fac.client.command({ type: 'group.solution', groupId: 'g2', text: 'Second' })).ok).toBe(true);
  expect((await fac.client.command({ type: 'vote.open' })).ok).toBe(true);
  await waitFor(() => alice.client.state?.vote.status === 'open' && bob.client.state?.vote.status === 'open', 'vote open');
  expect((await alice.client.vote(BALLOTS.alice)).ok).toBe(true);
  expect((await bob.client.vote(BALLOTS.bob)).ok).toBe(true);

  teacherSocket = await connect({ code, token: mallory.token });
  screenSocket = await connect({ code });
  facSocket = await connect({ code, token: fac.created.facilitatorToken });
  before = { notes: await groupBoard(server.url), ...(await control(server.url)) };
  expect(before.ballots).toBe(2);
});

afterAll(async () => {
  for (const s of [teacherSocket, screenSocket, facSocket]) s?.close();
  for (const t of [alice, bob, mallory]) t?.client.close();
  fac?.client.close();
  await server?.kill('SIGTERM');
});

const KNOWN = new Set<string>([...Object.values(EVENTS), ...Object.values(DIARY_EVENTS)]);
const unknownEvent = fc.string({ minLength: 1, maxLength: 40 }).filter((e) => !KNOWN.has(e) && !RESERVED.has(e));
const fails = (schema: { safeParse(v: unknown): { success: boolean } }) => (v: unknown) => !schema.safeParse(v).success;
/** Allocations that cannot count: unknown options, or more dots than allowed. */
const badAllocation = fc.oneof(
  fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }).filter((k) => k !== 'g1' && k !== 'g2'), fc.oneof(fc.integer({ min: -3, max: 30 }), junk), { minKeys: 1, maxKeys: 5 }),
  fc.record({ g1: fc.integer({ min: 3, max: 200 }) }),
  fc.record({ g1: fc.integer({ min: 2, max: 20 }), g2: fc.integer({ min: 2, max: 20 }) }),
  junk,
);

/** [event, payload] pairs a teacher without a group, or the projector, may send and must see refused. */
const hostileEvent: fc.Arbitrary<[string, unknown]> = fc.oneof(
  { weight: 8, arbitrary: commandRequest.map((p): [string, unknown] => [EVENTS.command, p]) },
  { weight: 2, arbitrary: fc.oneof(fc.record({ rid, allocation: badAllocation }), junk).map((p): [string, unknown] => [EVENTS.vote, p]) },
  fc.oneof(fc.record({ rid, ballotId: fc.string({ maxLength: 20 }), answer: junk }), junk).map((p): [string, unknown] => [EVENTS.ballotAnswer, p]),
  fc.oneof(fc.record({ ballotId: fc.string({ maxLength: 20 }) }), junk).map((p): [string, unknown] => [EVENTS.ballotAnswers, p]),
  fc.oneof(fc.record({ rid }), junk).map((p): [string, unknown] => [EVENTS.invite, p]),
  payload.filter(fails(pingSchema)).map((p): [string, unknown] => [EVENTS.ping, p]),
  fc.oneof(fc.record({ rid, kind: junk, text: junk, shared: junk }, { requiredKeys: [] }), junk).filter(fails(diaryAddSchema)).map((p): [string, unknown] => [DIARY_EVENTS.add, p]),
  fc.oneof(fc.record({ rid, id: fc.string({ maxLength: 20 }), text: fc.string({ maxLength: 20 }) }, { requiredKeys: [] }), junk).map((p): [string, unknown] => [DIARY_EVENTS.update, p]),
  fc.oneof(fc.record({ rid, id: fc.string({ maxLength: 20 }) }), junk).map((p): [string, unknown] => [DIARY_EVENTS.delete, p]),
  { weight: 2, arbitrary: fc.tuple(unknownEvent, payload) },
);
const extras = fc.array(junk, { maxLength: 2 });

describe('malformed, oversized and out-of-order Socket.IO input', () => {
  it('refuses every event a teacher without a group sends, with a clear error', async () => {
    await fc.assert(
      fc.asyncProperty(hostileEvent, extras, async ([event, p], more) => {
        expectRefusal(await ask(teacherSocket, event, p, more), event);
      }),
      run(1500, 1),
    );
  });

  it('refuses every event from the read-only projector', async () => {
    const screenEvent = fc.oneof(hostileEvent, fc.constant<[string, unknown]>([DIARY_EVENTS.list, {}]));
    await fc.assert(
      fc.asyncProperty(screenEvent, async ([event, p]) => {
        expectRefusal(await ask(screenSocket, event, p), event);
      }),
      run(500, 2),
    );
  });

  it('refuses the facilitator malformed commands, stale stage changes and timer moves out of order', async () => {
    const stale = fc.record({ rid: fc.string({ minLength: 8, maxLength: 64 }), cmd: fc.record({ type: fc.constant('stage.go'), index: fc.integer({ min: -2, max: 12 }), from: fc.integer({ min: -2, max: 12 }).filter((f) => f !== 0) }) });
    const outOfOrder = fc.record({ rid: fc.string({ minLength: 8, maxLength: 64 }), cmd: fc.constantFrom({ type: 'timer.pause' }, { type: 'timer.resume' }) });
    const malformed = fc.oneof(commandRequest, fc.record({ rid, cmd: command })).filter(fails(commandRequestSchema));
    await fc.assert(
      fc.asyncProperty(fc.oneof(stale, outOfOrder, malformed), async (p) => {
        expectRefusal(await ask(facSocket, EVENTS.command, p), 'command');
      }),
      run(600, 3),
    );
  });

  it('answers a refused event sent without an ack callback with a failure event', async () => {
    await fc.assert(
      fc.asyncProperty(hostileEvent, async ([event, p]) => {
        const failure = new Promise<unknown>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no failure event for ${event}`)), 10_000);
          teacherSocket.once(EVENTS.failure, (body: unknown) => {
            clearTimeout(timer);
            resolve(body);
          });
        });
        teacherSocket.emit(event, p);
        expectErrorBody(await failure, event);
      }),
      run(400, 4),
    );
  });

  it('refuses handshakes with junk credentials, and commands sent before them never act', async () => {
    const code = fac.created.code;
    const auth = fc.record(
      {
        code: fc.oneof(fc.constant(code), fc.constant(code.toLowerCase()), fc.string({ maxLength: 10 }), junk),
        token: fc.oneof(fc.string({ minLength: 20, maxLength: 40 }), fc.constant(stranger.token), fc.constant(fac.created.facilitatorToken + 'x'), junk),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(auth, commandRequest, async (credentials, early) => {
        const socket = io(server.url, { auth: credentials as Record<string, unknown>, transports: ['websocket'], reconnection: false });
        const answer = socket.timeout(10_000).emitWithAck(EVENTS.command, early).catch(() => 'never answered');
        const outcome = await new Promise<{ refused: unknown } | { role: string }>((resolve) => {
          socket.once('connect_error', (err: Error & { data?: unknown }) => resolve({ refused: err.data }));
          socket.once(EVENTS.welcome, (w: { role: string }) => resolve({ role: w.role }));
        });
        if ('refused' in outcome) {
          expectErrorBody(outcome.refused, 'handshake');
          expect(['not_found', 'unauthorized']).toContain((outcome.refused as { code: string }).code);
        } else {
          // No usable token is the read-only projector, by design: the early command is then refused.
          expect(outcome.role).toBe('screen');
          expectRefusal(await answer, 'early command');
        }
        socket.close();
      }),
      run(150, 5),
    );
  });

  it('closes a connection that sends more than 256 KiB, and the client comes back', async () => {
    for (const size of [300_000, 1_200_000]) {
      const socket = await connect({ code: fac.created.code, token: mallory.token });
      const gone = new Promise<string>((resolve) => socket.once('disconnect', resolve));
      socket.emit(EVENTS.command, { rid: 'r'.repeat(16), cmd: { type: 'case.set', case: { title: 'x'.repeat(size), situation: '', questions: '' } } });
      expect(await gone).toMatch(/transport (close|error)/);
      await waitFor(() => socket.connected, 'reconnects', 10_000);
      expectRefusal(await ask(socket, EVENTS.command, { rid: 'r'.repeat(16), cmd: { type: 'timer.start' } }), 'after reconnect');
      socket.close();
    }
  });
});

describe('malformed, oversized and damaged board messages', () => {
  const url = () => `${server.url.replace('http', 'ws')}/yjs/${fac.created.id}/${groupBoardId('g1')}?token=${alice.token}`;
  const named = (o: Outcome) => 'closed' in o && o.closed.code === 1008 && (UPDATE_PROBLEMS as readonly string[]).includes(o.closed.reason);
  /** Either refused with a named reason, or harmless and the socket still answers. */
  const namedOrAlive = (o: Outcome) => 'alive' in o || named(o);
  const refusedAs = (reason: string) => (o: Outcome) => expect(o).toEqual({ closed: { code: 1008, reason } });

  it('closes with `malformed` on unknown message types and sync kinds', async () => {
    const wrongType = fc.tuple(fc.integer({ min: 0, max: 100_000 }).filter((t) => t !== 0 && t !== 1 && t !== 3), fc.uint8Array({ maxLength: 64 }));
    const wrongKind = fc.tuple(fc.integer({ min: 3, max: 100_000 }), fc.uint8Array({ maxLength: 64 }));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          wrongType.map(([t, rest]) => frame(t, (e) => encoding.writeUint8Array(e, rest))),
          wrongKind.map(([k, rest]) => frame(MESSAGE_SYNC, (e) => encoding.writeVarUint(e, k), (e) => encoding.writeUint8Array(e, rest))),
        ),
        async (message) => {
          refusedAs('malformed')(await sendOnce(url(), message));
        },
      ),
      run(250, 11),
    );
  });

  it('closes with `malformed` on every truncation of a real update, never applying part of it', async () => {
    const whole = updateMessage(noteUpdate());
    const inner = noteUpdate();
    const cut = fc.oneof(
      fc.integer({ min: 1, max: whole.length - 1 }).map((n) => whole.slice(0, n)),
      fc.integer({ min: 0, max: inner.length - 1 }).map((n) => updateMessage(inner.slice(0, n))),
    );
    await fc.assert(
      fc.asyncProperty(cut, async (message) => {
        refusedAs('malformed')(await sendOnce(url(), message));
      }),
      run(250, 12),
    );
  });

  it('refuses or survives random bytes, damaged updates and junk awareness, naming the reason', async () => {
    const base = scratchUpdate();
    const message = fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 512 }),
      fc.uint8Array({ minLength: 1, maxLength: 512 }).map((b) => Uint8Array.of(MESSAGE_SYNC, 2, ...b)),
      damaged(base).map(updateMessage),
      fc.uint8Array({ maxLength: 64 }).map((junkTail) => updateMessage(Uint8Array.of(...base, ...junkTail))),
      fc.oneof(fc.uint8Array({ maxLength: 128 }), fc.json().map((j) => new TextEncoder().encode(j))).map((b) => frame(MESSAGE_AWARENESS, (e) => encoding.writeVarUint8Array(e, b))),
    );
    await fc.assert(
      fc.asyncProperty(message, async (m) => {
        const outcome = await sendOnce(url(), m);
        expect(namedOrAlive(outcome), JSON.stringify(outcome)).toBe(true);
      }),
      run(600, 13),
    );
  });

  it('closes with `too_large` on a note-length breach and 1009 past the message cap', async () => {
    for (const n of [1001, 5000, 200_000]) refusedAs('too_large')(await sendOnce(url(), updateMessage(longTextUpdate(n))));
    const outcome = await sendOnce(url(), new Uint8Array((1 << 20) + 10));
    expect(outcome).toMatchObject({ closed: { code: 1009 } });
  });
});

describe('after the barrage', () => {
  it('is up, serves a normal client, and every board, tally and state is exactly as it was, also after a restart', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    expect(server.process.exitCode).toBeNull();

    // A new teacher joins, writes on their own board and keeps a diary: all works.
    const newcomer = await newTeacher(server.url, fac.created.code, 'Newcomer');
    expect((await newcomer.client.diaryAdd({ kind: 'observation', text: 'Still fine' })).ok).toBe(true);
    const own = board(server.url, fac.created.id, `p-${newcomer.participantId}`, newcomer.token);
    await own.synced;
    addNote(own.doc, { id: 'ok1', text: 'Works', color: 'green', authorId: newcomer.participantId, authorName: newcomer.name, stageId: 's1', createdAt: 1 });
    const check = board(server.url, fac.created.id, `p-${newcomer.participantId}`, fac.created.facilitatorToken);
    await waitFor(() => readNotes(check.doc).some((n) => n.text === 'Works'), 'the newcomer’s note arrives');
    own.close();
    check.close();
    newcomer.client.close();

    expect(await groupBoard(server.url)).toBe(before.notes);
    expect(await control(server.url)).toEqual({ version: before.version, ballots: before.ballots });

    // Restart on the same data: the stored log replays to the same board.
    await server.kill('SIGTERM');
    expect(await exited(server)).toBe(0);
    server = await startServer({ dataDir: server.dataDir, port: server.port });
    expect(await groupBoard(server.url)).toBe(before.notes);
    await waitFor(() => fac.client.status === 'online', 'facilitator back', 15_000);

    expect((await fac.client.command({ type: 'vote.close' })).ok).toBe(true);
    expect((await fac.client.command({ type: 'vote.reveal' })).ok).toBe(true);
    const results = await waitFor(() => fac.client.state?.vote.results, 'results');
    expect(results.voters).toBe(2);
    expect(Object.fromEntries(results.ranking.map((r) => [r.optionId, r.votes]))).toEqual({ g1: 3, g2: 1 });
  });
});
