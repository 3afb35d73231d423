import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { addNote, boardDocName, groupBoardId, personalBoardId, PLENARY_BOARD_ID, readNotes } from '@kenes/shared';
import { SessionHub } from '../src/realtime/hub.js';
import type { Room } from '../src/realtime/room.js';
import { SQLiteStore } from '../src/store/sqlite.js';
import { YjsEndpoint } from '../src/yjs/endpoint.js';

const quiet = { toSession() {}, toStaff() {}, toFacilitators() {}, toParticipant() {} };

let dir: string;
let store: SQLiteStore;
let hub: SessionHub;
let yjs: YjsEndpoint;
let room: Room;

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  dir = mkdtempSync(join(tmpdir(), 'kenes-effects-'));
  store = new SQLiteStore({ file: join(dir, 'kenes.db'), synchronous: 'normal' });
  hub = new SessionHub(store, quiet);
  yjs = new YjsEndpoint(store, hub);
  hub.runEffects = (r, effects) => yjs.runEffects(r, effects);
  const { state } = await hub.create({ title: 'DT', template: 'design-thinking', locale: 'en' });
  room = (await hub.byId(state.id))!;
});

afterEach(async () => {
  await hub.close();
  await yjs.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  vi.useRealTimers();
});

/** A teacher in a group whose personal board, never opened since, holds notes of stage s4. */
async function teacherWithNotes(name: string, groupId: string, noteIds: string[]): Promise<string> {
  const { participant } = await hub.join(room, name);
  expect((await hub.command(room, { role: 'facilitator' }, `move-${participant.id}`, { type: 'participant.move', participantId: participant.id, groupId })).ok).toBe(true);
  const doc = new Y.Doc();
  for (const id of noteIds) addNote(doc, { id, text: `${name}: ${id}`, color: 'blue', authorId: participant.id, authorName: name, stageId: 's4', createdAt: 1 });
  await store.appendUpdate(boardDocName(room.id, personalBoardId(participant.id)), Y.encodeStateAsUpdate(doc));
  return participant.id;
}

describe('board effects on the server', () => {
  it('reveals into stored group boards without loading personal boards, and unloads what it opened', async () => {
    await teacherWithNotes('Alice', 'g1', ['a1', 'a2']);
    await teacherWithNotes('Bob', 'g1', ['b1']);
    await teacherWithNotes('Carol', 'g2', ['c1']);
    await hub.join(room, 'Dana'); // no group: her notes stay hers

    expect((await hub.command(room, { role: 'facilitator' }, 'reveal-0001', { type: 'stage.reveal', index: 3 })).ok).toBe(true);
    // Only the two group boards were opened, and they were written through the log.
    expect(yjs.loaded).toBe(2);
    expect(ids(await yjs.notes(boardDocName(room.id, groupBoardId('g1'))))).toEqual(['a1', 'a2', 'b1']);
    expect(ids(await yjs.notes(boardDocName(room.id, groupBoardId('g2'))))).toEqual(['c1']);
    expect((await store.loadDoc(boardDocName(room.id, groupBoardId('g1')))).updates).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(30_000);
    expect(yjs.loaded).toBe(0);
    // What was copied is in the store, as a snapshot once unloaded.
    expect(ids(await yjs.notes(boardDocName(room.id, groupBoardId('g1'))))).toEqual(['a1', 'a2', 'b1']);
    expect((await store.loadDoc(boardDocName(room.id, groupBoardId('g1')))).snapshot).not.toBeNull();
  });

  it('runs a reveal twice (a crash before the commit, then a retry) and copies nothing twice', async () => {
    await teacherWithNotes('Alice', 'g1', ['a1']);
    await yjs.runEffects(room, [{ kind: 'reveal', stageId: 's4' }]);
    await yjs.runEffects(room, [{ kind: 'reveal', stageId: 's4' }]);
    const name = boardDocName(room.id, groupBoardId('g1'));
    expect(ids(await yjs.notes(name))).toEqual(['a1']);
    expect((await store.loadDoc(name)).updates).toHaveLength(1);
  });

  it('publishes all or nothing and refuses a full plenary board without committing', async () => {
    const alice = await teacherWithNotes('Alice', 'g1', []);
    const group = new Y.Doc();
    for (let i = 0; i < 3; i++) addNote(group, { id: `i${i}`, text: `idea ${i}`, color: 'green', authorId: alice, authorName: 'Alice', stageId: 's4', createdAt: i });
    await store.appendUpdate(boardDocName(room.id, groupBoardId('g1')), Y.encodeStateAsUpdate(group));
    const who = { role: 'participant' as const, participantId: alice };
    const version = room.state.version;

    expect(await hub.command(room, who, 'publish-0001', { type: 'board.publish', groupId: 'g1', noteIds: ['i0', 'gone'] })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(room.state.version).toBe(version);
    expect(await yjs.notes(boardDocName(room.id, PLENARY_BOARD_ID))).toEqual([]);

    const small = new YjsEndpoint(store, hub, { maxNotes: 2, maxBytes: 1 << 20 });
    hub.runEffects = (r, effects) => small.runEffects(r, effects);
    expect(await hub.command(room, who, 'publish-0002', { type: 'board.publish', groupId: 'g1', noteIds: ['i0', 'i1', 'i2'] })).toMatchObject({ ok: false, error: { code: 'board_full' } });
    expect((await hub.command(room, who, 'publish-0003', { type: 'board.publish', groupId: 'g1', noteIds: ['i0', 'i1'] })).ok).toBe(true);
    expect(readNotes(await docOf(small, PLENARY_BOARD_ID)).map((n) => [n.id, n.fromGroup])).toEqual([
      ['g1:i0', 'g1'],
      ['g1:i1', 'g1'],
    ]);
    await small.close();
  });
});

const ids = (notes: { id: string }[]) => notes.map((n) => n.id);

async function docOf(endpoint: YjsEndpoint, boardId: string): Promise<Y.Doc> {
  const view = (await endpoint.peek(boardDocName(room.id, boardId)))!;
  return view.doc;
}
