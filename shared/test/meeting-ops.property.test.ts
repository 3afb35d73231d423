import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyMeetingOp, newMeeting, quorumView, type Council, type Meeting, type MeetingOp } from '../src/index.js';

const members = ['chair', 'sec', 'a', 'b', 'c'];
const names: Record<string, string> = Object.fromEntries(members.map((id) => [id, `Name ${id}`]));
const council: Council = {
  id: 'c1',
  workspaceId: 'w1',
  name: 'Council',
  kind: 'expert',
  memberIds: members,
  chairId: 'chair',
  secretaryId: 'sec',
  quorum: { kind: 'two-thirds' },
  createdAt: 1,
  version: 1,
};

// Small id pools so that generated ops often hit what earlier ops created.
const itemId = fc.constantFrom('i1', 'i2', 'i3');
const newItemId = fc.constantFrom('i3', 'i4', 'i5');
const speakerId = fc.constantFrom('s1', 's2', 's3', 'd1');
const decisionId = fc.constantFrom('d1', 'd2', 's1');
const guestId = fc.constantFrom('g1', 'g2', 'i1');
const person = fc.constantFrom(...members, 'stranger');
const small = fc.integer({ min: 0, max: 6 });

const often = <T>(a: fc.Arbitrary<T>) => ({ arbitrary: a, weight: 4 });
const rarely = <T>(a: fc.Arbitrary<T>) => ({ arbitrary: a, weight: 1 });
const op: fc.Arbitrary<MeetingOp> = fc.oneof(
  often(fc.record({ type: fc.constant('attendance.set' as const), accountId: person, status: fc.constantFrom('present' as const, 'absent' as const, null) })),
  rarely(fc.record({ type: fc.constant('meeting.status' as const), status: fc.constantFrom('planned' as const, 'open' as const, 'closed' as const) })),
  often(fc.record({ type: fc.constant('item.add' as const), id: newItemId, title: fc.constantFrom('Topic', ' ') })),
  rarely(fc.record({ type: fc.constant('item.remove' as const), id: itemId })),
  rarely(fc.record({ type: fc.constant('item.move' as const), id: itemId, to: small })),
  often(fc.record({ type: fc.constant('speaker.request' as const), itemId, id: speakerId, accountId: fc.option(person, { nil: undefined }), name: fc.constantFrom('Guest', '') })),
  often(fc.record({ type: fc.constantFrom('speaker.start' as const, 'speaker.end' as const, 'speaker.remove' as const), itemId, id: speakerId })),
  often(fc.record({ type: fc.constant('decision.add' as const), itemId, id: decisionId, text: fc.constantFrom('Decide', ''), responsibleId: fc.option(person, { nil: undefined }) })),
  often(fc.record({ type: fc.constant('decision.vote' as const), itemId, id: decisionId, vote: fc.option(fc.record({ for: small, against: small, abstained: small }), { nil: null }) })),
  often(fc.record({ type: fc.constant('decision.unanimous' as const), itemId, id: decisionId })),
  often(fc.record({ type: fc.constant('guest.add' as const), id: guestId, name: fc.constantFrom('Guest', ''), position: fc.constant('') })),
);
const actor = fc.oneof({ arbitrary: fc.constant('sec'), weight: 4 }, { arbitrary: fc.constantFrom('a', 'stranger'), weight: 1 });

function start(): Meeting {
  const m = newMeeting({
    id: 'm1',
    council,
    date: '2026-12-04',
    time: '',
    place: '',
    items: [
      { id: 'i1', title: 'First', reporter: '' },
      { id: 'i2', title: 'Second', reporter: '' },
    ],
    review: false,
    reviewItemId: 'r',
    openDecisionIds: [],
    now: 0,
  });
  return { ...m, number: 1 };
}

/** What no sequence of accepted ops may ever break. */
function checkInvariants(m: Meeting): void {
  const ids = [...m.items.flatMap((i) => [i.id, ...i.speakers.map((s) => s.id), ...i.decisions.map((d) => d.id)]), ...m.guests.map((g) => g.id)];
  expect(new Set(ids).size).toBe(ids.length);
  const speaking = m.items.flatMap((i) => i.speakers).filter((s) => s.startedAt !== null && s.endedAt === null);
  expect(speaking.length).toBeLessThanOrEqual(m.status === 'closed' ? 0 : 1);
  for (const s of m.items.flatMap((i) => i.speakers)) if (s.endedAt !== null) expect(s.endedAt).toBeGreaterThanOrEqual(s.startedAt!);
  expect(Object.keys(m.attendance).every((id) => m.memberIds.includes(id))).toBe(true);
  const q = quorumView(m);
  expect(q.present + q.absent).toBeLessThanOrEqual(q.members);
}

describe('meeting ops under any sequence', () => {
  it('keep ids unique, one speaker at a time, attendance to members; a refusal changes nothing', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(op, actor), { minLength: 20, maxLength: 80 }), (steps) => {
        let m = start();
        let now = 1;
        for (const [o, who] of steps) {
          const before = structuredClone(m);
          const r = applyMeetingOp(m, o, { actorId: who, runs: who === 'sec', now: (now += 1000), openDecisionIds: [], names });
          expect(m).toEqual(before);
          if (r.ok) m = r.meeting;
          checkInvariants(m);
        }
      }),
      { seed: 20261204, numRuns: 500 },
    );
  });
});
