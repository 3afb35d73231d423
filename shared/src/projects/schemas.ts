import { z } from 'zod';
import { FORMS_OF_WORK } from '../board/cards.js';
import { LOCALES } from '../model/types.js';
import { isIsoDate } from '../workspace/dates.js';
import { PROJECT_LIMITS as L } from './limits.js';
import { MILESTONE_KINDS, PRODUCT_TYPES, PROJECT_STATUSES } from './types.js';

/** Bodies of the project, portfolio and file routes; the server checks each request against one. */

const id = z.string().min(1).max(40).regex(/^[A-Za-z0-9_-]+$/);
const line = (max: number) => z.string().trim().max(max);
const required = (max: number) => z.string().trim().min(1).max(max);
const date = z.string().refine(isIsoDate, 'a date YYYY-MM-DD');
const value = z.number().finite().min(-L.value).max(L.value);
const url = z
  .string()
  .trim()
  .max(L.url)
  .regex(/^https?:\/\/\S+$/i, 'an http(s) link');

const teamMember = z.object({ accountId: id.nullable(), name: line(L.name), role: line(L.name).default('') });
const indicator = z.object({ id, name: required(L.title), unit: line(L.unit).default(''), baseline: value, target: value });
const milestone = z.object({ id, title: required(L.title), kind: z.enum(MILESTONE_KINDS), due: date.nullable() });
const criterion = z.object({ id, label: required(L.title), weight: z.number().finite().positive().max(1000) });
const scale = z.object({ min: z.number().int().min(-L.scaleSpan).max(L.scaleSpan), max: z.number().int().min(-L.scaleSpan).max(L.scaleSpan) });
const values = z.record(id, value);
const attachments = z.array(id).max(L.attachmentsPerReport);

export const createProjectSchema = z.object({
  title: required(L.title),
  managerId: id.nullable().default(null),
  managerName: line(L.name).default(''),
  goal: line(L.text).default(''),
  audience: line(L.text).default(''),
  forms: z.array(z.enum(FORMS_OF_WORK)).max(FORMS_OF_WORK.length).default([]),
  formsOther: line(L.text).default(''),
  team: z.array(teamMember).max(L.team).default([]),
  indicators: z.array(indicator).max(L.indicators).default([]),
  milestones: z.array(milestone).max(L.milestones).default([]),
});

export const projectFromCardSchema = z.object({ code: z.string().trim().min(1).max(20), boardId: z.string().min(1).max(120), cardId: id });

export const projectOpSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('project.update'),
    title: required(L.title).optional(),
    managerId: id.nullable().optional(),
    managerName: line(L.name).optional(),
    goal: line(L.text).optional(),
    audience: line(L.text).optional(),
    forms: z.array(z.enum(FORMS_OF_WORK)).max(FORMS_OF_WORK.length).optional(),
    formsOther: line(L.text).optional(),
    team: z.array(teamMember).max(L.team).optional(),
  }),
  z.object({ type: z.literal('project.status'), status: z.enum(PROJECT_STATUSES), note: line(L.comment).optional() }),
  z.object({ type: z.literal('indicator.put'), indicator }),
  z.object({ type: z.literal('indicator.remove'), id }),
  z.object({ type: z.literal('milestone.put'), milestone }),
  z.object({ type: z.literal('milestone.remove'), id }),
  z.object({ type: z.literal('report.add'), id, milestoneId: id, text: z.string().max(L.reportText), values: values.default({}), attachmentIds: attachments.default([]) }),
  z.object({ type: z.literal('report.update'), id, text: z.string().max(L.reportText).optional(), values: values.optional(), attachmentIds: attachments.optional() }),
  z.object({ type: z.literal('assessment.open'), reportId: id, councilId: id.nullable(), criteria: z.array(criterion).min(1).max(L.criteria), scale }),
  z.object({ type: z.literal('assessment.score'), reportId: id, scores: z.record(id, z.number()), comment: z.string().max(L.comment).default('') }),
  z.object({ type: z.literal('assessment.close'), reportId: id }),
  z.object({ type: z.literal('assessment.reopen'), reportId: id }),
]);

export const projectOpRequestSchema = z.object({ op: projectOpSchema, version: z.number().int().min(1).optional() });

export const dossierQuerySchema = z.object({ format: z.enum(['csv', 'docx', 'pdf', 'md']), lang: z.enum(LOCALES).optional() });

const product = z.object({
  id,
  title: required(L.title),
  type: z.enum(PRODUCT_TYPES),
  year: z.number().int().min(1950).max(2100),
  coAuthors: line(L.title).default(''),
  url: url.nullable().default(null),
  fileId: id.nullable().default(null),
});
const certificate = z.object({ id, title: required(L.title), issuer: line(L.title).default(''), date, fileId: id.nullable().default(null) });
const video = z.object({
  id,
  title: required(L.title),
  date,
  url,
  notes: z
    .array(z.object({ atSec: z.number().int().min(0).max(24 * 3600), text: required(L.comment) }))
    .max(L.notesPerVideo)
    .default([]),
});

export const portfolioPutSchema = z.object({
  particulars: z.object({
    position: line(L.title).default(''),
    school: line(L.title).default(''),
    subject: line(L.title).default(''),
    category: line(L.title).default(''),
    experience: line(L.title).default(''),
  }),
  note: line(L.text * 2).default(''),
  products: z.array(product).max(L.products).default([]),
  certificates: z.array(certificate).max(L.certificates).default([]),
  videos: z.array(video).max(L.videos).default([]),
  version: z.number().int().min(0),
});

/** A signed-in teacher keeps a copy of the self-rating they just gave in a session. */
export const selfRatingCopySchema = z.object({
  code: z.string().trim().min(1).max(20),
  ballotId: id,
  ratings: z.record(id, z.number().int().min(-L.scaleSpan).max(L.scaleSpan)),
});

export const portfolioDocumentQuerySchema = z.object({ format: z.enum(['docx', 'pdf', 'md']), lang: z.enum(LOCALES).optional() });

export const uploadQuerySchema = z.object({ name: required(L.fileName), workspace: id.optional() });
