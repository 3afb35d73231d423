import type { ErrorCode } from '../protocol/errors.js';
import { isIsoDate, yearOf } from './dates.js';
import { WORKSPACE_LIMITS as L } from './limits.js';
import { SELF_OPS, type MeetingOp } from './ops.js';
import type { AgendaItem, Council, Meeting, MeetingDecision, Speaker } from './types.js';

/** Who sends an op, and what the rules need to know beside the meeting. */
export interface MeetingOpContext {
  actorId: string;
  /** The actor runs this meeting (owner, methodologist, the council's chair or secretary). */
  runs: boolean;
  now: number;
  /** Decisions of earlier meetings not yet done, for a review item added now. */
  openDecisionIds: string[];
  /** Every member of the workspace: account id → full name. */
  names: Record<string, string>;
}

export type MeetingOpResult = { ok: true; meeting: Meeting } | { ok: false; error: ErrorCode };

export interface NewMeetingInput {
  id: string;
  council: Council;
  date: string;
  time: string;
  place: string;
  items: { id: string; title: string; reporter: string }[];
  /** Put "On the execution of earlier decisions" first, reviewing `openDecisionIds`. */
  review: boolean;
  reviewItemId: string;
  openDecisionIds: string[];
  now: number;
}

const item = (id: string, title: string, reporter: string, kind: AgendaItem['kind'] = 'regular', reviewed: string[] = []): AgendaItem => ({
  id,
  kind,
  title,
  reporter,
  heard: '',
  speakers: [],
  decisions: [],
  reviewed,
});

/** A meeting as created: the council's members, chair, secretary and quorum rule copied, so later changes to the council leave it as it was. */
export function newMeeting(input: NewMeetingInput): Omit<Meeting, 'number'> {
  const { council } = input;
  const items = input.items.map((i) => item(i.id, i.title, i.reporter));
  if (input.review) items.unshift(item(input.reviewItemId, '', '', 'execution', [...input.openDecisionIds]));
  return {
    id: input.id,
    workspaceId: council.workspaceId,
    councilId: council.id,
    year: yearOf(input.date),
    date: input.date,
    time: input.time,
    place: input.place,
    status: 'planned',
    memberIds: [...council.memberIds],
    chairId: council.chairId,
    secretaryId: council.secretaryId,
    quorum: council.quorum,
    attendance: {},
    guests: [],
    items,
    sessionId: null,
    sessionCode: null,
    createdAt: input.now,
    version: 1,
  };
}

const fail = (error: ErrorCode): MeetingOpResult => ({ ok: false, error });

/**
 * Apply one change to a meeting: the result is a new meeting (the version is left for
 * the store to raise), or the named reason it was refused, and then nothing changed.
 */
export function applyMeetingOp(meeting: Meeting, op: MeetingOp, ctx: MeetingOpContext): MeetingOpResult {
  if (!ctx.runs && !SELF_OPS.includes(op.type)) return fail('forbidden');
  if (meeting.status === 'closed' && !(op.type === 'meeting.status' && op.status !== 'closed')) return fail('meeting_closed');
  const m: Meeting = structuredClone(meeting);
  const error = ctx.runs ? change(m, op, ctx) : selfChange(m, op, ctx);
  return error ? fail(error) : { ok: true, meeting: m };
}

/** What a member who does not run the meeting may do, and only about themselves. */
function selfChange(m: Meeting, op: MeetingOp, ctx: MeetingOpContext): ErrorCode | null {
  switch (op.type) {
    case 'attendance.set':
      if (op.accountId !== ctx.actorId || op.status !== 'present' || m.status !== 'open') return 'forbidden';
      if (!m.memberIds.includes(ctx.actorId)) return 'unknown_member';
      m.attendance[ctx.actorId] = 'present';
      return null;
    case 'speaker.request': {
      if ((op.accountId ?? ctx.actorId) !== ctx.actorId) return 'forbidden';
      return requestFloor(m, op.itemId, op.id, ctx.actorId, ctx.names[ctx.actorId] ?? '', ctx.now);
    }
    case 'speaker.remove': {
      const it = findItem(m, op.itemId);
      if (!it) return 'unknown_item';
      const s = it.speakers.find((x) => x.id === op.id);
      if (!s) return 'unknown_speaker';
      if (s.accountId !== ctx.actorId || s.startedAt !== null) return 'forbidden';
      it.speakers = it.speakers.filter((x) => x !== s);
      return null;
    }
    default:
      return 'forbidden';
  }
}

