import { createHash } from 'node:crypto';
import type { Allocation, BallotAnswer } from '@kenes/shared';

/**
 * The answers a command tallied while their round was still open (closing or revealing
 * it). Its commit holds only if they are still every answer of the round, compared
 * under the session row's lock, after which no answer to the round can be written.
 */
export interface TallyRead {
  /** A general ballot, or null for the dot vote. */
  ballotId: string | null;
  round: number;
  /** `answersDigest` or `allocationsDigest` of what the tally read. */
  digest: string;
}

/** A fingerprint of a round's answers, whatever order they were read in. */
export function answersDigest(rows: { voter: string; answer: BallotAnswer }[]): string {
  return digest(rows.map((r) => JSON.stringify([r.voter, r.answer])));
}

/** A fingerprint of a dot-vote round's ballots, whatever order they were read in (the tally counts them alike). */
export function allocationsDigest(rows: Allocation[]): string {
  return digest(rows.map((a) => JSON.stringify(a)));
}

function digest(items: string[]): string {
  const hash = createHash('sha256');
  for (const item of items.sort()) hash.update(item).update('\n');
  return hash.digest('base64url');
}
