import { checkAnswer, type AnswerProblem } from '../ballots/check.js';
import { buildBallot, checkBallotDef, specOf } from '../ballots/define.js';
import { delphiRoundProblem } from '../ballots/delphi.js';
import { tallyBallot } from '../ballots/tally.js';
import { BALLOT_LIMITS, type BallotAnswer, type BallotDef, type BallotSpec } from '../ballots/types.js';
import type { SessionState } from '../model/types.js';
import type { ErrorCode } from '../protocol/errors.js';
import type { CommandContext, CommandResult } from './reduce.js';

/** The facilitator's commands over the general ballots (`SessionState.ballots`). */
export type BallotCommand =
  /** A new draft. */
  | { type: 'ballot.create'; ballot: BallotSpec }
  /** Change a draft (any field but the id); `ballot_not_draft` once opened. */
  | { type: 'ballot.update'; ballotId: string; changes: Partial<Omit<BallotSpec, 'id'>> }
  /** draft → open. */
  | { type: 'ballot.open'; ballotId: string }
  /** open → closed: answers are refused; a live ballot's final tally is published. */
  | { type: 'ballot.close'; ballotId: string }
  /** closed or revealed → open, same round: answers may be changed again. */
  | { type: 'ballot.reopen'; ballotId: string }
  /** open, closed or revealed → revealed: tallies every answer of the round into `results`. */
  | { type: 'ballot.reveal'; ballotId: string }
  /** closed or revealed → open, next round of the same questions; the last results move to `previous`. */
  | { type: 'ballot.round'; ballotId: string }
  | { type: 'ballot.delete'; ballotId: string }
  /** NGT round-robin: set the speaking order (participant ids); the turn goes back to the first. */
  | { type: 'ngt.order'; ballotId: string; order: string[] }
  /** NGT round-robin: the next speaker (past the last, the round-robin is over). */
  | { type: 'ngt.next'; ballotId: string };

export const BALLOT_COMMANDS: ReadonlySet<string> = new Set<BallotCommand['type']>([
  'ballot.create',
  'ballot.update',
  'ballot.open',
  'ballot.close',
  'ballot.reopen',
  'ballot.reveal',
  'ballot.round',
  'ballot.delete',
  'ngt.order',
  'ngt.next',
]);

export function isBallotCommand(cmd: { type: string }): cmd is BallotCommand {
  return BALLOT_COMMANDS.has(cmd.type);
}

const fail = (error: ErrorCode): CommandResult => ({ ok: false, error });
const ok = (state: SessionState): CommandResult => ({ ok: true, state });

export function ballotById(state: SessionState, ballotId: string): BallotDef | undefined {
  return state.ballots.find((b) => b.id === ballotId);
}

function nextBallotId(s: SessionState): string {
  const max = s.ballots.reduce((m, b) => Math.max(m, /^b\d+$/.test(b.id) ? Number(b.id.slice(1)) : 0), 0);
  return `b${max + 1}`;
}

/**
 * Apply a ballot command (facilitators only; `applyCommand` checks the role).
 * Pure. The tally reads the round's answers through `ctx.answers`.
 * Results stay null while a ballot is open: a live ballot's running tally travels
 * in the `ballot.results` event, not in control state.
 */
/** The ballot the projector shows: the one put on screen while it is past its draft, else the most recent such. */
export function projectedBallot(state: SessionState | null | undefined): BallotDef | null {
  const shown = state?.ballots ?? [];
  const chosen = state?.screen.ballot ? shown.find((b) => b.id === state.screen.ballot && b.status !== 'draft') : undefined;
  return chosen ?? [...shown].reverse().find((b) => b.status !== 'draft') ?? null;
}

