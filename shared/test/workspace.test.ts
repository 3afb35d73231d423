import { describe, expect, it } from 'vitest';
import {
  applyMeetingOp,
  canInvite,
  csvCell,
  decisionStatus,
  filterRegister,
  isIsoDate,
  mayReportExecution,
  newMeeting,
  openDecisionIds,
  quorumNeeded,
  quorumView,
  registerCsv,
  registerEntries,
  runsMeeting,
  type Council,
  type Meeting,
  type MeetingOp,
  type MeetingOpContext,
} from '../src/index.js';
import { meetingOpSchema } from '../src/protocol/schemas.js';

const council: Council = {
  id: 'c1',
  workspaceId: 'w1',
  name: 'Городской методический совет',
  kind: 'methodical',
  memberIds: ['chair', 'sec', 'a', 'b'],
  chairId: 'chair',
  secretaryId: 'sec',
  quorum: { kind: 'majority' },
  createdAt: 1,
  version: 1,
};
const names = { chair: 'Ахметова Г. С.', sec: 'Ким О. В.', a: 'Сейтқали Ә.', b: 'Иванов П.', out: 'Гость Г.' };

function meeting(overrides: Partial<Parameters<typeof newMeeting>[0]> = {}): Meeting {
  return {
    ...newMeeting({
      id: 'm1',
      council,
      date: '2026-12-04',
      time: '15:00',
      place: 'Актобе',
      items: [{ id: 'i1', title: 'О критериях оценивания', reporter: 'Ахметова Г. С.' }],
      review: false,
      reviewItemId: 'r1',
      openDecisionIds: [],
      now: 1000,
      ...overrides,
    }),
    number: 1,
  };
}

const runner: MeetingOpContext = { actorId: 'sec', runs: true, now: 2000, openDecisionIds: [], names };
const member = (id: string): MeetingOpContext => ({ ...runner, actorId: id, runs: false });

/** Apply ops in order, failing the test on the first refusal. */
function run(m: Meeting, ops: MeetingOp[], ctx = runner): Meeting {
  for (const op of ops) {
    const r = applyMeetingOp(m, op, ctx);
    if (!r.ok) throw new Error(`${op.type}: ${r.error}`);
    m = r.meeting;
  }
  return m;
}

describe('the quorum', () => {
  it('needs more than half for a majority, two thirds rounded up, and never more than the members', () => {
    expect([1, 2, 3, 4, 9, 10].map((n) => quorumNeeded({ kind: 'majority' }, n))).toEqual([1, 2, 2, 3, 5, 6]);
    expect([3, 4, 10].map((n) => quorumNeeded({ kind: 'two-thirds' }, n))).toEqual([2, 3, 7]);
    expect(quorumNeeded({ kind: 'fraction', num: 3, den: 4 }, 10)).toBe(8);
    expect(quorumNeeded({ kind: 'count', min: 7 }, 5)).toBe(5);
  });

  it('counts only the members present, shown as N of M', () => {
    const m = run(meeting(), [
      { type: 'attendance.set', accountId: 'chair', status: 'present' },
      { type: 'attendance.set', accountId: 'sec', status: 'present' },
      { type: 'attendance.set', accountId: 'b', status: 'absent' },
      { type: 'guest.add', id: 'g1', name: 'Гость', position: 'директор' },
    ]);
    expect(quorumView(m)).toEqual({ members: 4, present: 2, absent: 1, needed: 3, met: false });
    const m2 = run(m, [{ type: 'attendance.set', accountId: 'a', status: 'present' }]);
    expect(quorumView(m2)).toMatchObject({ present: 3, met: true });
  });
});

