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

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  dir = mkdtempSync(join(tmpdir(), 'kenes-effects-'));
  store = new SQLiteStore({ file: join(dir, 'kenes.db'), synchronous: 'normal' });
  hub = new SessionHub(store, quiet);
  yjs = new YjsEndpoint(store, hub);
  hub.runEffects = (r, effects) => yjs.runEffects(r, effects);
  const { state } = hub.create({ title: 'DT', template: 'design-thinking', locale: 'en' });
  room = hub.byId(state.id)!;
});

afterEach(() => {
  yjs.close();
  hub.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
  vi.useRealTimers();
});

/** A teacher in a group whose personal board, never opened since, holds notes of stage s4. */
function teacherWithNotes(name: string, groupId: string, noteIds: string[]): string {
  const { participant } = hub.join(room, name);
  expect(hub.command(room, { role: 'facilitator' }, `move-${participant.id}`, { type: 'participant.move', participantId: participant.id, groupId }).ok).toBe(true);
  const doc = new Y.Doc();
  for (const id of noteIds) addNote(doc, { id, text: `${name}: ${id}`, color: 'blue', authorId: participant.id, authorName: name, stageId: 's4', createdAt: 1 });
  store.appendUpdate(boardDocName(room.id, personalBoardId(participant.id)), Y.encodeStateAsUpdate(doc));
  return participant.id;
}

describe('board effects on the server', () => {
  it('reveals into stored group boards without loading personal boards, and unloads what it opened', () => {
    teacherWithNotes('Alice', 'g1', ['a1', 'a2']);
    teacherWithNotes('Bob', 'g1', ['b1']);
    teacherWithNotes('Carol', 'g2', ['c1']);
    hub.join(room, 'Dana'); // no group: her notes stay hers

    expect(hub.command(room, { role: 'facilitator' }, 'reveal-0001', { type: 'stage.reveal', index: 3 }).ok).toBe(true);
    // Only the two group boards were opened, and they were written through the log.
    expect(yjs.loaded).toBe(2);
    expect(yjs.notes(boardDocName(room.id, groupBoardId('g1'))).map((n) => n.id)).toEqual(['a1', 'a2', 'b1']);
    expect(yjs.notes(boardDocName(room.id, groupBoardId('g2'))).map((n) => n.id)).toEqual(['c1']);
    expect(store.loadDoc(boardDocName(room.id, groupBoardId('g1'))).updates).toHaveLength(1);

    vi.advanceTimersByTime(30_000);
    expect(yjs.loaded).toBe(0);
    // What was copied is in the store, as a snapshot once unloaded.
    expect(yjs.notes(boardDocName(room.id, groupBoardId('g1'))).map((n) => n.id)).toEqual(['a1', 'a2', 'b1']);
  });

  it('runs a reveal twice (a crash before the commit, then a retry) and copies nothing twice', () => {
    teacherWithNotes('Alice', 'g1', ['a1']);
    yjs.runEffects(room, [{ kind: 'reveal', stageId: 's4' }]);
    yjs.runEffects(room, [{ kind: 'reveal', stageId: 's4' }]);
    const name = boardDocName(room.id, groupBoardId('g1'));
    expect(yjs.notes(name).map((n) => n.id)).toEqual(['a1']);
    expect(store.loadDoc(name).updates).toHaveLength(1);
  });

  it('publishes all or nothing and refuses a full plenary board without committing', () => {
    const alice = teacherWithNotes('Alice', 'g1', []);
    const group = new Y.Doc();
    for (let i = 0; i < 3; i++) addNote(group, { id: `i${i}`, text: `idea ${i}`, color: 'green', authorId: alice, authorName: 'Alice', stageId: 's4', createdAt: i });
    store.appendUpdate(boardDocName(room.id, groupBoardId('g1')), Y.encodeStateAsUpdate(group));
    const who = { role: 'participant' as const, participantId: alice };
    const version = room.state.version;

    expect(hub.command(room, who, 'publish-0001', { type: 'board.publish', groupId: 'g1', noteIds: ['i0', 'gone'] })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(room.state.version).toBe(version);
    expect(yjs.notes(boardDocName(room.id, PLENARY_BOARD_ID))).toEqual([]);

    const small = new YjsEndpoint(store, hub, { maxNotes: 2, maxBytes: 1 << 20 });
    hub.runEffects = (r, effects) => small.runEffects(r, effects);
    expect(hub.command(room, who, 'publish-0002', { type: 'board.publish', groupId: 'g1', noteIds: ['i0', 'i1', 'i2'] })).toMatchObject({ ok: false, error: { code: 'board_full' } });
    expect(hub.command(room, who, 'publish-0003', { type: 'board.publish', groupId: 'g1', noteIds: ['i0', 'i1'] }).ok).toBe(true);
    expect(readNotes(docOf(small, PLENARY_BOARD_ID)).map((n) => [n.id, n.fromGroup])).toEqual([
      ['g1:i0', 'g1'],
      ['g1:i1', 'g1'],
    ]);
    small.close();
  });
});

function docOf(endpoint: YjsEndpoint, boardId: string): Y.Doc {
  const view = endpoint.peek(boardDocName(room.id, boardId))!;
  return view.doc;
}
