import { parseBoardId } from '../board/notes.js';
import type { Actor, SessionState } from '../model/types.js';

export type BoardAccess = 'write' | 'read' | 'none';

/**
 * Who may open a board: facilitators every board; a teacher their own board and
 * their group's; the projector only the board the facilitator put on it. The board
 * every screen follows ("follow me": a group board or the plenary) is readable by all.
 */
export function boardAccess(state: SessionState, actor: Actor, boardId: string): BoardAccess {
  const board = parseBoardId(boardId);
  if (!board) return 'none';
  if (board.kind === 'group' && !state.groups.some((g) => g.id === board.id)) return 'none';
  if (board.kind === 'plenary') return actor.role === 'facilitator' ? 'write' : 'read';
  switch (actor.role) {
    case 'facilitator':
      return 'write';
    case 'screen':
      return board.kind !== 'personal' && (state.screen.board === boardId || state.follow === boardId) ? 'read' : 'none';
    case 'participant':
      if (board.kind === 'personal') return board.id === actor.id ? 'write' : 'none';
      if (board.id === actor.groupId) return 'write';
      return state.follow === boardId ? 'read' : 'none';
  }
}
