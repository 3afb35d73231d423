import { z } from 'zod';
import { buildBallot, checkBallotDef } from '../ballots/define.js';
import { ballotSpecSchema } from '../ballots/schemas.js';
import { BALLOT_LIMITS, TIE_RULES } from '../ballots/types.js';
import { FORMS_OF_WORK } from '../board/cards.js';
import { LAYOUT_IDS } from '../board/layouts.js';
import { NOTE_COLORS, parseBoardId } from '../board/notes.js';
import { STAGE_DEFINITIONS } from '../methods/agenda.js';
import { caseTextSchema } from '../methods/schemas.js';
import { LIMITS } from '../model/limits.js';
import { GROUP_ROLES, LOCALES, TEMPLATE_IDS } from '../model/types.js';

/**
 * The session archive (`GET /api/sessions/:code/minutes?format=json`) as an import
 * accepts it: every part bounded as the live session bounds it, and every reference
 * inside it (stage, group, participant, board, ballot) pointing at something the
 * archive holds. Server only: browsers never load zod.
 */

/** Teachers an imported archive may name; a hall holds fewer. */
export const ARCHIVE_LIMITS = { participants: 5000 } as const;

const text = (max: number) => z.string().max(max);
const int = z.number().int();
const time = int.min(0);
const id = z.string().min(1).max(40).regex(/^[A-Za-z0-9_-]+$/);
const key = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);
/** Ids inside a board: client-made, or `<groupId>:<id>` on the plenary. */
const boardItemId = z.string().min(1).max(128);
const boardText = text(LIMITS.note);
const stat = z.number().nullable();
const few = <T extends z.ZodTypeAny>(item: T, max: number) => z.array(item).max(max);

const stageSchema = z.object({
  id,
  key: z.string().refine((k) => STAGE_DEFINITIONS.has(k), { message: 'unknown stage key' }),
  kind: z.enum(['join', 'read', 'individual', 'group', 'present', 'vote', 'decide', 'reflect']),
  board: z.enum(['none', 'individual', 'group']),
  title: text(LIMITS.title).nullable(),
  instructions: text(LIMITS.instructions).nullable(),
  plannedMin: int.min(1).max(LIMITS.maxPlannedMin),
  visits: few(z.object({ startedAt: time, endedAt: time.nullable() }), 1000),
  layout: z.enum(LAYOUT_IDS),
  privateWriting: z.boolean(),
  revealed: z.boolean(),
  showAuthors: z.boolean(),
});

const groupSchema = z.object({
  id,
  name: text(LIMITS.groupName),
  solution: text(LIMITS.solution).nullable(),
  roles: z.object(Object.fromEntries(GROUP_ROLES.map((r) => [r, id.optional()])) as Record<(typeof GROUP_ROLES)[number], z.ZodOptional<typeof id>>),
});

const voteSchema = z.object({
  status: z.enum(['idle', 'open', 'closed', 'revealed']),
  round: int.min(0),
  dots: int.min(1).max(LIMITS.maxDots),
  maxPerOption: int.min(1).max(LIMITS.maxDots),
  options: few(z.object({ id, label: text(LIMITS.solution), groupName: text(LIMITS.groupName) }), LIMITS.maxGroups),
  results: z
    .object({
      voters: time,
      dots: time,
      ranking: few(z.object({ optionId: id, votes: time, share: z.number().min(0).max(1), rank: int.min(1) }), LIMITS.maxGroups),
      tieForFirst: z.boolean(),
    })
    .nullable(),
});

const spread = {
  n: time,
  mean: stat,
  median: stat,
  q1: stat,
  q3: stat,
  iqr: stat,
  sd: stat,
  V: stat,
  consistency: z.enum(['high', 'aboveAverage', 'average', 'belowAverage', 'low']).nullable(),
};
const agreement = z
  .object({
    experts: time,
    W: stat,
    chiSquare: stat,
    df: z.number(),
    p: stat,
    band: z.enum(['low', 'medium', 'high']).nullable(),
    flagged: time,
    outliers: few(z.object({ expert: int.min(1), rho: stat }), BALLOT_LIMITS.outliers),
  })
  .nullable();
