import type { Actor, Allocation, Participant, ProtocolInfo, SessionState, Stage, VoteResults } from '../model/types.js';
import type { ErrorCode } from '../protocol/errors.js';
import { addTime, pauseTimer, resetTimer, resumeTimer, startTimer } from '../time/timer.js';
import { tallyDots } from '../voting/dots.js';
import { PARTICIPANT_COMMANDS, type Command } from './commands.js';
import { balancedAssignment } from './groups.js';
import { PLENARY_BOARD_ID } from '../board/notes.js';
import type { AnswerRecord } from '../ballots/types.js';
import { isBallotCommand, reduceBallot } from './ballots.js';
import { isInterviewCommand, reduceInterview } from '../interview/reduce.js';

export interface CommandContext {
  now: number;
  /** Teachers present, for splitting into groups. */
  present?: () => Participant[];
  /** Every ballot of the current vote round, for the reveal. */
  ballots?: () => Allocation[];
  /** [0, 1) random source, for shuffling teachers into groups. */
  random?: () => number;
  /** A participant's group (null: none; undefined: no such participant), for group roles. */
  groupOf?: (participantId: string) => string | null | undefined;
  /** Every answer of one round of a general ballot, for its tally. */
  answers?: (ballotId: string, round: number) => AnswerRecord[];
}

/** A participant's new group: [participantId, groupId or null]. */
export type Assignment = [string, string | null];

/**
 * Work on boards that a command asks of the server, done right after the state is
 * written: boards are Yjs documents the reducer cannot touch.
 */
export type BoardEffect =
  /** Copy every teacher's private notes of a stage onto their group's board. */
  | { kind: 'reveal'; stageId: string }
  /** Copy notes from a group board onto the plenary board. */
  | { kind: 'publish'; groupId: string; noteIds: string[] };

export type CommandResult =
  | { ok: true; state: SessionState; assign?: Assignment[]; dissolved?: string[]; effects?: BoardEffect[] }
  | { ok: false; error: ErrorCode };

const fail = (error: ErrorCode): CommandResult => ({ ok: false, error });

export function mayRun(actor: Actor, cmd: Command): boolean {
  if (actor.role === 'facilitator') return true;
  if (actor.role === 'participant') return PARTICIPANT_COMMANDS.has(cmd.type);
  return false;
}

/**
 * Apply one command to control state. Pure: the same state, command and context
 * always give the same result, and the input state is never mutated.
 */
export function applyCommand(state: SessionState, cmd: Command, actor: Actor, ctx: CommandContext): CommandResult {
  if (!mayRun(actor, cmd)) return fail('forbidden');
  const result = reduce(state, cmd, actor, ctx);
  if (result.ok) result.state = { ...result.state, version: state.version + 1 };
  return result;
}