describe('meeting ops', () => {
  it('refuses a teacher who does not run the meeting anything but asking for the floor for themselves', () => {
    const m = run(meeting(), [{ type: 'meeting.status', status: 'open' }]);
    expect(applyMeetingOp(m, { type: 'item.add', id: 'x', title: 'X' }, member('a'))).toEqual({ ok: false, error: 'forbidden' });
    expect(applyMeetingOp(m, { type: 'speaker.request', itemId: 'i1', id: 's1', accountId: 'b' }, member('a'))).toEqual({ ok: false, error: 'forbidden' });
    expect(applyMeetingOp(m, { type: 'attendance.set', accountId: 'b', status: 'present' }, member('a'))).toEqual({ ok: false, error: 'forbidden' });
    const asked = run(m, [{ type: 'speaker.request', itemId: 'i1', id: 's1' }, { type: 'attendance.set', accountId: 'a', status: 'present' }], member('a'));
    expect(asked.items[0]!.speakers).toMatchObject([{ id: 's1', accountId: 'a', name: 'Сейтқали Ә.', startedAt: null }]);
    expect(asked.attendance.a).toBe('present');
  });

  it('keeps a speakers queue: one person holds the floor at a time and the time spoken is kept', () => {
    let m = run(meeting(), [
      { type: 'speaker.request', itemId: 'i1', id: 's1', accountId: 'a' },
      { type: 'speaker.request', itemId: 'i1', id: 's2', name: 'Гость из гороно' },
      { type: 'speaker.start', itemId: 'i1', id: 's1' },
    ]);
    m = run(m, [{ type: 'speaker.start', itemId: 'i1', id: 's2' }], { ...runner, now: 95_000 });
    const [s1, s2] = m.items[0]!.speakers;
    expect(s1).toMatchObject({ startedAt: 2000, endedAt: 95_000 });
    expect(s2).toMatchObject({ startedAt: 95_000, endedAt: null, accountId: null });
    // A retried start changes nothing.
    expect(run(m, [{ type: 'speaker.start', itemId: 'i1', id: 's2' }], { ...runner, now: 99_000 })).toEqual(m);
  });

  it('refuses to queue a member twice, an unknown item and a repeated id, changing nothing', () => {
    const m = run(meeting(), [{ type: 'speaker.request', itemId: 'i1', id: 's1', accountId: 'a' }]);
    expect(applyMeetingOp(m, { type: 'speaker.request', itemId: 'i1', id: 's2', accountId: 'a' }, runner)).toEqual({ ok: false, error: 'duplicate_id' });
    expect(applyMeetingOp(m, { type: 'item.add', id: 's1', title: 'X' }, runner)).toEqual({ ok: false, error: 'duplicate_id' });
    expect(applyMeetingOp(m, { type: 'speaker.start', itemId: 'nope', id: 's1' }, runner)).toEqual({ ok: false, error: 'unknown_item' });
    expect(applyMeetingOp(m, { type: 'decision.vote', itemId: 'i1', id: 'nope', vote: null }, runner)).toEqual({ ok: false, error: 'unknown_decision' });
  });

  it('records decisions with a responsible member, a deadline and a vote no larger than those present', () => {
    let m = run(meeting(), [
      { type: 'attendance.set', accountId: 'chair', status: 'present' },
      { type: 'attendance.set', accountId: 'sec', status: 'present' },
      { type: 'attendance.set', accountId: 'a', status: 'present' },
      { type: 'decision.add', itemId: 'i1', id: 'd1', text: 'Утвердить критерии', responsibleId: 'a', dueDate: '2026-12-20' },
    ]);
    expect(m.items[0]!.decisions[0]).toMatchObject({ responsibleName: 'Сейтқали Ә.', dueDate: '2026-12-20', vote: null });
    expect(applyMeetingOp(m, { type: 'decision.vote', itemId: 'i1', id: 'd1', vote: { for: 3, against: 1, abstained: 0 } }, runner)).toEqual({ ok: false, error: 'bad_count' });
    expect(applyMeetingOp(m, { type: 'decision.add', itemId: 'i1', id: 'd2', text: 'X', responsibleId: 'ghost' }, runner)).toEqual({ ok: false, error: 'unknown_member' });
    m = run(m, [{ type: 'decision.unanimous', itemId: 'i1', id: 'd1' }]);
    expect(m.items[0]!.decisions[0]!.vote).toEqual({ for: 3, against: 0, abstained: 0 });
  });

  it('keeps a protocol within its year and refuses changes once closed, until reopened', () => {
    const m = meeting();
    expect(applyMeetingOp(m, { type: 'meeting.update', date: '2027-01-10' }, runner)).toEqual({ ok: false, error: 'year_locked' });
    expect(run(m, [{ type: 'meeting.update', date: '2026-12-28' }]).date).toBe('2026-12-28');
    const closed = run(m, [{ type: 'meeting.status', status: 'closed' }]);
    expect(applyMeetingOp(closed, { type: 'item.add', id: 'x', title: 'X' }, runner)).toEqual({ ok: false, error: 'meeting_closed' });
    expect(applyMeetingOp(closed, { type: 'meeting.status', status: 'open' }, member('a'))).toEqual({ ok: false, error: 'forbidden' });
    expect(run(closed, [{ type: 'meeting.status', status: 'open' }, { type: 'item.add', id: 'x', title: 'X' }]).items).toHaveLength(2);
  });

  it('never changes the meeting it was given', () => {
    const m = meeting();
    const before = structuredClone(m);
    run(m, [{ type: 'item.add', id: 'x', title: 'X' }, { type: 'attendance.set', accountId: 'a', status: 'present' }]);
    expect(m).toEqual(before);
  });

  it('every op the reducer knows passes the schema, and junk does not', () => {
    expect(meetingOpSchema.safeParse({ type: 'decision.vote', itemId: 'i1', id: 'd1', vote: { for: 1, against: 0, abstained: 0 } }).success).toBe(true);
    expect(meetingOpSchema.safeParse({ type: 'decision.add', itemId: 'i1', id: 'd1', text: 'x', dueDate: '2026-02-31' }).success).toBe(false);
    expect(meetingOpSchema.safeParse({ type: 'meeting.drop' }).success).toBe(false);
    expect(meetingOpSchema.safeParse({ type: 'item.add', id: 'a b', title: 'x' }).success).toBe(false);
  });
});

