import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import WebSocket from 'ws';
import {
  addNote,
  boardRefusal,
  editNote,
  groupBoardId,
  notesMap,
  personalBoardId,
  PLENARY_BOARD_ID,
  readNotes,
  type CommandAck,
  type NewNote,
} from '@kenes/shared';
import { SessionClient, type BoardConnection } from '@kenes/shared/client';
import { startServer, type TestServer } from '../helpers/server.js';
import { board, newFacilitator, newTeacher, type Facilitator, type Teacher } from '../helpers/people.js';
import { waitFor } from '../helpers/wait.js';
import { updateMessage } from '../helpers/yjs-messages.js';

let server: TestServer;
let fac: Facilitator;
let alice: Teacher;
let bob: Teacher;
let carol: Teacher;
const open: BoardConnection[] = [];

/** The design-thinking template: stage 4 (id s4) is ideation, with private writing. */
const IDEATION = 3;

beforeAll(async () => {
  server = await startServer();
  fac = await newFacilitator(server.url, { template: 'design-thinking', locale: 'en', title: 'Boards' });
  alice = await newTeacher(server.url, fac.created.code, 'Alice');
  bob = await newTeacher(server.url, fac.created.code, 'Bob');
  carol = await newTeacher(server.url, fac.created.code, 'Carol');
  for (const [t, g] of [[alice, 'g1'], [bob, 'g1'], [carol, 'g2']] as const) {
    expect((await fac.client.command({ type: 'participant.move', participantId: t.participantId, groupId: g })).ok).toBe(true);
    await waitFor(() => t.client.me?.groupId === g, `${t.name} in ${g}`);
  }
});

afterEach(() => {
  for (const b of open.splice(0)) b.close();
});

afterAll(async () => {
  for (const t of [alice, bob, carol]) t?.client.close();
  fac?.client.close();
  await server.kill('SIGTERM');
});

const sid = () => fac.created.id;
const facToken = () => fac.created.facilitatorToken;

/** Open a board as someone (no token: the projector) and wait for the first sync. */
async function opened(boardId: string, token?: string): Promise<BoardConnection> {
  const b = board(server.url, sid(), boardId, token);
  open.push(b);
  await b.synced;
  return b;
}