const findItem = (m: Meeting, id: string) => m.items.find((i) => i.id === id);
const allIds = (m: Meeting) =>
  new Set([...m.items.flatMap((i) => [i.id, ...i.speakers.map((s) => s.id), ...i.decisions.map((d) => d.id)]), ...m.guests.map((g) => g.id)]);

function requestFloor(m: Meeting, itemId: string, id: string, accountId: string | null, name: string, now: number): ErrorCode | null {
  const it = findItem(m, itemId);
  if (!it) return 'unknown_item';
  if (allIds(m).has(id)) return 'duplicate_id';
  if (accountId && it.speakers.some((s) => s.accountId === accountId && s.endedAt === null)) return 'duplicate_id';
  if (!name.trim()) return 'bad_request';
  if (it.speakers.length >= L.speakersPerItem) return 'too_large';
  const s: Speaker = { id, accountId, name: name.trim(), requestedAt: now, startedAt: null, endedAt: null, summary: '' };
  it.speakers.push(s);
  return null;
}

/** Whoever holds the floor anywhere in the meeting yields it: one person speaks at a time. */
function endSpeaking(m: Meeting, now: number): void {
  for (const it of m.items) for (const s of it.speakers) if (s.startedAt !== null && s.endedAt === null) s.endedAt = now;
}

function responsible(
  ctx: MeetingOpContext,
  id: string | null | undefined,
  name: string | undefined,
): { responsibleId: string | null; responsibleName: string } | ErrorCode {
  if (id) {
    const known = ctx.names[id];
    if (known === undefined) return 'unknown_member';
    return { responsibleId: id, responsibleName: name?.trim() || known };
  }
  return { responsibleId: null, responsibleName: name?.trim() ?? '' };
}

