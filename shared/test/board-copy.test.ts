import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
  addCard,
  addNote,
  EMPTY_CARD,
  editNote,
  notesMap,
  planPublish,
  publishInto,
  readCards,
  readNotes,
  revealInto,
  type NewNote,
} from '../src/index.js';

const note = (id: string, stageId: string, extra: Partial<NewNote> = {}): NewNote => ({
  id,
  text: `text of ${id}`,
  color: 'green',
  authorId: 'p1',
  authorName: 'Дана',
  stageId,
  createdAt: 100 + id.length,
  ...extra,
});

/** The update a change to `doc` makes, or null when it changes nothing. */
function updateOf(doc: Y.Doc, change: () => void): Uint8Array | null {
  let update: Uint8Array | null = null;
  const on = (u: Uint8Array) => (update = u);
  doc.on('update', on);
  change();
  doc.off('update', on);
  return update;
}

describe('revealInto', () => {
  it('copies the stage’s private notes with their id, text, colour, author, area and time', () => {
    const personal = new Y.Doc();
    addNote(personal, note('a', 's4', { area: 'quickWins', color: 'pink', x: 40, y: 50 }));
    addNote(personal, note('b', 's4'));
    addNote(personal, note('older', 's2'));
    const group = new Y.Doc();
    addNote(group, note('g', 's4'));
    expect(revealInto(group, personal, 's4')).toEqual({ added: 2, updated: 0, skipped: 0 });
    const byId = Object.fromEntries(readNotes(group).map((n) => [n.id, n]));
    expect(Object.keys(byId).sort()).toEqual(['a', 'b', 'g']);
    expect(byId.a).toMatchObject({ text: 'text of a', color: 'pink', authorId: 'p1', authorName: 'Дана', area: 'quickWins', stageId: 's4', createdAt: 101, x: 40, y: 50, clusterId: null, reactions: [] });
  });

  it('copies nothing twice when repeated, even after the group edited the copy', () => {
    const personal = new Y.Doc();
    addNote(personal, note('a', 's4'));
    const group = new Y.Doc();
    revealInto(group, personal, 's4');
    editNote(group, 'a', 'the group reworded it');
    expect(updateOf(group, () => expect(revealInto(group, personal, 's4')).toEqual({ added: 0, updated: 0, skipped: 0 }))).toBeNull();
    expect(readNotes(group).map((n) => n.text)).toEqual(['the group reworded it']);
  });

  it('stops at the note limit and says how many stayed behind', () => {
    const personal = new Y.Doc();
    for (const id of ['a', 'b', 'c']) addNote(personal, note(id, 's4'));
    const group = new Y.Doc();
    addNote(group, note('g', 's4'));
    expect(revealInto(group, personal, 's4', { maxNotes: 3 })).toEqual({ added: 2, updated: 0, skipped: 1 });
    expect(notesMap(group).size).toBe(3);
  });
});

describe('publishInto', () => {
  function groupBoard(): Y.Doc {
    const group = new Y.Doc();
    addNote(group, note('idea', 's4', { area: 'quickWins' }));
    addNote(group, note('draft', 's4'));
    addCard(group, { ...EMPTY_CARD, id: 'card', stageId: 's5', authorId: 'p1', authorName: 'Дана', createdAt: 5, fromNote: 'idea', title: 'Мини-проект', forms: ['worldCafe', 'fishbowl'] });
    return group;
  }

  it('copies chosen notes and cards as <group>:<id>, marked with their group', () => {
    const group = groupBoard();
    const plenary = new Y.Doc();
    expect(publishInto(plenary, group, ['idea', 'card'], 'g2')).toEqual({ added: 2, updated: 0, skipped: 0 });
    expect(readNotes(plenary)).toMatchObject([{ id: 'g2:idea', text: 'text of idea', fromGroup: 'g2', area: 'quickWins', authorName: 'Дана' }]);
    expect(readCards(plenary)).toMatchObject([{ id: 'g2:card', title: 'Мини-проект', forms: ['worldCafe', 'fishbowl'], fromNote: 'g2:idea', fromGroup: 'g2' }]);
  });

  it('adds nothing twice, and a second publish brings the copy up to date', () => {
    const group = groupBoard();
    const plenary = new Y.Doc();
    publishInto(plenary, group, ['idea', 'card'], 'g2');
    expect(updateOf(plenary, () => publishInto(plenary, group, ['idea', 'card'], 'g2'))).toBeNull();
    editNote(group, 'idea', 'text of idea, revised');
    expect(publishInto(plenary, group, ['idea'], 'g2')).toEqual({ added: 0, updated: 1, skipped: 0 });
    expect(readNotes(plenary).map((n) => n.text)).toEqual(['text of idea, revised']);
    // Two groups may publish notes with the same id without clashing.
    publishInto(plenary, group, ['idea'], 'g3');
    expect(readNotes(plenary).map((n) => n.id).sort()).toEqual(['g2:idea', 'g3:idea']);
  });

  it('plans all or nothing: unknown ids and a full plenary are refused', () => {
    const group = groupBoard();
    const plenary = new Y.Doc();
    expect(planPublish(plenary, group, ['idea', 'missing'], 'g2')).toEqual({ ok: false, error: 'not_found' });
    expect(planPublish(plenary, group, ['idea', 'draft'], 'g2', { maxNotes: 1 })).toEqual({ ok: false, error: 'board_full' });
    const plan = planPublish(plenary, group, ['idea', 'card'], 'g2');
    expect(plan).toMatchObject({ ok: true, newNotes: 1 });
    publishInto(plenary, group, ['idea'], 'g2');
    // Republishing what is already there needs no room.
    expect(planPublish(plenary, group, ['idea'], 'g2', { maxNotes: 1 })).toMatchObject({ ok: true, newNotes: 0 });
  });
});
