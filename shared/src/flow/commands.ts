import type { LayoutId } from '../board/layouts.js';
import type { CaseText, GroupMode, GroupRole, ProtocolInfo } from '../model/types.js';
import type { BallotCommand } from './ballots.js';
import type { InterviewCommand } from '../interview/reduce.js';

/** Every change to control state a client can ask for. */
export type Command =
  | { type: 'stage.go'; index: number; from?: number }
  | { type: 'stage.edit'; index: number; title?: string | null; instructions?: string | null; plannedMin?: number }
  | { type: 'timer.start'; durationMs?: number }
  | { type: 'timer.pause' }
  | { type: 'timer.resume' }
  | { type: 'timer.add'; ms: number }
  | { type: 'timer.reset' }
  | { type: 'session.edit'; title?: string; facilitator?: string }
  | { type: 'case.set'; case: CaseText }
  | { type: 'protocol.edit'; protocol: Partial<ProtocolInfo> }
  | { type: 'groups.split'; count: number }
  | { type: 'groups.mode'; mode: GroupMode }
  | { type: 'group.add'; name?: string }
  | { type: 'group.rename'; groupId: string; name: string }
  | { type: 'participant.move'; participantId: string; groupId: string | null }
  | { type: 'group.choose'; groupId: string }
  | { type: 'group.solution'; groupId: string; text: string | null }
  | { type: 'vote.configure'; dots: number; maxPerOption: number }
  | { type: 'vote.open' }
  | { type: 'vote.close' }
  | { type: 'vote.reveal' }
  | { type: 'vote.reset' }
  | { type: 'decision.record'; optionId: string | null; title: string; reason: string }
  | { type: 'screen.show'; board: string | null }
  | { type: 'screen.ballot'; ballotId: string | null }
  | { type: 'stage.settings'; index: number; layout?: LayoutId; privateWriting?: boolean; showAuthors?: boolean }
  | { type: 'stage.reveal'; index: number }
  | { type: 'follow.set'; board: string | null }
  | { type: 'group.role'; groupId: string; role: GroupRole; participantId: string | null }
  | { type: 'board.publish'; groupId: string; noteIds: string[] }
  | BallotCommand
  | InterviewCommand;

export type CommandType = Command['type'];

/** Commands a teacher may send; every other one needs a facilitator. */
export const PARTICIPANT_COMMANDS: ReadonlySet<CommandType> = new Set([
  'group.choose',
  'group.solution',
  'group.role',
  'board.publish',
]);
