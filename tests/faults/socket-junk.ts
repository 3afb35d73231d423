import fc from 'fast-check';
import { commandSchema } from '@kenes/shared/schemas';

/** Event names Socket.IO keeps for itself: a client cannot emit them. */
export const RESERVED = new Set(['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener']);

/** Nested arrays and objects, `depth` levels down. */
export function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

/** Anything a broken or hostile client might put in a field or send as a payload (small). */
export const junk: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.anything({ maxDepth: 4, maxKeys: 6 }) },
  fc.string({ maxLength: 60 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constantFrom(null, undefined, '', [], {}),
  fc.uint8Array({ maxLength: 64 }),
  fc.integer({ min: 10, max: 300 }).map(nested),
);

/** Large payloads, each alone under the 256 KiB message cap (ASCII and two-byte characters). */
export const huge: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: 20_000, max: 200_000 }).map((n) => 'x'.repeat(n)),
  fc.integer({ min: 10_000, max: 120_000 }).map((n) => ({ rid: 'r'.repeat(16), cmd: { type: 'case.set', case: { title: 'ж'.repeat(n), situation: '', questions: '' } } })),
  fc.integer({ min: 5_000, max: 20_000 }).map((n) => ({ rid: 'r'.repeat(16), cmd: { type: 'group.solution', groupId: 'g1', text: 'y'.repeat(n) } })),
);

/** A whole payload: junk, or now and then a huge one. */
export const payload: fc.Arbitrary<unknown> = fc.oneof({ weight: 12, arbitrary: junk }, huge);

/** Request ids: mostly well-formed, some not. */
export const rid = fc.oneof({ weight: 5, arbitrary: fc.string({ minLength: 8, maxLength: 64 }) }, fc.string({ maxLength: 7 }), fc.string({ minLength: 65, maxLength: 90 }), junk);

/** Values that fit command fields often enough to reach the rules, and often do not. */
const field = fc.oneof(
  fc.integer({ min: -5, max: 60 }),
  fc.constantFrom('g1', 'g2', 'g9', 'plenary', 'g-g1', 's1', '', 'single', 'named', 'live', 'self', 'speaker'),
  fc.string({ maxLength: 30 }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.integer({ min: 0, max: 5 }), { maxKeys: 3 }),
  junk,
);

/** Every command type of the union with its own field names, filled at random. */
const shapes = commandSchema.options.map((o) => ({ type: o.shape.type.value as string, keys: Object.keys(o.shape).filter((k) => k !== 'type') }));

export const command: fc.Arbitrary<unknown> = fc.constantFrom(...shapes).chain(({ type, keys }) =>
  fc
    .record(Object.fromEntries(keys.map((k) => [k, field])) as Record<string, fc.Arbitrary<unknown>>, { requiredKeys: [] })
    .map((fields) => ({ type, ...fields })),
);

/** A command request: usually the right envelope around a random command, sometimes junk. */
export const commandRequest = fc.oneof({ weight: 6, arbitrary: fc.record({ rid, cmd: command }) }, fc.record({ rid, cmd: junk }), payload);

/**
 * fast-check's report, cut short: a counterexample can be a 200 KB string. The seed and
 * path replay the run (`KENES_FUZZ_SEED`, or fc.assert's `seed` and `path`).
 */
export function shortReport<Ts>(details: fc.RunDetails<Ts>): void {
  if (!details.failed) return;
  const example = fc.stringify(details.counterexample);
  const shown = example.length > 1500 ? `${example.slice(0, 1500)}… (${example.length} characters)` : example;
  throw new Error(
    `property failed after ${details.numRuns} runs — seed ${details.seed}, path "${details.counterexamplePath}"\n` +
      `counterexample: ${shown}\ncause: ${String(details.errorInstance)}`,
  );
}
