import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import WebSocket from 'ws';
import * as encoding from 'lib0/encoding';
import { addNote, groupBoardId, personalBoardId, readNotes, type Command, type CommandType } from '@kenes/shared';
import { commandSchema } from '@kenes/shared/schemas';
import { SessionClient } from '@kenes/shared/client';
import { startServer, type TestServer } from '../helpers/server.js';
import { board, newFacilitator, newTeacher, type Facilitator, type Teacher } from '../helpers/people.js';
import { waitFor } from '../helpers/wait.js';

let server: TestServer;
let fac: Facilitator;
let alice: Teacher;
let bob: Teacher;

beforeAll(async () => {
  server = await startServer({ env: { CODE_MISSES_PER_MINUTE: '5' } });
  fac = await newFacilitator(server.url, { locale: 'en', title: 'Permissions' });
  alice = await newTeacher(server.url, fac.created.code, 'Alice');
  bob = await newTeacher(server.url, fac.created.code, 'Bob');
  await fac.client.command({ type: 'groups.split', count: 2 });
  await waitFor(() => alice.client.me?.groupId && bob.client.me?.groupId, 'groups assigned');
});

afterAll(async () => {
  alice.client.close();
  bob.client.close();
  fac.client.close();
  await server.kill('SIGTERM');
});

type FacilitatorOnly = Exclude<CommandType, 'group.choose' | 'group.solution' | 'group.role' | 'board.publish'>;

/**
 * A valid example of every command only a facilitator may run. Keyed by type, so a new command
 * does not compile here until it has an example; the first test also checks this list against
 * the protocol's schema at run time.
 */
const FACILITATOR_EXAMPLES: { [T in FacilitatorOnly]: Extract<Command, { type: T }> } = {
  'stage.go': { type: 'stage.go', index: 1 },
  'stage.edit': { type: 'stage.edit', index: 0, title: 'Hijacked' },
  'stage.settings': { type: 'stage.settings', index: 0, privateWriting: true },
  'stage.reveal': { type: 'stage.reveal', index: 0 },
  'timer.start': { type: 'timer.start' },
  'timer.pause': { type: 'timer.pause' },
  'timer.resume': { type: 'timer.resume' },
  'timer.add': { type: 'timer.add', ms: 60_000 },
  'timer.reset': { type: 'timer.reset' },
  'session.edit': { type: 'session.edit', title: 'Hijacked' },
  'case.set': { type: 'case.set', case: { title: 'x', situation: 'y', questions: 'z' } },
  'protocol.edit': { type: 'protocol.edit', protocol: { summary: 'Hijacked', decisions: ['Hijacked'] } },
  'groups.split': { type: 'groups.split', count: 3 },
  'groups.mode': { type: 'groups.mode', mode: 'self' },
  'group.add': { type: 'group.add' },
  'group.rename': { type: 'group.rename', groupId: 'g1', name: 'Hijacked' },
  'participant.move': { type: 'participant.move', participantId: 'anyone', groupId: 'g1' },
  'vote.configure': { type: 'vote.configure', dots: 5, maxPerOption: 5 },
  'vote.open': { type: 'vote.open' },
  'vote.close': { type: 'vote.close' },
  'vote.reveal': { type: 'vote.reveal' },
  'vote.reset': { type: 'vote.reset' },
  'decision.record': { type: 'decision.record', optionId: null, title: 'Hijacked', reason: '' },
  'screen.show': { type: 'screen.show', board: null },
  'screen.ballot': { type: 'screen.ballot', ballotId: null },
  'follow.set': { type: 'follow.set', board: 'plenary' },
  'ballot.create': { type: 'ballot.create', ballot: { id: 'hijack', kind: 'single', title: 'x', options: [{ id: 'a', label: 'A' }] } },
  'ballot.update': { type: 'ballot.update', ballotId: 'b1', changes: { title: 'Hijacked' } },
  'ballot.open': { type: 'ballot.open', ballotId: 'b1' },
  'ballot.close': { type: 'ballot.close', ballotId: 'b1' },
  'ballot.reopen': { type: 'ballot.reopen', ballotId: 'b1' },
  'ballot.reveal': { type: 'ballot.reveal', ballotId: 'b1' },
  'ballot.round': { type: 'ballot.round', ballotId: 'b1' },
  'ballot.delete': { type: 'ballot.delete', ballotId: 'b1' },
  'ngt.order': { type: 'ngt.order', ballotId: 'b1', order: ['a'] },
  'ngt.next': { type: 'ngt.next', ballotId: 'b1' },
  'interview.guide': { type: 'interview.guide', questions: [{ text: 'Hijacked' }] },
  'interview.themes': { type: 'interview.themes', themes: [{ label: 'Hijacked' }] },
  'interview.settings': { type: 'interview.settings', open: true, shown: true },
};
const FACILITATOR_ONLY: Command[] = Object.values(FACILITATOR_EXAMPLES);
const TEACHER_COMMANDS: Command[] = [
  { type: 'group.choose', groupId: 'g1' },
  { type: 'group.solution', groupId: 'g1', text: 'Hijacked' },
  { type: 'group.role', groupId: 'g1', role: 'speaker', participantId: null },
  { type: 'board.publish', groupId: 'g1', noteIds: ['n1'] },
];

