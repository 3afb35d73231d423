import { z } from 'zod';
import { INTERVIEW_LIMITS as L } from './types.js';

/** Payload schemas of the interview's commands and events (server only: browsers never load zod). */

const rid = z.string().min(8).max(64);
const id = z.string().min(1).max(40).regex(/^[A-Za-z0-9_-]+$/);
// Texts a little over their limits pass, so the rules can answer with their named code rather than `bad_request`.
const text = (max: number) => z.string().max(max * 4);
const few = <T extends z.ZodTypeAny>(item: T, max: number) => z.array(item).max(max * 2);

/** The `interview.*` members of the command union. */
export const interviewCommandSchemas = [
  z.object({
    type: z.literal('interview.guide'),
    questions: few(z.object({ id: id.optional(), text: text(L.question), followUps: few(text(L.followUp), L.followUps).optional() }), L.questions),
  }),
  z.object({ type: z.literal('interview.themes'), themes: few(z.object({ id: id.optional(), label: text(L.theme) }), L.themes) }),
  z.object({ type: z.literal('interview.settings'), open: z.boolean().optional(), named: z.boolean().optional(), shown: z.boolean().optional() }),
] as const;

const expertRef = z.union([z.object({ participantId: id }).strict(), z.object({ name: text(L.name) }).strict()]);

export const interviewAnswerSchema = z.object({
  rid,
  questionId: id,
  text: text(L.answer).nullable(),
  expert: expertRef.optional(),
});

export const interviewTagSchema = z.object({
  rid,
  questionId: id,
  expert: z.string().min(3).max(2 + L.name * 4),
  themes: few(id, L.themes),
});

export const interviewListSchema = z.object({}).passthrough();