function reduce(s: SessionState, cmd: Command, actor: Actor, ctx: CommandContext): CommandResult {
  const ok = (state: SessionState, assign?: Assignment[], dissolved?: string[]): CommandResult => ({
    ok: true,
    state,
    assign,
    dissolved,
  });
  const withEffect = (state: SessionState, effect: BoardEffect): CommandResult => ({ ok: true, state, effects: [effect] });
  const { now } = ctx;
  if (isBallotCommand(cmd)) return reduceBallot(s, cmd, ctx);
  if (isInterviewCommand(cmd)) return reduceInterview(s, cmd);
  switch (cmd.type) {
    case 'stage.go': {
      if (cmd.from !== undefined && cmd.from !== s.stageIndex) return fail('stale');
      if (!Number.isInteger(cmd.index) || cmd.index < 0 || cmd.index >= s.stages.length) return fail('invalid_stage');
      if (cmd.index === s.stageIndex) return ok(s);
      const stages = s.stages.map((st, i) => {
        if (i === s.stageIndex) return closeVisit(st, now);
        if (i === cmd.index) return { ...st, visits: [...st.visits, { startedAt: now, endedAt: null }] };
        return st;
      });
      const target = stages[cmd.index]!;
      return ok({ ...s, stages, stageIndex: cmd.index, timer: resetTimer(target.plannedMin * 60_000) });
    }
    case 'stage.edit': {
      const st = s.stages[cmd.index];
      if (!st) return fail('invalid_stage');
      const next: Stage = { ...st };
      if (cmd.title !== undefined) next.title = cmd.title?.trim() || null;
      if (cmd.instructions !== undefined) next.instructions = cmd.instructions?.trim() || null;
      if (cmd.plannedMin !== undefined) next.plannedMin = cmd.plannedMin;
      const stages = s.stages.map((x, i) => (i === cmd.index ? next : x));
      const timer =
        cmd.index === s.stageIndex && cmd.plannedMin !== undefined && s.timer.status === 'idle'
          ? resetTimer(cmd.plannedMin * 60_000)
          : s.timer;
      return ok({ ...s, stages, timer });
    }
    case 'timer.start':
      return ok({ ...s, timer: startTimer(cmd.durationMs ?? s.timer.durationMs, now) });
    case 'timer.pause': {
      const timer = pauseTimer(s.timer, now);
      return timer ? ok({ ...s, timer }) : fail('timer_state');
    }
    case 'timer.resume': {
      const timer = resumeTimer(s.timer, now);
      return timer ? ok({ ...s, timer }) : fail('timer_state');
    }
    case 'timer.add':
      return ok({ ...s, timer: addTime(s.timer, cmd.ms, now) });
    case 'timer.reset':
      return ok({ ...s, timer: resetTimer((s.stages[s.stageIndex]?.plannedMin ?? 5) * 60_000) });
    case 'session.edit':
      return ok({
        ...s,
        title: cmd.title?.trim() || s.title,
        facilitator: cmd.facilitator !== undefined ? cmd.facilitator.trim() : s.facilitator,
      });
    case 'case.set':
      return ok({ ...s, case: { ...cmd.case } });
    case 'protocol.edit':
      return ok({ ...s, protocol: editProtocol(s.protocol, cmd.protocol) });
    case 'groups.split': {
      const groups = Array.from(
        { length: cmd.count },
        (_, i) => s.groups[i] ?? { id: nextGroupId(s, i - s.groups.length), name: '', solution: null, roles: {} },
      );
      const present = ctx.present?.() ?? [];
      const assign = balancedAssignment(
        present.map((p) => p.id),
        groups.map((g) => g.id),
        ctx.random ?? Math.random,
      );
      // Absent teachers keep their group unless it no longer exists.
      const dissolved = s.groups.slice(cmd.count).map((g) => g.id);
      return ok({ ...s, groups, groupMode: 'assigned' }, assign, dissolved);
    }
    case 'groups.mode':
      return ok({ ...s, groupMode: cmd.mode });
    case 'group.add': {
      if (s.groups.length >= 50) return fail('bad_request');
      const group = { id: nextGroupId(s, 0), name: cmd.name?.trim() ?? '', solution: null, roles: {} };
      return ok({ ...s, groups: [...s.groups, group] });
    }
    case 'group.rename': {
      if (!s.groups.some((g) => g.id === cmd.groupId)) return fail('unknown_group');
      return ok({ ...s, groups: s.groups.map((g) => (g.id === cmd.groupId ? { ...g, name: cmd.name.trim() } : g)) });
    }
    case 'participant.move': {
      if (cmd.groupId !== null && !s.groups.some((g) => g.id === cmd.groupId)) return fail('unknown_group');
      return ok(s, [[cmd.participantId, cmd.groupId]]);
    }
    case 'group.choose': {
      if (actor.role !== 'participant') return fail('forbidden');
      if (s.groupMode !== 'self') return fail('self_select_closed');
      if (!s.groups.some((g) => g.id === cmd.groupId)) return fail('unknown_group');
      return ok(s, [[actor.id, cmd.groupId]]);
    }
    case 'group.solution': {
      if (!s.groups.some((g) => g.id === cmd.groupId)) return fail('unknown_group');
      if (actor.role === 'participant' && actor.groupId !== cmd.groupId) return fail('not_in_group');
      const text = cmd.text?.trim() || null;
      return ok({ ...s, groups: s.groups.map((g) => (g.id === cmd.groupId ? { ...g, solution: text } : g)) });
    }
    case 'vote.configure': {
      if (s.vote.status === 'open') return fail('vote_not_closed');
      if (cmd.maxPerOption > cmd.dots) return fail('bad_request');
      return ok({ ...s, vote: { ...s.vote, dots: cmd.dots, maxPerOption: cmd.maxPerOption } });
    }
    case 'vote.open': {
      if (s.vote.status === 'open') return ok(s);
      if (s.vote.status === 'closed') return ok({ ...s, vote: { ...s.vote, status: 'open' } });
      const options = s.groups
        .filter((g) => g.solution)
        .map((g, i) => ({ id: g.id, label: g.solution!, groupName: g.name || `#${s.groups.indexOf(g) + 1 || i + 1}` }));
      if (options.length === 0) return fail('no_options');
      return ok({ ...s, vote: { ...s.vote, status: 'open', round: s.vote.round + 1, options, results: null } });
    }
    case 'vote.close':
      if (s.vote.status !== 'open') return fail('vote_not_open');
      return ok({ ...s, vote: { ...s.vote, status: 'closed' } });
    case 'vote.reveal': {
      if (s.vote.status === 'idle') return fail('vote_not_open');
      const results: VoteResults = tallyDots(
        s.vote.options.map((o) => o.id),
        ctx.ballots?.() ?? [],
      );
      return ok({ ...s, vote: { ...s.vote, status: 'revealed', results } });
    }
    case 'vote.reset':
      return ok({ ...s, vote: { ...s.vote, status: 'idle', options: [], results: null } });
    case 'decision.record': {
      if (cmd.optionId !== null && !s.vote.options.some((o) => o.id === cmd.optionId)) return fail('unknown_option');
      return ok({ ...s, decision: { optionId: cmd.optionId, title: cmd.title.trim(), reason: cmd.reason.trim(), recordedAt: now } });
    }
    case 'stage.settings': {
      const st = s.stages[cmd.index];
      if (!st) return fail('invalid_stage');
      const next: Stage = {
        ...st,
        layout: cmd.layout ?? st.layout,
        privateWriting: cmd.privateWriting ?? st.privateWriting,
        showAuthors: cmd.showAuthors ?? st.showAuthors,
      };
      return ok({ ...s, stages: s.stages.map((x, i) => (i === cmd.index ? next : x)) });
    }
    case 'stage.reveal': {
      const st = s.stages[cmd.index];
      if (!st) return fail('invalid_stage');
      if (!st.privateWriting || st.revealed) return fail('already_revealed');
      const stages = s.stages.map((x, i) => (i === cmd.index ? { ...x, revealed: true } : x));
      return withEffect({ ...s, stages }, { kind: 'reveal', stageId: st.id });
    }
    case 'follow.set': {
      if (cmd.board !== null && !isBoardOfSession(s, cmd.board)) return fail('unknown_board');
      return ok({ ...s, follow: cmd.board });
    }
    case 'group.role': {
      const group = s.groups.find((g) => g.id === cmd.groupId);
      if (!group) return fail('unknown_group');
      if (actor.role === 'participant' && actor.groupId !== cmd.groupId) return fail('not_in_group');
      // A role goes to a member of the group.
      if (cmd.participantId !== null && ctx.groupOf && ctx.groupOf(cmd.participantId) !== cmd.groupId)
        return fail('unknown_participant');
      const roles = { ...group.roles };
      if (cmd.participantId === null) delete roles[cmd.role];
      else roles[cmd.role] = cmd.participantId;
      return ok({ ...s, groups: s.groups.map((g) => (g.id === cmd.groupId ? { ...g, roles } : g)) });
    }
    case 'board.publish': {
      if (!s.groups.some((g) => g.id === cmd.groupId)) return fail('unknown_group');
      if (actor.role === 'participant' && actor.groupId !== cmd.groupId) return fail('not_in_group');
      return withEffect(s, { kind: 'publish', groupId: cmd.groupId, noteIds: cmd.noteIds });
    }
    case 'screen.show': {
      if (cmd.board !== null && !isBoardOfSession(s, cmd.board)) return fail('unknown_board');
      return ok({ ...s, screen: { ...s.screen, board: cmd.board } });
    }
    case 'screen.ballot': {
      if (cmd.ballotId !== null && !s.ballots.some((b) => b.id === cmd.ballotId)) return fail('unknown_ballot');
      return ok({ ...s, screen: { ...s.screen, ballot: cmd.ballotId } });
    }
  }
}

/** A board id that names something in this session: a group's board or the plenary board. */
function isBoardOfSession(s: SessionState, board: string): boolean {
  return board === PLENARY_BOARD_ID || s.groups.some((g) => `g-${g.id}` === board);
}

function closeVisit(st: Stage, now: number): Stage {
  const last = st.visits[st.visits.length - 1];
  if (!last || last.endedAt !== null) return st;
  return { ...st, visits: [...st.visits.slice(0, -1), { ...last, endedAt: now }] };
}

function nextGroupId(s: SessionState, offset: number): string {
  const max = s.groups.reduce((m, g) => Math.max(m, Number(g.id.slice(1)) || 0), 0);
  return `g${max + 1 + offset}`;
}

/** Trimmed text fields; blank decisions dropped, so an emptied list falls back to the vote's decision. */
function editProtocol(cur: ProtocolInfo, edit: Partial<ProtocolInfo>): ProtocolInfo {
  const next = { ...cur };
  for (const key of ['organisation', 'place', 'number', 'summary'] as const) {
    const v = edit[key];
    if (v !== undefined) next[key] = v.trim();
  }
  if (edit.decisions) next.decisions = edit.decisions.map((d) => d.trim()).filter((d) => d.length > 0);
  return next;
}