export function reduceBallot(s: SessionState, cmd: BallotCommand, ctx: CommandContext): CommandResult {
  if (cmd.type === 'ballot.create') {
    if (s.ballots.length >= BALLOT_LIMITS.ballots) return fail('too_many_ballots');
    const id = cmd.ballot.id ?? nextBallotId(s);
    if (ballotById(s, id)) return fail('ballot_exists');
    const def = buildBallot(cmd.ballot, id);
    const problem = checkBallotDef(def);
    if (problem) return fail(problem);
    return ok({ ...s, ballots: [...s.ballots, def] });
  }
  const def = ballotById(s, cmd.ballotId);
  if (!def) return fail('unknown_ballot');
  const put = (next: BallotDef | null) =>
    ok({ ...s, ballots: next ? s.ballots.map((b) => (b.id === def.id ? next : b)) : s.ballots.filter((b) => b.id !== def.id) });
  const tally = () => tallyBallot(def, ctx.answers?.(def.id, def.round) ?? []);

  switch (cmd.type) {
    case 'ballot.update': {
      if (def.status !== 'draft') return fail('ballot_not_draft');
      const next = buildBallot({ ...specOf(def), ...cmd.changes, id: def.id }, def.id);
      const problem = checkBallotDef(next);
      return problem ? fail(problem) : put(next);
    }
    case 'ballot.open':
      if (def.status === 'open') return ok(s);
      if (def.status !== 'draft') return fail('ballot_not_draft');
      return put({ ...def, status: 'open', results: null });
    case 'ballot.close':
      if (def.status !== 'open') return fail('ballot_not_open');
      return put({ ...def, status: 'closed', results: def.visibility === 'live' ? tally() : null });
    case 'ballot.reopen':
      if (def.status === 'draft' || def.status === 'open') return fail('ballot_not_closed');
      return put({ ...def, status: 'open', results: null });
    case 'ballot.reveal':
      if (def.status === 'draft') return fail('ballot_not_open');
      return put({ ...def, status: 'revealed', results: tally() });
    case 'ballot.round': {
      if (def.status === 'draft') return fail('ballot_not_open');
      if (def.status === 'open') return fail('ballot_not_closed');
      if (!def.delphi && !def.ngt) return put({ ...def, status: 'open', round: def.round + 1, previous: def.results, results: null });
      // Delphi and NGT always tally the closing round: its feedback (median, IQR,
      // comments) or its split decides the next round, revealed or not.
      const last = def.results ?? tally();
      const problem = delphiRoundProblem(def, last);
      if (problem) return fail(problem);
      const split = def.ngt && last.kind === 'ranking' ? (last.split ?? []) : [];
      const options = split.length >= 2 ? def.options.filter((o) => split.includes(o.id)) : def.options;
      return put({ ...def, options, status: 'open', round: def.round + 1, previous: last, results: null });
    }
    case 'ngt.order':
      if (!def.ngt) return fail('not_ngt');
      return put({ ...def, turns: { order: [...new Set(cmd.order)], turn: 0 } });
    case 'ngt.next': {
      if (!def.ngt) return fail('not_ngt');
      const turns = def.turns ?? { order: [], turn: 0 };
      return put({ ...def, turns: { order: turns.order, turn: Math.min(turns.turn + 1, turns.order.length) } });
    }
    case 'ballot.delete':
      return put(null);
  }
}

/**
 * Why a teacher's answer to `ballotId` is refused now, or null: `unknown_ballot`,
 * `ballot_not_open`, or a problem of {@link checkAnswer}.
 */
export function answerProblem(state: SessionState, ballotId: string, answer: BallotAnswer): ErrorCode | AnswerProblem | null {
  const def = ballotById(state, ballotId);
  if (!def) return 'unknown_ballot';
  if (def.status !== 'open') return 'ballot_not_open';
  return checkAnswer(def, answer);
}

/** Ballots present before and gone after a change: their stored answers can go too. */
export function droppedBallots(before: SessionState, after: SessionState): string[] {
  if (before.ballots === after.ballots) return [];
  const kept = new Set(after.ballots.map((b) => b.id));
  return before.ballots.filter((b) => !kept.has(b.id)).map((b) => b.id);
}