const counts = few(time, BALLOT_LIMITS.scaleSpan + 1);
const ranked = { optionId: key, rank: int.min(1) };
const resultsBase = { round: int.min(1), voters: time, tieRule: z.enum(TIE_RULES), tie: z.boolean() };
const O = BALLOT_LIMITS.options;

/** A ballot's tally, by kind, as `tallyBallot` makes it. */
const ballotResultsSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.enum(['single', 'multiple']), ...resultsBase, options: few(z.object({ ...ranked, count: time, share: z.number() }), O) }),
  z.object({
    kind: z.literal('dots'),
    ...resultsBase,
    dots: time,
    options: few(z.object({ ...ranked, dots: time, share: z.number(), voters: time }), O),
  }),
  z.object({
    kind: z.literal('ranking'),
    ...resultsBase,
    options: few(z.object({ ...ranked, borda: z.number(), rankSum: z.number(), meanRank: stat, firsts: time }), O),
    agreement,
    split: few(key, O).optional(),
  }),
  z.object({
    kind: z.literal('rating'),
    ...resultsBase,
    options: few(z.object({ ...ranked, ...spread, counts }), O),
    agreement,
    comments: z.record(key, few(text(BALLOT_LIMITS.text), 5000)).optional(),
  }),
  z.object({
    kind: z.literal('matrix'),
    ...resultsBase,
    options: few(
      z.object({
        ...ranked,
        score: stat,
        spread: z.object(spread),
        criteria: few(z.object({ criterionId: key, ...spread }), BALLOT_LIMITS.criteria),
      }),
      O,
    ),
    criteria: few(z.object({ criterionId: key, weight: z.number(), mean: stat }), BALLOT_LIMITS.criteria),
    agreement,
    competence: z.object({ weighted: z.literal(true), mean: stat }).optional(),
  }),
  z.object({
    kind: z.literal('majority'),
    ...resultsBase,
    options: few(z.object({ ...ranked, grade: stat, mean: stat, counts }), O),
    kappa: stat,
  }),
  z.object({ kind: z.literal('text'), ...resultsBase, answers: few(text(BALLOT_LIMITS.text * 4), 5000) }),
]);

const ballotDefSchema = ballotSpecSchema.extend({
  id: key,
  status: z.enum(['draft', 'open', 'closed', 'revealed']),
  round: int.min(1).max(1000),
  results: ballotResultsSchema.nullable(),
  previous: ballotResultsSchema.nullable(),
  turns: z.object({ order: few(id, ARCHIVE_LIMITS.participants), turn: time }).optional(),
});

const stateSchema = z.object({
  id,
  code: z.string().max(20),
  title: text(LIMITS.title),
  facilitator: text(LIMITS.name),
  locale: z.enum(LOCALES),
  template: z.enum(TEMPLATE_IDS),
  createdAt: time,
  version: int.min(1),
  stageIndex: int.min(0),
  stages: z.array(stageSchema).min(1).max(LIMITS.maxStages),
  groups: few(groupSchema, LIMITS.maxGroups),
  groupMode: z.enum(['assigned', 'self']),
  case: caseTextSchema,
  vote: voteSchema,
  decision: z.object({ optionId: id.nullable(), title: text(LIMITS.solution), reason: text(LIMITS.reason), recordedAt: time }).nullable(),
  protocol: z
    .object({
      organisation: text(LIMITS.title),
      place: text(LIMITS.title),
      number: text(LIMITS.name),
      summary: text(LIMITS.summary),
      decisions: few(text(LIMITS.solution), LIMITS.decisions),
    })
    .optional(),
  ballots: few(ballotDefSchema, BALLOT_LIMITS.ballots),
});

