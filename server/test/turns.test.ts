import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addNote, boardDocName, groupBoardId } from '@kenes/shared';
import { SessionHub } from '../src/realtime/hub.js';
import { SQLiteStore } from '../src/store/sqlite.js';
import { YjsEndpoint } from '../src/yjs/endpoint.js';

const quiet = { toSession() {}, toStaff() {}, toFacilitators() {}, toParticipant() {} };
const facilitator = { role: 'facilitator' as const };

let dir: string;
let store: SQLiteStore;
let hub: SessionHub;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kenes-turns-'));
  store = new SQLiteStore({ file: join(dir, 'kenes.db') });
  hub = new SessionHub(store, quiet);
});

afterEach(async () => {
  await hub.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('one thing at a time per room', () => {
  it('applies commands that arrive together one after another, none lost, a repeated request once', async () => {
    const { state } = await hub.create({ title: 'Turns', template: 'case-method', locale: 'en' });
    const [room, same] = await Promise.all([hub.byId(state.id), hub.byId(state.id)]);
    expect(same).toBe(room);
    await hub.command(room!, facilitator, 'start-0001', { type: 'timer.start', durationMs: 60_000 });
    const endsAt = (room!.state.timer as { endsAt: number }).endsAt;

    // Ten additions sent at once, plus one request id sent three times.
    const acks = await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => hub.command(room!, facilitator, `add-${i}-00000`, { type: 'timer.add', ms: 60_000 })),
      ...Array.from({ length: 3 }, () => hub.command(room!, facilitator, 'add-repeated-0', { type: 'timer.add', ms: 60_000 })),
    ]);
    expect(acks.every((a) => a.ok)).toBe(true);
    // Acknowledged in arrival order, each on top of the one before.
    expect(acks.slice(0, 10).map((a) => (a.ok ? a.version : 0))).toEqual(Array.from({ length: 10 }, (_, i) => state.version + 2 + i));
    expect(new Set(acks.slice(10).map((a) => JSON.stringify(a))).size).toBe(1);
    const stored = (await store.loadState(state.id))!;
    expect(stored.version).toBe(state.version + 12);
    expect((stored.timer as { endsAt: number }).endsAt).toBe(endsAt + 11 * 60_000);
  });
});

describe('one change at a time per board', () => {
  it('loads a board once for two changes that arrive together, and lets the second see the first', async () => {
    const { state } = await hub.create({ title: 'Boards', template: 'design-thinking', locale: 'en' });
    const yjs = new YjsEndpoint(store, hub);
    try {
      const room = (await hub.byId(state.id))!;
      await hub.command(room, facilitator, 'create-g1-0001', { type: 'groups.split', count: 1 });
      const src = new Y.Doc();
      addNote(src, { id: 'n1', text: 'an idea', color: 'blue', authorId: 'p', authorName: 'P', stageId: 's4', createdAt: 1 });
      await store.appendUpdate(boardDocName(state.id, groupBoardId('g1')), Y.encodeStateAsUpdate(src));

      // The same publish twice at once: both need the plenary board, which nobody has open.
      const publish = () => yjs.runEffects(room, [{ kind: 'publish', groupId: 'g1', noteIds: ['n1'] }]);
      expect(await Promise.all([publish(), publish()])).toEqual([null, null]);
      expect(yjs.loaded).toBe(1);
      // One document, one change after the other: the second found the copy in place and wrote nothing.
      const plenary = boardDocName(state.id, 'plenary');
      expect((await store.loadDoc(plenary)).updates).toHaveLength(1);
      expect((await yjs.notes(plenary)).map((n) => n.id)).toEqual(['g1:n1']);
    } finally {
      await yjs.close();
    }
  });
});