describe('permissions', () => {
  it('lets managers and the council’s chair and secretary run meetings, and a responsible person report', () => {
    expect(runsMeeting('teacher', 'sec', council)).toBe(true);
    expect(runsMeeting('expert', 'a', council)).toBe(false);
    expect(runsMeeting('methodologist', 'zzz', council)).toBe(true);
    expect(runsMeeting(null, 'sec', council)).toBe(false);
    expect(mayReportExecution('teacher', 'a', council, { responsibleId: 'a' })).toBe(true);
    expect(mayReportExecution('teacher', 'b', council, { responsibleId: 'a' })).toBe(false);
    expect(canInvite('methodologist', 'owner')).toBe(false);
    expect(canInvite('methodologist', 'teacher')).toBe(true);
    expect(canInvite('expert', 'teacher')).toBe(false);
  });
});

describe('the decision register', () => {
  const first = run(meeting(), [
    { type: 'decision.add', itemId: 'i1', id: 'd1', text: 'Утвердить критерии', responsibleId: 'a', dueDate: '2026-12-20' },
    { type: 'decision.add', itemId: 'i1', id: 'd2', text: 'Провести семинар', responsibleId: 'b', dueDate: '2026-11-30' },
    { type: 'decision.add', itemId: 'i1', id: 'd3', text: '=HYPERLINK("x")', responsibleName: 'Завуч' },
  ]);
  const done = [{ decisionId: 'd3', done: true, doneAt: Date.UTC(2026, 11, 1, 6), note: 'Сделано', updatedBy: 'sec', updatedAt: 5 }];
  const entries = registerEntries([first], [council], done, '2026-12-04');

  it('is open until the deadline, overdue after it, done when recorded so', () => {
    expect(entries.map((e) => [e.decision.id, e.status])).toEqual([
      ['d1', 'open'],
      ['d2', 'overdue'],
      ['d3', 'done'],
    ]);
    expect(decisionStatus({ dueDate: '2026-12-04' }, undefined, '2026-12-04')).toBe('open');
  });

  it('carries the open decisions over to the next meeting’s review item', () => {
    const open = openDecisionIds(entries, 'm2');
    expect(open).toEqual(['d1', 'd2']);
    const next = meeting({ id: 'm2', review: true, openDecisionIds: open });
    expect(next.items[0]).toMatchObject({ kind: 'execution', reviewed: ['d1', 'd2'] });
    expect(next.items[1]!.title).toBe('О критериях оценивания');
  });

  it('filters by status, person, deadline and words', () => {
    expect(filterRegister(entries, { status: 'overdue' }).map((e) => e.decision.id)).toEqual(['d2']);
    expect(filterRegister(entries, { responsibleId: 'a' }).map((e) => e.decision.id)).toEqual(['d1']);
    expect(filterRegister(entries, { dueFrom: '2026-12-01', dueTo: '2026-12-31' }).map((e) => e.decision.id)).toEqual(['d1']);
    expect(filterRegister(entries, { q: 'СЕМИНАР' }).map((e) => e.decision.id)).toEqual(['d2']);
  });

  it('exports CSV with the language’s headers and formulas neutralised', () => {
    const csv = registerCsv(entries, 'ru', 'Asia/Almaty');
    const lines = csv.replace('\uFEFF', '').trim().split('\r\n');
    expect(lines[0]).toContain('Ответственный');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toContain('просрочено');
    expect(lines[3]).toContain(`"'=HYPERLINK(""x"")"`);
    expect(lines[3]).toContain('2026-12-01');
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell(-1)).toBe('-1');
  });

  it('knows real calendar dates', () => {
    expect(['2026-02-28', '2028-02-29'].every(isIsoDate)).toBe(true);
    expect(['2026-02-29', '2026-13-01', '26-01-01', ''].some(isIsoDate)).toBe(false);
  });
});