const noteSchema = z.object({
  id: boardItemId,
  text: boardText,
  color: z.enum(NOTE_COLORS),
  authorId: text(64),
  authorName: text(LIMITS.name),
  stageId: text(40),
  createdAt: time,
  area: text(64),
  clusterId: boardItemId.nullable(),
  reactions: few(text(64), ARCHIVE_LIMITS.participants),
  x: z.number().min(-1e6).max(1e6),
  y: z.number().min(-1e6).max(1e6),
  fromGroup: id.nullable(),
  subject: boardItemId.nullable(),
});

const clusterSchema = z.object({ id: boardItemId, name: boardText, area: text(64), stageId: text(40), createdAt: time });

const cardSchema = z.object({
  id: boardItemId,
  stageId: text(40),
  authorId: text(64),
  authorName: text(LIMITS.name),
  createdAt: time,
  fromNote: boardItemId.nullable(),
  fromGroup: id.nullable().optional(),
  title: boardText,
  manager: boardText,
  goal: boardText,
  audience: boardText,
  forms: few(z.enum(FORMS_OF_WORK), FORMS_OF_WORK.length),
  formsOther: boardText,
  indicators: boardText,
});

const boardSchema = z.object({
  boardId: z.string().max(60).refine((b) => parseBoardId(b) !== null, { message: 'not a board id' }),
  notes: few(noteSchema, LIMITS.boardNotes),
  clusters: few(clusterSchema, LIMITS.boardNotes),
  cards: few(cardSchema, LIMITS.boardNotes),
});

export const sessionArchiveSchema = z
  .object({
    format: z.literal('kenes-session'),
    version: z.literal(1),
    exportedAt: time,
    state: stateSchema,
    participants: few(
      z.object({ id, name: z.string().min(1).max(LIMITS.name), groupId: id.nullable(), joinedAt: time }),
      ARCHIVE_LIMITS.participants,
    ),
    boards: few(boardSchema, ARCHIVE_LIMITS.participants + LIMITS.maxGroups + 1),
  })
  .superRefine((a, ctx) => {
    const problem = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const { state } = a;
    if (state.stageIndex >= state.stages.length) problem(['state', 'stageIndex'], 'no such stage');
    duplicates(state.stages.map((s) => s.id)).forEach((i) => problem(['state', 'stages', i, 'id'], 'duplicate stage id'));
    duplicates(state.groups.map((g) => g.id)).forEach((i) => problem(['state', 'groups', i, 'id'], 'duplicate group id'));
    duplicates(state.ballots.map((b) => b.id)).forEach((i) => problem(['state', 'ballots', i, 'id'], 'duplicate ballot id'));
    state.ballots.forEach((b, i) => {
      if (checkBallotDef(buildBallot(b, b.id))) problem(['state', 'ballots', i], 'not a valid ballot');
    });
    const groups = new Set(state.groups.map((g) => g.id));
    const people = new Set(a.participants.map((p) => p.id));
    duplicates(a.participants.map((p) => p.id)).forEach((i) => problem(['participants', i, 'id'], 'duplicate participant id'));
    a.participants.forEach((p, i) => {
      if (p.groupId !== null && !groups.has(p.groupId)) problem(['participants', i, 'groupId'], 'no such group');
    });
    duplicates(a.boards.map((b) => b.boardId)).forEach((i) => problem(['boards', i, 'boardId'], 'duplicate board'));
    a.boards.forEach((b, i) => {
      const ref = parseBoardId(b.boardId);
      if (ref?.kind === 'group' && !groups.has(ref.id)) problem(['boards', i, 'boardId'], 'no such group');
      if (ref?.kind === 'personal' && !people.has(ref.id)) problem(['boards', i, 'boardId'], 'no such participant');
    });
  });

/** Indexes of the values that appeared earlier in the list. */
function duplicates(values: string[]): number[] {
  const seen = new Set<string>();
  const out: number[] = [];
  values.forEach((v, i) => {
    if (seen.has(v)) out.push(i);
    seen.add(v);
  });
  return out;
}

/** What the schema promises about an archive it accepted. */
export type ValidArchive = z.infer<typeof sessionArchiveSchema>;