describe('who may do what', () => {
  it('refuses every facilitator action from a teacher and changes nothing', async () => {
    const schemaTypes = commandSchema.options.map((o) => o.shape.type.value).sort();
    expect([...FACILITATOR_ONLY, ...TEACHER_COMMANDS].map((c) => c.type).sort()).toEqual(schemaTypes);
    for (const cmd of FACILITATOR_ONLY) expect(commandSchema.safeParse(cmd).success, cmd.type).toBe(true);
    const before = fac.client.state!.version;
    for (const cmd of FACILITATOR_ONLY) {
      const ack = await alice.client.command(cmd);
      expect(ack, cmd.type).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(fac.client.state!.version).toBe(before);
    const invite = await alice.client.invite();
    expect(invite).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('refuses every action from the read-only projector', async () => {
    const screen = new SessionClient({ url: server.url, code: fac.created.code });
    await screen.ready();
    expect(screen.role).toBe('screen');
    const before = fac.client.state!.version;
    for (const cmd of [...FACILITATOR_ONLY, ...TEACHER_COMMANDS]) {
      expect(await screen.command(cmd), cmd.type).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(fac.client.state!.version).toBe(before);
    expect(await screen.vote({})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    screen.close();
  });

  it('refuses a socket with a forged token and an unknown room', async () => {
    const forged = new SessionClient({ url: server.url, code: fac.created.code, token: 'x'.repeat(32) });
    await waitFor(() => forged.status === 'refused', 'refusal');
    expect(forged.refusal?.code).toBe('unauthorized');
    forged.close();
  });

  it('never sends a ballot or unrevealed results to teachers', async () => {
    await fac.client.command({ type: 'group.solution', groupId: 'g1', text: 'A' });
    await fac.client.command({ type: 'group.solution', groupId: 'g2', text: 'B' });
    await fac.client.command({ type: 'vote.open' });
    await waitFor(() => bob.client.state?.vote.status === 'open', 'vote open');
    const seen: string[] = [];
    bob.client.socket.onAny((event: string, payload: unknown) => seen.push(`${event} ${JSON.stringify(payload)}`));
    expect((await alice.client.vote({ g1: 2 })).ok).toBe(true);
    await new Promise((r) => setTimeout(r, 400));
    expect(seen.join('\n')).not.toContain('"g1":2');
    expect(bob.client.state!.vote.results).toBeNull();
    // The facilitator sees how many voted, never who voted what.
    await waitFor(() => fac.client.ballotsCast === 1, 'progress');
  });

  it('refuses unknown events and malformed payloads with a clear error', async () => {
    const unknown = await alice.client.socket.emitWithAck('stage.hack', {});
    expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown_event' } });
    const malformed = await alice.client.socket.emitWithAck('command', { rid: 'short', cmd: { type: 'stage.go' } });
    expect(malformed).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    const tooLong = await fac.client.command({ type: 'session.edit', title: 'x'.repeat(201) });
    expect(tooLong).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(fac.client.state!.title).toBe('Permissions');
  });

  it('refuses a join with an empty or over-long name', async () => {
    const post = (name: string) =>
      fetch(`${server.url}/api/sessions/${fac.created.code}/participants`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name }),
      });
    expect((await post('   ')).status).toBe(400);
    expect((await post('x'.repeat(61))).status).toBe(400);
    expect(fac.client.roster.size).toBe(2);
  });

  it('lets a teacher write only their own and their group boards', async () => {
    const bobsGroup = bob.client.me!.groupId!;
    const alicesGroup = alice.client.me!.groupId!;
    expect(bobsGroup).not.toBe(alicesGroup);
    const refused = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${server.url.replace('http', 'ws')}/yjs/${alice.sessionId}/${groupBoardId(bobsGroup)}?token=${alice.token}`);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
    });
    expect(refused).toBe(403);
    const own = board(server.url, alice.sessionId, personalBoardId(alice.participantId), alice.token);
    await own.synced;
    own.close();
    const group = board(server.url, alice.sessionId, groupBoardId(alicesGroup), alice.token);
    await group.synced;
    group.close();
  });

  it('drops a projector write and keeps the projected board intact', async () => {
    const gid = alice.client.me!.groupId!;
    const writer = board(server.url, alice.sessionId, groupBoardId(gid), alice.token);
    await writer.synced;
    addNote(writer.doc, { id: 'keep', text: 'keep me', color: 'blue', authorId: alice.participantId, authorName: 'Alice', stageId: 's1', createdAt: 1 });
    await fac.client.command({ type: 'screen.show', board: groupBoardId(gid) });
    const projector = board(server.url, alice.sessionId, groupBoardId(gid));
    await projector.synced;
    await waitFor(() => readNotes(projector.doc).length === 1, 'projector sees the board');
    addNote(projector.doc, { id: 'intruder', text: 'from the projector', color: 'pink', authorId: 'x', authorName: 'x', stageId: 's1', createdAt: 2 });
    await new Promise((r) => setTimeout(r, 500));
    expect(readNotes(writer.doc).map((n) => n.id)).toEqual(['keep']);
    projector.close();
    writer.close();
  });

  it('closes a connection that sends a malformed or oversized update, leaving the board untouched', async () => {
    const gid = alice.client.me!.groupId!;
    const url = `${server.url.replace('http', 'ws')}/yjs/${alice.sessionId}/${groupBoardId(gid)}?token=${alice.token}`;
    const sendAndAwaitClose = (message: Uint8Array) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(url);
        ws.on('open', () => ws.send(message));
        ws.on('close', (code) => resolve(code));
      });
    const garbage = encoding.createEncoder();
    encoding.writeVarUint(garbage, 0);
    encoding.writeVarUint(garbage, 2);
    encoding.writeVarUint8Array(garbage, new Uint8Array([200, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    expect(await sendAndAwaitClose(encoding.toUint8Array(garbage))).not.toBe(1000);

    const doc = new Y.Doc();
    addNote(doc, { id: 'huge', text: 'x'.repeat(1001), color: 'yellow', authorId: alice.participantId, authorName: 'Alice', stageId: 's1', createdAt: 3 });
    const huge = encoding.createEncoder();
    encoding.writeVarUint(huge, 0);
    encoding.writeVarUint(huge, 2);
    encoding.writeVarUint8Array(huge, Y.encodeStateAsUpdate(doc));
    expect(await sendAndAwaitClose(encoding.toUint8Array(huge))).toBe(1008);

    // Over the message limit the server drops the socket (1009, or 1006 when the close frame is lost to the reset).
    expect([1006, 1009]).toContain(await sendAndAwaitClose(new Uint8Array(2 * 1024 * 1024)));

    const check = board(server.url, alice.sessionId, groupBoardId(gid), alice.token);
    await check.synced;
    expect(readNotes(check.doc).map((n) => n.id)).toEqual(['keep']);
    check.close();
  });

  it('rate-limits room-code guessing per address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await fetch(`${server.url}/api/sessions/ZZZZZ${i + 2}`)).status);
    expect(statuses.slice(0, 5)).toEqual([404, 404, 404, 404, 404]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    // Even the right code is refused from that address for the rest of the minute.
    expect((await fetch(`${server.url}/api/sessions/${fac.created.code}`)).status).toBe(429);
  });
});
