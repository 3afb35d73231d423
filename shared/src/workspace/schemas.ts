import { z } from 'zod';
import { LOCALES } from '../model/types.js';
import { isIsoDate } from './dates.js';
import { WORKSPACE_LIMITS as L } from './limits.js';
import { COUNCIL_KINDS, DECISION_STATUSES, MEETING_STATUSES, WORKSPACE_ROLES } from './types.js';

/** Bodies of the workspace routes and meeting ops; the server checks each request against one. */

const id = z.string().min(1).max(40).regex(/^[A-Za-z0-9_-]+$/);
const line = (max: number) => z.string().trim().max(max);
const required = (max: number) => z.string().trim().min(1).max(max);
const date = z.string().refine(isIsoDate, 'a date YYYY-MM-DD');
const time = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d)?$/);
const count = z.number().int().min(0).max(10_000);

export const loginName = z
  .string()
  .trim()
  .toLowerCase()
  .min(3)
  .max(L.login)
  .regex(/^[a-z0-9._@-]+$/);

export const registerAccountSchema = z.object({
  login: loginName,
  name: required(L.name),
  password: z.string().min(L.passwordMin).max(L.password),
});

export const loginSchema = z.object({
  login: loginName,
  password: z.string().min(1).max(L.password),
});

export const createWorkspaceSchema = z.object({
  name: required(L.title),
  organisation: line(L.organisation).default(''),
  place: line(L.place).default(''),
  locale: z.enum(LOCALES),
});

export const patchWorkspaceSchema = z
  .object({
    name: required(L.title),
    organisation: line(L.organisation),
    place: line(L.place),
    locale: z.enum(LOCALES),
  })
  .partial();

export const setRoleSchema = z.object({ role: z.enum(WORKSPACE_ROLES) });

export const createInvitationSchema = z.object({
  role: z.enum(WORKSPACE_ROLES),
  maxUses: z.number().int().min(1).max(L.invitationUses).default(1),
  days: z.number().int().min(1).max(L.invitationDays).default(14),
});

export const quorumRuleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('majority') }),
  z.object({ kind: z.literal('two-thirds') }),
  z
    .object({ kind: z.literal('fraction'), num: z.number().int().min(1).max(100), den: z.number().int().min(1).max(100) })
    .refine((r) => r.num <= r.den, 'num ≤ den'),
  z.object({ kind: z.literal('count'), min: z.number().int().min(1).max(L.members) }),
]);

export const councilSchema = z.object({
  name: required(L.title),
  kind: z.enum(COUNCIL_KINDS),
  memberIds: z.array(id).max(L.members),
  chairId: id.nullable(),
  secretaryId: id.nullable(),
  quorum: quorumRuleSchema,
});

export const updateCouncilSchema = councilSchema.extend({ version: z.number().int().min(1) });

export const createMeetingSchema = z.object({
  date,
  time: time.default(''),
  place: line(L.place).default(''),
  items: z
    .array(z.object({ title: required(L.title), reporter: line(L.name * 2).default('') }))
    .max(L.itemsPerMeeting)
    .default([]),
  review: z.boolean().default(false),
});

const optionalText = (max: number) => z.string().max(max).optional();

export const meetingOpSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('meeting.update'),
    date: date.optional(),
    time: time.optional(),
    place: optionalText(L.place),
    chairId: id.nullable().optional(),
    secretaryId: id.nullable().optional(),
  }),
  z.object({ type: z.literal('meeting.status'), status: z.enum(MEETING_STATUSES) }),
  z.object({ type: z.literal('attendance.set'), accountId: id, status: z.enum(['present', 'absent']).nullable() }),
  z.object({ type: z.literal('attendance.fromSession'), accountIds: z.array(id).max(L.members) }),
  z.object({ type: z.literal('guest.add'), id, name: required(L.name), position: line(L.title).default('') }),
  z.object({ type: z.literal('guest.remove'), id }),
  z.object({ type: z.literal('item.add'), id, title: required(L.title), reporter: optionalText(L.name * 2) }),
  z.object({ type: z.literal('item.addReview'), id }),
  z.object({ type: z.literal('item.update'), id, title: optionalText(L.title), reporter: optionalText(L.name * 2), heard: optionalText(L.text) }),
  z.object({ type: z.literal('item.move'), id, to: z.number().int().min(0).max(L.itemsPerMeeting) }),
  z.object({ type: z.literal('item.remove'), id }),
  z.object({ type: z.literal('speaker.request'), itemId: id, id, name: optionalText(L.name), accountId: id.nullable().optional() }),
  z.object({ type: z.literal('speaker.start'), itemId: id, id }),
  z.object({ type: z.literal('speaker.end'), itemId: id, id }),
  z.object({ type: z.literal('speaker.update'), itemId: id, id, summary: z.string().max(L.summary) }),
  z.object({ type: z.literal('speaker.remove'), itemId: id, id }),
  z.object({
    type: z.literal('decision.add'),
    itemId: id,
    id,
    text: required(L.text),
    responsibleId: id.nullable().optional(),
    responsibleName: optionalText(L.name),
    dueDate: date.nullable().optional(),
  }),
  z.object({
    type: z.literal('decision.update'),
    itemId: id,
    id,
    text: optionalText(L.text),
    responsibleId: id.nullable().optional(),
    responsibleName: optionalText(L.name),
    dueDate: date.nullable().optional(),
  }),
  z.object({
    type: z.literal('decision.vote'),
    itemId: id,
    id,
    vote: z.object({ for: count, against: count, abstained: count }).nullable(),
  }),
  z.object({ type: z.literal('decision.unanimous'), itemId: id, id }),
  z.object({ type: z.literal('decision.remove'), itemId: id, id }),
]);

export const meetingOpRequestSchema = z.object({
  op: meetingOpSchema,
  version: z.number().int().min(1).optional(),
});

export const executionSchema = z.object({
  done: z.boolean(),
  note: z.string().max(L.summary).default(''),
});

export const registerFilterSchema = z.object({
  status: z.enum(DECISION_STATUSES).optional(),
  councilId: id.optional(),
  responsibleId: id.optional(),
  dueFrom: date.optional(),
  dueTo: date.optional(),
  q: z.string().max(200).optional(),
  format: z.enum(['json', 'csv']).optional(),
  lang: z.enum(LOCALES).optional(),
});
