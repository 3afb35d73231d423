import type { CardView } from '../board/cards.js';
import type { ClusterView } from '../board/clusters.js';
import type { NoteView } from '../board/notes.js';
import type { Participant, SessionState } from '../model/types.js';

/** The whole session as data: control state, who was there, and every board. Ballot answers are not in it. */
export interface SessionArchive {
  format: 'kenes-session';
  version: 1;
  exportedAt: number;
  state: SessionState;
  participants: Pick<Participant, 'id' | 'name' | 'groupId' | 'joinedAt'>[];
  boards: { boardId: string; notes: NoteView[]; clusters: ClusterView[]; cards: CardView[] }[];
}

export function sessionArchive(
  state: SessionState,
  participants: Participant[],
  boards: SessionArchive['boards'],
  exportedAt: number,
): SessionArchive {
  return {
    format: 'kenes-session',
    version: 1,
    exportedAt,
    state,
    // Presence is a moment, not a record: only who joined, when, and in which group.
    participants: participants.map(({ id, name, groupId, joinedAt }) => ({ id, name, groupId, joinedAt })),
    boards,
  };
}
