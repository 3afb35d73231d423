import { z } from 'zod';
import { LIMITS } from '../model/limits.js';
import { GROUP_ROLES, LOCALES, TEMPLATE_IDS } from '../model/types.js';
import { LAYOUT_IDS } from '../board/layouts.js';
import { ballotCommandSchemas } from '../ballots/schemas.js';
import { interviewCommandSchemas } from '../interview/schemas.js';

export { ballotAnswerRequestSchema, ballotAnswersRequestSchema, ballotAnswerSchema, ballotSpecSchema } from '../ballots/schemas.js';
export { saveTemplateSchema, sessionTemplateSchema, startFromTemplateSchema } from '../methods/schemas.js';
export { sessionArchiveSchema, type ValidArchive } from '../export/schemas.js';
export * from '../workspace/schemas.js';
export * from '../projects/schemas.js';
export { interviewAnswerSchema, interviewListSchema, interviewTagSchema } from '../interview/schemas.js';

/** Payload schemas the server checks every request against. Kept apart so browsers never load zod. */

const text = (max: number) => z.string().max(max);
const id = z.string().min(1).max(40).regex(/^[A-Za-z0-9_-]+$/);
const rid = z.string().min(8).max(64);
const minutes = z.number().int().min(1).max(LIMITS.maxPlannedMin);

export const createSessionSchema = z.object({
  title: z.string().trim().min(1).max(LIMITS.title),
  template: z.enum(TEMPLATE_IDS),
  locale: z.enum(LOCALES),
  facilitator: text(LIMITS.name).optional(),
});

export const joinSchema = z.object({
  name: z.string().trim().min(1).max(LIMITS.name),
});

export const commandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('stage.go'), index: z.number().int(), from: z.number().int().optional() }),
  z.object({
    type: z.literal('stage.edit'),
    index: z.number().int(),
    title: text(LIMITS.title).nullable().optional(),
    instructions: text(LIMITS.instructions).nullable().optional(),
    plannedMin: minutes.optional(),
  }),
  z.object({ type: z.literal('timer.start'), durationMs: z.number().int().min(1000).max(LIMITS.maxTimerMs).optional() }),
  z.object({ type: z.literal('timer.pause') }),
  z.object({ type: z.literal('timer.resume') }),
  z.object({ type: z.literal('timer.add'), ms: z.number().int().min(1000).max(3600_000) }),
  z.object({ type: z.literal('timer.reset') }),
  z.object({
    type: z.literal('protocol.edit'),
    protocol: z
      .object({
        organisation: text(LIMITS.title),
        place: text(LIMITS.title),
        number: text(LIMITS.name),
        summary: text(LIMITS.summary),
        decisions: z.array(text(LIMITS.solution)).max(LIMITS.decisions),
      })
      .partial()
      .strict(),
  }),
  z.object({ type: z.literal('session.edit'), title: text(LIMITS.title).optional(), facilitator: text(LIMITS.name).optional() }),
  z.object({
    type: z.literal('case.set'),
    case: z.object({ title: text(LIMITS.title), situation: text(LIMITS.caseText), questions: text(LIMITS.caseText) }),
  }),
  z.object({ type: z.literal('groups.split'), count: z.number().int().min(1).max(LIMITS.maxGroups) }),
  z.object({ type: z.literal('groups.mode'), mode: z.enum(['assigned', 'self']) }),
  z.object({ type: z.literal('group.add'), name: text(LIMITS.groupName).optional() }),
  z.object({ type: z.literal('group.rename'), groupId: id, name: text(LIMITS.groupName) }),
  z.object({ type: z.literal('participant.move'), participantId: id, groupId: id.nullable() }),
  z.object({ type: z.literal('group.choose'), groupId: id }),
  z.object({ type: z.literal('group.solution'), groupId: id, text: text(LIMITS.solution).nullable() }),
  z.object({
    type: z.literal('vote.configure'),
    dots: z.number().int().min(1).max(LIMITS.maxDots),
    maxPerOption: z.number().int().min(1).max(LIMITS.maxDots),
  }),
  z.object({ type: z.literal('vote.open') }),
  z.object({ type: z.literal('vote.close') }),
  z.object({ type: z.literal('vote.reveal') }),
  z.object({ type: z.literal('vote.reset') }),
  z.object({
    type: z.literal('decision.record'),
    optionId: id.nullable(),
    title: text(LIMITS.solution),
    reason: text(LIMITS.reason),
  }),
  z.object({ type: z.literal('screen.show'), board: z.string().max(60).nullable() }),
  z.object({ type: z.literal('screen.ballot'), ballotId: id.nullable() }),
  z.object({
    type: z.literal('stage.settings'),
    index: z.number().int(),
    layout: z.enum(LAYOUT_IDS).optional(),
    privateWriting: z.boolean().optional(),
    showAuthors: z.boolean().optional(),
  }),
  z.object({ type: z.literal('stage.reveal'), index: z.number().int() }),
  z.object({ type: z.literal('follow.set'), board: z.string().max(60).nullable() }),
  z.object({ type: z.literal('group.role'), groupId: id, role: z.enum(GROUP_ROLES), participantId: id.nullable() }),
  z.object({ type: z.literal('board.publish'), groupId: id, noteIds: z.array(z.string().min(1).max(64)).min(1).max(100) }),
  ...ballotCommandSchemas,
  ...interviewCommandSchemas,
]);

export const commandRequestSchema = z.object({ rid, cmd: commandSchema });

export const voteRequestSchema = z.object({
  rid,
  allocation: z.record(id, z.number().int().min(0).max(LIMITS.maxDots)).refine((a) => Object.keys(a).length <= 100),
});

export const pingSchema = z.object({ t0: z.number() });
export const inviteSchema = z.object({ rid });
