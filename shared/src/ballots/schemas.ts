import { z } from 'zod';
import { DELPHI_COMMENT_MAX, DELPHI_RULES } from './delphi.js';
import { BALLOT_KINDS, BALLOT_LIMITS, BALLOT_PRIVACY, BALLOT_VISIBILITY, TIE_RULES } from './types.js';

/** Payload schemas of the ballot commands and the `ballot.answer` event (server only: browsers never load zod). */

const rid = z.string().min(8).max(64);
const key = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);
const label = z.string().max(BALLOT_LIMITS.label);
const int = z.number().int();
const grade = int.min(-BALLOT_LIMITS.scaleBound).max(BALLOT_LIMITS.scaleBound);
const few = <T extends z.ZodTypeAny>(item: T, max: number) => z.array(item).max(max);
/** A record keyed by option or criterion ids, with at most `max` keys. */
const keyed = <T extends z.ZodTypeAny>(value: T, max: number) =>
  z.record(key, value).refine((r) => Object.keys(r).length <= max, { message: 'too many keys' });

const specFields = {
  kind: z.enum(BALLOT_KINDS),
  title: z.string().max(BALLOT_LIMITS.title),
  options: few(z.object({ id: key, label }), BALLOT_LIMITS.options),
  criteria: few(z.object({ id: key, label, weight: z.number().positive().max(1000) }), BALLOT_LIMITS.criteria).optional(),
  scale: z
    .object({ min: grade, max: grade, labels: few(label, BALLOT_LIMITS.scaleSpan + 1).optional() })
    .optional(),
  dots: int.min(1).max(BALLOT_LIMITS.maxDots).optional(),
  maxPerOption: int.min(1).max(BALLOT_LIMITS.maxDots).optional(),
  maxChoices: int.min(1).max(BALLOT_LIMITS.options).optional(),
  privacy: z.enum(BALLOT_PRIVACY).optional(),
  visibility: z.enum(BALLOT_VISIBILITY).optional(),
  tieRule: z.enum(TIE_RULES).optional(),
  delphi: z
    .object({
      rule: z.enum(DELPHI_RULES),
      threshold: z.number().min(0).max(100).optional(),
      maxRounds: int.min(1).max(10),
      deadline: int.positive().optional(),
    })
    .optional(),
  ngt: z.boolean().optional(),
  competence: z.boolean().optional(),
};

export const ballotSpecSchema = z.object({ id: key.optional(), ...specFields });
const ballotChangesSchema = z.object(specFields).partial();
const ballotId = { ballotId: key };

/** The `ballot.*` members of the command union. */
export const ballotCommandSchemas = [
  z.object({ type: z.literal('ballot.create'), ballot: ballotSpecSchema }),
  z.object({ type: z.literal('ballot.update'), ...ballotId, changes: ballotChangesSchema }),
  z.object({ type: z.literal('ballot.open'), ...ballotId }),
  z.object({ type: z.literal('ballot.close'), ...ballotId }),
  z.object({ type: z.literal('ballot.reopen'), ...ballotId }),
  z.object({ type: z.literal('ballot.reveal'), ...ballotId }),
  z.object({ type: z.literal('ballot.round'), ...ballotId }),
  z.object({ type: z.literal('ballot.delete'), ...ballotId }),
  z.object({ type: z.literal('ngt.order'), ...ballotId, order: few(key, 1000) }),
  z.object({ type: z.literal('ngt.next'), ...ballotId }),
] as const;

const O = BALLOT_LIMITS.options;
export const ballotAnswerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('single'), option: key }),
  z.object({ kind: z.literal('multiple'), options: few(key, O) }),
  z.object({ kind: z.literal('dots'), dots: keyed(int.min(0).max(BALLOT_LIMITS.maxDots), O) }),
  z.object({ kind: z.literal('ranking'), order: few(key, O) }),
  z.object({ kind: z.literal('rating'), ratings: keyed(grade, O), comments: keyed(z.string().max(DELPHI_COMMENT_MAX * 4), O).optional() }),
  z.object({ kind: z.literal('matrix'), scores: keyed(keyed(grade, BALLOT_LIMITS.criteria), O), competence: z.number().int().min(1).max(10).optional() }),
  z.object({ kind: z.literal('majority'), grades: keyed(grade, O) }),
  // Longer texts pass the schema so the rule can answer `too_large` rather than `bad_request`.
  z.object({ kind: z.literal('text'), text: z.string().max(BALLOT_LIMITS.text * 4) }),
]);

/** `ballot.answer`: `answer: null` withdraws this teacher's answer. */
export const ballotAnswerRequestSchema = z.object({ rid, ballotId: key, answer: ballotAnswerSchema.nullable() });

/** `ballot.answers`: the individual answers of a ballot's current round. */
export const ballotAnswersRequestSchema = z.object({ ballotId: key });