/** The HTTP status of a board upgrade: 101 when it opens, 403 when refused. */
function upgradeStatus(boardId: string, token?: string): Promise<number> {
  return new Promise((resolve) => {
    const q = token ? `?token=${token}` : '';
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/yjs/${sid()}/${boardId}${q}`);
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
  });
}

/** The next close a board connection gets from the server: its code and reason. */
function nextClose(b: BoardConnection): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => {
    b.provider.once('connection-close', (event) => resolve({ code: event?.code ?? 0, reason: event?.reason ?? '' }));
  });
}

const note = (id: string, author: Teacher | null, stageId: string, text = `${id} text`): NewNote => ({
  id,
  text,
  color: 'yellow',
  authorId: author?.participantId ?? 'facilitator',
  authorName: author?.name ?? 'Facilitator',
  stageId,
  createdAt: Date.now(),
});

const ids = (doc: Y.Doc) => readNotes(doc).map((n) => n.id).sort();
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('private writing and the reveal', () => {
  it('keeps a teacher’s private notes from their groupmates until the reveal, then puts them on the group board', async () => {
    expect((await fac.client.command({ type: 'stage.go', index: IDEATION })).ok).toBe(true);
    expect(fac.client.state!.stages[IDEATION]).toMatchObject({ id: 's4', privateWriting: true, revealed: false });

    const mine = await opened(personalBoardId(alice.participantId), alice.token);
    addNote(mine.doc, note('alice-idea-1', alice, 's4', 'Peer observation every Friday'));
    addNote(mine.doc, note('alice-idea-2', alice, 's4', 'A shared bank of lesson criteria'));
    addNote(mine.doc, note('alice-other-stage', alice, 's3', 'Written in another stage'));

    // Bob, in the same group, cannot open Alice's board at all…
    expect(await upgradeStatus(personalBoardId(alice.participantId), bob.token)).toBe(403);
    // …and their group board carries nothing of it, not even in the raw document.
    const bobs = await opened(groupBoardId('g1'), bob.token);
    const reveals = new Promise<void>((resolve) => bobs.doc.on('update', () => ids(bobs.doc).length >= 2 && resolve()));
    await pause(400);
    expect(ids(bobs.doc)).toEqual([]);
    expect(Buffer.from(Y.encodeStateAsUpdate(bobs.doc)).includes('Peer observation')).toBe(false);

    expect((await fac.client.command({ type: 'stage.reveal', index: IDEATION })).ok).toBe(true);
    await reveals;
    const seen = readNotes(bobs.doc);
    expect(seen.map((n) => [n.id, n.text, n.authorName, n.stageId])).toEqual([
      ['alice-idea-1', 'Peer observation every Friday', 'Alice', 's4'],
      ['alice-idea-2', 'A shared bank of lesson criteria', 'Alice', 's4'],
    ]);
    await waitFor(() => bob.client.state?.stages[IDEATION]?.revealed, 'the reveal reaches teachers');
    // Carol, in another group, still cannot open group 1's board.
    expect(await upgradeStatus(groupBoardId('g1'), carol.token)).toBe(403);
  });

  it('refuses a second reveal, and a retried reveal request copies nothing twice', async () => {
    expect(await fac.client.command({ type: 'stage.reveal', index: IDEATION })).toMatchObject({ ok: false, error: { code: 'already_revealed' } });

    // Private writing in the focus stage too, then one reveal request sent twice (a flaky network).
    const FOCUS = 2;
    expect((await fac.client.command({ type: 'stage.settings', index: FOCUS, privateWriting: true, showAuthors: false })).ok).toBe(true);
    await waitFor(() => alice.client.state?.stages[FOCUS]?.privateWriting === true && alice.client.state.stages[FOCUS]!.showAuthors === false, 'settings reach teachers');
    const mine = await opened(personalBoardId(alice.participantId), alice.token);
    addNote(mine.doc, note('alice-focus', alice, 's3', 'How might we …'));
    const bobs = await opened(groupBoardId('g1'), bob.token);
    await pause(200);
    let updates = 0;
    bobs.doc.on('update', () => updates++);

    const request = { rid: 'reveal-focus-000001', cmd: { type: 'stage.reveal', index: FOCUS } };
    const first = (await fac.client.socket.emitWithAck('command', request)) as CommandAck;
    const second = (await fac.client.socket.emitWithAck('command', request)) as CommandAck;
    expect(first.ok).toBe(true);
    expect(second).toEqual(first);
    await waitFor(() => ids(bobs.doc).includes('alice-focus'), 'the focus note revealed');
    await pause(300);
    expect(updates).toBe(1);
    // The stage-s3 note written earlier came along with this stage's reveal, once.
    expect(ids(bobs.doc)).toEqual(['alice-focus', 'alice-idea-1', 'alice-idea-2', 'alice-other-stage']);
  });
});

describe('the plenary board', () => {
  it('takes notes a group member publishes; teachers and the projector read it but cannot write', async () => {
    const ack = await bob.client.command({ type: 'board.publish', groupId: 'g1', noteIds: ['alice-idea-1'] });
    expect(ack.ok).toBe(true);
    const facs = await opened(PLENARY_BOARD_ID, facToken());
    await waitFor(() => ids(facs.doc).length === 1, 'the published note on the plenary');
    expect(readNotes(facs.doc)).toMatchObject([{ id: 'g1:alice-idea-1', text: 'Peer observation every Friday', fromGroup: 'g1', authorName: 'Alice' }]);

    // Publishing again (a new request) adds nothing twice.
    expect((await bob.client.command({ type: 'board.publish', groupId: 'g1', noteIds: ['alice-idea-1'] })).ok).toBe(true);

    const carols = await opened(PLENARY_BOARD_ID, carol.token);
    const projector = await opened(PLENARY_BOARD_ID);
    await waitFor(() => ids(carols.doc).length === 1 && ids(projector.doc).length === 1, 'readers see the plenary');
    addNote(carols.doc, note('carol-intrudes', carol, 's4'));
    addNote(projector.doc, note('projector-intrudes', null, 's4'));
    await pause(500);
    expect(ids(facs.doc)).toEqual(['g1:alice-idea-1']);
    const fresh = await opened(PLENARY_BOARD_ID, facToken());
    expect(ids(fresh.doc)).toEqual(['g1:alice-idea-1']);

    // A note that is not on the group board (e.g. still private) cannot be published.
    const unknown = await bob.client.command({ type: 'board.publish', groupId: 'g1', noteIds: ['nowhere'] });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('refuses to let a member of another group publish your group’s notes', async () => {
    const ack = await carol.client.command({ type: 'board.publish', groupId: 'g1', noteIds: ['alice-idea-2'] });
    expect(ack).toMatchObject({ ok: false, error: { code: 'not_in_group' } });
    const facs = await opened(PLENARY_BOARD_ID, facToken());
    expect(ids(facs.doc)).toEqual(['g1:alice-idea-1']);
  });
});

describe('offline edits', () => {
  it('merges notes and concurrent edits of one note made by several clients while offline', async () => {
    const a = await opened(groupBoardId('g1'), alice.token);
    const b = await opened(groupBoardId('g1'), bob.token);
    addNote(a.doc, note('shared', alice, 's4', 'lesson goal'));
    await waitFor(() => ids(b.doc).includes('shared'), 'the shared note reaches Bob');

    a.provider.disconnect();
    b.provider.disconnect();
    addNote(a.doc, note('alice-offline-1', alice, 's4'));
    addNote(a.doc, note('alice-offline-2', alice, 's4'));
    editNote(a.doc, 'shared', 'lesson goal stated aloud');
    addNote(b.doc, note('bob-offline', bob, 's4'));
    editNote(b.doc, 'shared', 'clear lesson goal');
    a.provider.connect();
    b.provider.connect();

    const expected = [...ids(a.doc), 'bob-offline'].sort();
    const text = (doc: Y.Doc) => readNotes(doc).find((n) => n.id === 'shared')?.text;
    for (const c of [a, b]) {
      await waitFor(() => ids(c.doc).join() === expected.join() && text(c.doc) === 'clear lesson goal stated aloud', 'both clients converge', 10_000);
    }
    const check = await opened(groupBoardId('g1'), facToken());
    expect(ids(check.doc)).toEqual(expected);
    expect(text(check.doc)).toBe('clear lesson goal stated aloud');
  });
});

describe('limits', () => {
  it('refuses an update that would put more than 500 notes on a board, and the board keeps its 500', async () => {
    const filler = await opened(groupBoardId('g3'), facToken());
    filler.doc.transact(() => {
      for (let i = 0; i < 500; i++) addNote(filler.doc, note(`n${i}`, null, 's4'));
    });
    const other = await opened(groupBoardId('g3'), facToken());
    await waitFor(() => notesMap(other.doc).size === 500, 'a board of 500 notes');

    const closed = nextClose(other);
    addNote(other.doc, note('one-too-many', null, 's4'));
    const close = await closed;
    expect(close).toEqual({ code: 1008, reason: 'board_full' });
    expect(boardRefusal(close)).toBe('board_full');
    other.provider.disconnect();

    const check = await opened(groupBoardId('g3'), facToken());
    expect(notesMap(check.doc).size).toBe(500);
    expect(notesMap(check.doc).has('one-too-many')).toBe(false);
    // A full board still takes edits.
    editNote(check.doc, 'n0', 'edited on a full board');
    await waitFor(() => readNotes(filler.doc).find((n) => n.id === 'n0')?.text === 'edited on a full board', 'the edit goes through');
  });

  it('refuses an update that would make a board’s document too large, leaving it untouched', async () => {
    const keeper = await opened(groupBoardId('g4'), facToken());
    addNote(keeper.doc, note('keep', null, 's4'));
    await pause(200);
    // Chunks of ~0.9 MB (each under the 1 MiB message cap), outside the notes: five pass 4 MiB.
    const chunk = (tag: string) => {
      const d = new Y.Doc();
      const junk = d.getMap('junk');
      d.transact(() => {
        for (let i = 0; i < 900; i++) junk.set(`${tag}-${i}`, 'x'.repeat(1000));
      });
      return updateMessage(Y.encodeStateAsUpdate(d));
    };
    const close = await new Promise<{ code: number; reason: string }>((resolve) => {
      const ws = new WebSocket(`${server.url.replace('http', 'ws')}/yjs/${sid()}/${groupBoardId('g4')}?token=${facToken()}`);
      ws.on('open', () => {
        for (const tag of ['a', 'b', 'c', 'd', 'e', 'f']) ws.send(chunk(tag));
      });
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    });
    expect(close).toEqual({ code: 1008, reason: 'too_large' });
    const check = await opened(groupBoardId('g4'), facToken());
    expect(ids(check.doc)).toEqual(['keep']);
    expect(check.doc.getMap('junk').size).toBe(4 * 900);
    expect(check.doc.getMap('junk').has('e-0')).toBe(false);
  });

  it('names the reason when it refuses a malformed update or an over-long note', async () => {
    const url = `${server.url.replace('http', 'ws')}/yjs/${sid()}/${groupBoardId('g4')}?token=${facToken()}`;
    const closeOf = (message: Uint8Array) =>
      new Promise<{ code: number; reason: string }>((resolve) => {
        const ws = new WebSocket(url);
        ws.on('open', () => ws.send(message));
        ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
      });
    expect(await closeOf(updateMessage(new Uint8Array([200, 1, 2, 3, 4, 5, 6, 7, 8, 9])))).toEqual({ code: 1008, reason: 'malformed' });
    const long = new Y.Doc();
    addNote(long, note('long', null, 's4', 'x'.repeat(1001)));
    expect(await closeOf(updateMessage(Y.encodeStateAsUpdate(long)))).toEqual({ code: 1008, reason: 'too_large' });
  });
});

describe('group roles and follow me', () => {
  it('tells each teacher who is in their group, and keeps it true as people move', async () => {
    const names = (t: Teacher) => t.client.mates.map((m) => m.name).sort();
    await waitFor(() => names(alice).join() === 'Alice,Bob', 'Alice knows her group');
    expect(names(bob)).toEqual(['Alice', 'Bob']);
    expect(names(carol)).toEqual(['Carol']);
    // Carol joins group 1: all three hear of it; then she goes back.
    expect((await fac.client.command({ type: 'participant.move', participantId: carol.participantId, groupId: 'g1' })).ok).toBe(true);
    for (const t of [alice, bob, carol]) await waitFor(() => names(t).join() === 'Alice,Bob,Carol', `${t.name} sees three`);
    expect((await fac.client.command({ type: 'participant.move', participantId: carol.participantId, groupId: 'g2' })).ok).toBe(true);
    await waitFor(() => names(alice).join() === 'Alice,Bob' && names(carol).join() === 'Carol', 'back to two and one');
    // A reloaded page gets its group from the welcome.
    const again = new SessionClient({ url: server.url, code: fac.created.code, token: bob.token });
    await again.ready();
    expect(again.mates.map((m) => m.name).sort()).toEqual(['Alice', 'Bob']);
    again.close();
  });

  it('shows the facilitator the roles a group’s members set, and refuses them to other groups', async () => {
    expect((await bob.client.command({ type: 'group.role', groupId: 'g1', role: 'speaker', participantId: alice.participantId })).ok).toBe(true);
    expect((await alice.client.command({ type: 'group.role', groupId: 'g1', role: 'scribe', participantId: bob.participantId })).ok).toBe(true);
    expect((await fac.client.command({ type: 'group.role', groupId: 'g1', role: 'timekeeper', participantId: bob.participantId })).ok).toBe(true);
    await waitFor(() => Object.keys(fac.client.state?.groups.find((g) => g.id === 'g1')?.roles ?? {}).length === 3, 'roles reach the facilitator');
    expect(fac.client.state!.groups.find((g) => g.id === 'g1')!.roles).toEqual({
      speaker: alice.participantId,
      scribe: bob.participantId,
      timekeeper: bob.participantId,
    });

    const outsider = await carol.client.command({ type: 'group.role', groupId: 'g1', role: 'speaker', participantId: carol.participantId });
    expect(outsider).toMatchObject({ ok: false, error: { code: 'not_in_group' } });
    // A role goes to a member of the group.
    const notMember = await bob.client.command({ type: 'group.role', groupId: 'g1', role: 'speaker', participantId: carol.participantId });
    expect(notMember).toMatchObject({ ok: false, error: { code: 'unknown_participant' } });
    expect((await bob.client.command({ type: 'group.role', groupId: 'g1', role: 'timekeeper', participantId: null })).ok).toBe(true);
    await waitFor(() => fac.client.state?.groups.find((g) => g.id === 'g1')?.roles.timekeeper === undefined, 'a role given back');
  });

  it('brings every teacher to the followed board, lets them read it, and lets them go', async () => {
    expect((await fac.client.command({ type: 'follow.set', board: groupBoardId('g1') })).ok).toBe(true);
    for (const t of [alice, bob, carol]) await waitFor(() => t.client.state?.follow === groupBoardId('g1'), `${t.name} follows`);
    expect(await fac.client.command({ type: 'follow.set', board: personalBoardId(alice.participantId) })).toMatchObject({ ok: false, error: { code: 'unknown_board' } });

    // Carol, of another group, may now read group 1's board, not write it.
    const carols = await opened(groupBoardId('g1'), carol.token);
    expect(ids(carols.doc)).toContain('alice-idea-1');
    addNote(carols.doc, note('carol-on-g1', carol, 's4'));
    const bobs = await opened(groupBoardId('g1'), bob.token);
    await pause(400);
    expect(ids(bobs.doc)).not.toContain('carol-on-g1');

    // Released: her open connection is closed for good before anything new reaches it.
    expect((await fac.client.command({ type: 'follow.set', board: null })).ok).toBe(true);
    for (const t of [alice, bob, carol]) await waitFor(() => t.client.state?.follow === null, `${t.name} released`);
    const closed = nextClose(carols);
    addNote(bobs.doc, note('after-release', bob, 's4'));
    expect((await closed).code).toBe(4403);
    await pause(200);
    expect(ids(carols.doc)).not.toContain('after-release');
    expect(await upgradeStatus(groupBoardId('g1'), carol.token)).toBe(403);

    expect((await fac.client.command({ type: 'follow.set', board: PLENARY_BOARD_ID })).ok).toBe(true);
    for (const t of [alice, bob, carol]) await waitFor(() => t.client.state?.follow === PLENARY_BOARD_ID, `${t.name} follows the plenary`);
  });
});
