import { z } from 'zod';
import { buildBallot, checkBallotDef } from '../ballots/define.js';
import { ballotSpecSchema } from '../ballots/schemas.js';
import { BALLOT_LIMITS } from '../ballots/types.js';
import { LAYOUT_IDS } from '../board/layouts.js';
import { LIMITS } from '../model/limits.js';
import { LOCALES, TEMPLATE_IDS } from '../model/types.js';
import { guideProblem, themesProblem } from '../interview/guide.js';
import { INTERVIEW_LIMITS } from '../interview/types.js';
import { cleanSpec, STAGE_DEFINITIONS, TEMPLATE_FORMAT, TEMPLATE_LIMITS, TEMPLATE_VERSION, type SessionTemplate } from './agenda.js';

/** The session template file format (server only: browsers never load zod). */

const text = (max: number) => z.string().max(max);

export const caseTextSchema = z.object({
  title: text(LIMITS.title),
  situation: text(LIMITS.caseText),
  questions: text(LIMITS.caseText),
});

export const templateStageSchema = z.object({
  key: z.string().refine((k) => STAGE_DEFINITIONS.has(k), { message: 'unknown stage key' }),
  title: text(LIMITS.title).nullable(),
  instructions: text(LIMITS.instructions).nullable(),
  plannedMin: z.number().int().min(1).max(LIMITS.maxPlannedMin),
  layout: z.enum(LAYOUT_IDS),
  privateWriting: z.boolean(),
  showAuthors: z.boolean(),
});

export const dotSettingsSchema = z
  .object({ dots: z.number().int().min(1).max(LIMITS.maxDots), maxPerOption: z.number().int().min(1).max(LIMITS.maxDots) })
  .refine((d) => d.maxPerOption <= d.dots, { message: 'maxPerOption exceeds dots' });

/**
 * Ballot definitions as a template or an archive holds them: each must be one a
 * facilitator could create (`checkBallotDef`), with unique ids.
 */
export const ballotSpecsSchema = z
  .array(ballotSpecSchema.extend({ id: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/) }))
  .max(BALLOT_LIMITS.ballots)
  .superRefine((specs, ctx) => {
    const ids = new Set<string>();
    specs.forEach((spec, i) => {
      if (ids.has(spec.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: 'duplicate ballot id' });
      ids.add(spec.id);
      if (checkBallotDef(buildBallot(spec, spec.id))) ctx.addIssue({ code: 'custom', path: [i], message: 'not a valid ballot' });
    });
  });

const guideId = z.string().min(1).max(40).regex(/^[A-Za-z0-9_-]+$/);

/** The interview a template carries: a guide and themes a facilitator could have set (`guideProblem`, `themesProblem`). */
export const interviewGuideSchema = z
  .object({
    questions: z
      .array(z.object({ id: guideId, text: text(INTERVIEW_LIMITS.question), followUps: z.array(text(INTERVIEW_LIMITS.followUp)).max(INTERVIEW_LIMITS.followUps) }))
      .max(INTERVIEW_LIMITS.questions),
    themes: z.array(z.object({ id: guideId, label: text(INTERVIEW_LIMITS.theme) })).max(INTERVIEW_LIMITS.themes),
    named: z.boolean(),
  })
  .superRefine((g, ctx) => {
    if (guideProblem(g.questions)) ctx.addIssue({ code: 'custom', path: ['questions'], message: 'not a valid interview guide' });
    if (themesProblem(g.themes)) ctx.addIssue({ code: 'custom', path: ['themes'], message: 'not a valid list of themes' });
  });

export const sessionTemplateSchema = z
  .object({
    format: z.literal(TEMPLATE_FORMAT),
    version: z.literal(TEMPLATE_VERSION),
    method: z.enum(TEMPLATE_IDS),
    name: z.string().trim().min(1).max(LIMITS.title),
    description: z.string().trim().max(TEMPLATE_LIMITS.description).default(''),
    locale: z.enum(LOCALES),
    groups: z.number().int().min(0).max(LIMITS.maxGroups),
    groupMode: z.enum(['assigned', 'self']),
    dots: dotSettingsSchema,
    case: caseTextSchema.nullable().default(null),
    stages: z.array(templateStageSchema).min(1).max(LIMITS.maxStages),
    ballots: ballotSpecsSchema.default([]),
    interview: interviewGuideSchema.optional(),
  })
  .transform((t): SessionTemplate => ({ ...t, ballots: t.ballots.map(cleanSpec) }));

/** `POST /api/sessions` from a template: a built-in or saved one by id, or one given inline. */
export const startFromTemplateSchema = z
  .object({
    title: z.string().trim().min(1).max(LIMITS.title),
    locale: z.enum(LOCALES).optional(),
    facilitator: text(LIMITS.name).optional(),
    templateId: z.string().min(1).max(64).optional(),
    /** Checked on its own against `sessionTemplateSchema`, so a bad one is `bad_template`. */
    template: z.record(z.string(), z.unknown()).optional(),
  })
  .refine((b) => (b.templateId === undefined) !== (b.template === undefined), { message: 'give templateId or template' });

/** `POST /api/sessions/:code/template`. */
export const saveTemplateSchema = z.object({
  name: text(LIMITS.title).optional(),
  description: text(TEMPLATE_LIMITS.description).optional(),
});
