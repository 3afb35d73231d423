import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { addNote, boardAccess, boardRefusal, checkBoardUpdate, createSessionState, deleteNote, editNote, notesMap, type NewNote } from '../src/index.js';
import { FACILITATOR, SCREEN, teacher } from './helpers.js';

const note = (id: string, text = `note ${id}`): NewNote => ({
  id,
  text,
  color: 'yellow',
  authorId: 'p1',
  authorName: 'Айгерим',
  stageId: 's3',
  createdAt: 1,
});

/** A server document and a client that has synced with it. */
function pair(notes: number): { server: Y.Doc; client: Y.Doc } {
  const server = new Y.Doc();
  server.transact(() => {
    for (let i = 0; i < notes; i++) addNote(server, note(`n${i}`));
  });
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
  return { server, client };
}

/** What the client would send the server: everything the server lacks. */
const diff = (client: Y.Doc, server: Y.Doc) => Y.encodeStateAsUpdate(client, Y.encodeStateVector(server));

describe('checkBoardUpdate', () => {
  it('refuses an update that does not decode, and text longer than a note', () => {
    expect(checkBoardUpdate(new Uint8Array([200, 1, 2, 3, 4, 5]))).toBe('malformed');
    const doc = new Y.Doc();
    addNote(doc, note('long', 'x'.repeat(1001)));
    expect(checkBoardUpdate(Y.encodeStateAsUpdate(doc))).toBe('too_large');
    const fine = new Y.Doc();
    addNote(fine, note('ok', 'x'.repeat(1000)));
    expect(checkBoardUpdate(Y.encodeStateAsUpdate(fine))).toBeNull();
  });

  it('lets a board fill up to 500 notes and refuses the 501st', () => {
    const { server, client } = pair(499);
    addNote(client, note('last'));
    const u500 = diff(client, server);
    expect(checkBoardUpdate(u500, server)).toBeNull();
    Y.applyUpdate(server, u500);
    expect(notesMap(server).size).toBe(500);
    addNote(client, note('one-too-many'));
    expect(checkBoardUpdate(diff(client, server), server)).toBe('board_full');
  });

  it('refuses a batch that would cross the limit even when each note alone would fit', () => {
    const { server, client } = pair(498);
    client.transact(() => {
      for (const id of ['a', 'b', 'c']) addNote(client, note(id));
    });
    expect(checkBoardUpdate(diff(client, server), server)).toBe('board_full');
  });

  it('counts nothing for notes the board already has, edits, or text typed into new notes', () => {
    const { server, client } = pair(500);
    // A reconnecting client resends its whole state: nothing new.
    expect(checkBoardUpdate(Y.encodeStateAsUpdate(client), server)).toBeNull();
    editNote(client, 'n1', 'changed text');
    notesMap(client).get('n2')!.set('color', 'pink');
    expect(checkBoardUpdate(diff(client, server), server)).toBeNull();
  });

  it('credits notes the same update deletes, as an offline delete-then-add does', () => {
    const { server, client } = pair(500);
    client.transact(() => {
      deleteNote(client, 'n0');
      addNote(client, note('replacement'));
    });
    expect(checkBoardUpdate(diff(client, server), server)).toBeNull();
  });

  it('ignores a note created and deleted offline before it ever reached the server', () => {
    const { server, client } = pair(500);
    addNote(client, note('ephemeral'));
    deleteNote(client, 'ephemeral');
    expect(checkBoardUpdate(diff(client, server), server)).toBeNull();
  });

  it('counts an overwrite that brings back a key the server had deleted', () => {
    const { server, client } = pair(500);
    deleteNote(server, 'n5');
    addNote(server, note('someone-else'));
    expect(notesMap(server).size).toBe(500);
    // The client never saw the delete and overwrites n5: the entry carries only its origin.
    notesMap(client).set('n5', new Y.Map());
    expect(checkBoardUpdate(diff(client, server), server)).toBe('board_full');
  });

  it('names the refusal a close event carries', () => {
    expect(boardRefusal({ code: 1008, reason: 'board_full' })).toBe('board_full');
    expect(boardRefusal({ code: 1008, reason: 'too_large' })).toBe('too_large');
    expect(boardRefusal({ code: 1008, reason: 'something else' })).toBeNull();
    expect(boardRefusal({ code: 1006, reason: 'board_full' })).toBeNull();
    expect(boardRefusal(null)).toBeNull();
  });
});

describe('boardAccess and the followed board', () => {
  const base = createSessionState({ id: 's', code: 'K7M2QX', title: 't', locale: 'ru', template: 'case-method', now: 1 });

  it('keeps the plenary board written by facilitators only', () => {
    expect(boardAccess(base, FACILITATOR, 'plenary')).toBe('write');
    expect(boardAccess(base, teacher('p1', 'g1'), 'plenary')).toBe('read');
    expect(boardAccess(base, SCREEN, 'plenary')).toBe('read');
  });

  it('lets every screen read the board the facilitator brings everyone to, and nothing personal', () => {
    expect(boardAccess(base, teacher('p1', 'g1'), 'g-g2')).toBe('none');
    const following = { ...base, follow: 'g-g2' };
    expect(boardAccess(following, teacher('p1', 'g1'), 'g-g2')).toBe('read');
    expect(boardAccess(following, teacher('p2', 'g2'), 'g-g2')).toBe('write');
    expect(boardAccess(following, SCREEN, 'g-g2')).toBe('read');
    expect(boardAccess({ ...base, follow: 'p-p2' }, teacher('p1', 'g1'), 'p-p2')).toBe('none');
    expect(boardAccess({ ...base, follow: 'p-p2', screen: { board: 'p-p2' } }, SCREEN, 'p-p2')).toBe('none');
  });
});