function change(m: Meeting, op: MeetingOp, ctx: MeetingOpContext): ErrorCode | null {
  switch (op.type) {
    case 'meeting.update': {
      if (op.date !== undefined) {
        if (!isIsoDate(op.date)) return 'bad_request';
        if (yearOf(op.date) !== m.year) return 'year_locked';
        m.date = op.date;
      }
      if (op.time !== undefined) m.time = op.time;
      if (op.place !== undefined) m.place = op.place;
      for (const key of ['chairId', 'secretaryId'] as const) {
        const v = op[key];
        if (v === undefined) continue;
        if (v !== null && ctx.names[v] === undefined) return 'unknown_member';
        m[key] = v;
      }
      return null;
    }
    case 'meeting.status':
      if (op.status === 'closed') endSpeaking(m, ctx.now);
      m.status = op.status;
      return null;
    case 'attendance.set':
      if (!m.memberIds.includes(op.accountId)) return 'unknown_member';
      if (op.status === null) delete m.attendance[op.accountId];
      else m.attendance[op.accountId] = op.status;
      return null;
    case 'attendance.fromSession':
      for (const id of op.accountIds) if (m.memberIds.includes(id)) m.attendance[id] = 'present';
      return null;
    case 'guest.add':
      if (allIds(m).has(op.id)) return 'duplicate_id';
      if (m.guests.length >= L.guests) return 'too_large';
      if (!op.name.trim()) return 'bad_request';
      m.guests.push({ id: op.id, name: op.name.trim(), position: op.position.trim() });
      return null;
    case 'guest.remove':
      if (!m.guests.some((g) => g.id === op.id)) return 'unknown_member';
      m.guests = m.guests.filter((g) => g.id !== op.id);
      return null;
    case 'item.add':
      if (allIds(m).has(op.id)) return 'duplicate_id';
      if (m.items.length >= L.itemsPerMeeting) return 'too_large';
      if (!op.title.trim()) return 'bad_request';
      m.items.push(item(op.id, op.title.trim(), op.reporter?.trim() ?? ''));
      return null;
    case 'item.addReview':
      if (allIds(m).has(op.id) || m.items.some((i) => i.kind === 'execution')) return 'duplicate_id';
      if (m.items.length >= L.itemsPerMeeting) return 'too_large';
      m.items.unshift(item(op.id, '', '', 'execution', [...ctx.openDecisionIds]));
      return null;
    case 'item.update': {
      const it = findItem(m, op.id);
      if (!it) return 'unknown_item';
      if (op.title !== undefined) {
        if (!op.title.trim() && it.kind === 'regular') return 'bad_request';
        it.title = op.title.trim();
      }
      if (op.reporter !== undefined) it.reporter = op.reporter;
      if (op.heard !== undefined) it.heard = op.heard;
      return null;
    }
    case 'item.move': {
      const from = m.items.findIndex((i) => i.id === op.id);
      if (from < 0) return 'unknown_item';
      if (op.to < 0 || op.to >= m.items.length) return 'bad_request';
      const [moved] = m.items.splice(from, 1);
      m.items.splice(op.to, 0, moved!);
      return null;
    }
    case 'item.remove':
      if (!findItem(m, op.id)) return 'unknown_item';
      m.items = m.items.filter((i) => i.id !== op.id);
      return null;
    case 'speaker.request': {
      const accountId = op.accountId ?? null;
      if (accountId !== null && ctx.names[accountId] === undefined) return 'unknown_member';
      const name = op.name?.trim() || (accountId ? ctx.names[accountId]! : '');
      return requestFloor(m, op.itemId, op.id, accountId, name, ctx.now);
    }
    case 'speaker.start':
    case 'speaker.end':
    case 'speaker.update':
    case 'speaker.remove': {
      const it = findItem(m, op.itemId);
      if (!it) return 'unknown_item';
      const s = it.speakers.find((x) => x.id === op.id);
      if (!s) return 'unknown_speaker';
      if (op.type === 'speaker.start') {
        // A retried start finds the speaker already speaking and changes nothing.
        if (s.startedAt !== null) return null;
        endSpeaking(m, ctx.now);
        s.startedAt = ctx.now;
      } else if (op.type === 'speaker.end') {
        if (s.startedAt === null) return 'bad_request';
        s.endedAt ??= ctx.now;
      } else if (op.type === 'speaker.update') {
        s.summary = op.summary;
      } else {
        it.speakers = it.speakers.filter((x) => x !== s);
      }
      return null;
    }
    case 'decision.add': {
      const it = findItem(m, op.itemId);
      if (!it) return 'unknown_item';
      if (allIds(m).has(op.id)) return 'duplicate_id';
      if (it.decisions.length >= L.decisionsPerItem) return 'too_large';
      if (!op.text.trim()) return 'bad_request';
      if (op.dueDate != null && !isIsoDate(op.dueDate)) return 'bad_request';
      const who = responsible(ctx, op.responsibleId, op.responsibleName);
      if (typeof who === 'string') return who;
      const d: MeetingDecision = { id: op.id, text: op.text.trim(), ...who, dueDate: op.dueDate ?? null, vote: null };
      it.decisions.push(d);
      return null;
    }
    case 'decision.update':
    case 'decision.vote':
    case 'decision.unanimous':
    case 'decision.remove': {
      const it = findItem(m, op.itemId);
      if (!it) return 'unknown_item';
      const d = it.decisions.find((x) => x.id === op.id);
      if (!d) return 'unknown_decision';
      return changeDecision(m, it, d, op, ctx);
    }
  }
}

type DecisionOp = Extract<MeetingOp, { type: 'decision.update' | 'decision.vote' | 'decision.unanimous' | 'decision.remove' }>;

function changeDecision(m: Meeting, it: AgendaItem, d: MeetingDecision, op: DecisionOp, ctx: MeetingOpContext): ErrorCode | null {
  const present = m.memberIds.filter((id) => m.attendance[id] === 'present').length;
  switch (op.type) {
    case 'decision.update': {
      if (op.text !== undefined) {
        if (!op.text.trim()) return 'bad_request';
        d.text = op.text.trim();
      }
      if (op.dueDate !== undefined) {
        if (op.dueDate !== null && !isIsoDate(op.dueDate)) return 'bad_request';
        d.dueDate = op.dueDate;
      }
      if (op.responsibleId !== undefined || op.responsibleName !== undefined) {
        const who = responsible(ctx, op.responsibleId === undefined ? d.responsibleId : op.responsibleId, op.responsibleName);
        if (typeof who === 'string') return who;
        Object.assign(d, who);
      }
      return null;
    }
    case 'decision.vote': {
      if (op.vote) {
        const total = op.vote.for + op.vote.against + op.vote.abstained;
        // Only members present vote; before attendance is taken the count cannot be checked.
        if (present > 0 && total > present) return 'bad_count';
      }
      d.vote = op.vote ? { ...op.vote } : null;
      return null;
    }
    case 'decision.unanimous':
      if (present === 0) return 'bad_count';
      d.vote = { for: present, against: 0, abstained: 0 };
      return null;
    case 'decision.remove':
      it.decisions = it.decisions.filter((x) => x !== d);
      return null;
  }
}
