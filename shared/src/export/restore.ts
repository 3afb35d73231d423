import type * as Y from 'yjs';
import { buildBallot, specOf } from '../ballots/define.js';
import type { BallotDef } from '../ballots/types.js';
import { addCard, type CardView } from '../board/cards.js';
import { createCluster, type ClusterView } from '../board/clusters.js';
import { addNote, parseBoardId, personalBoardId, toggleReaction, type NoteView } from '../board/notes.js';
import { emptyProtocol } from '../flow/session.js';
import { cleanSpec, stageShape } from '../methods/agenda.js';
import type { Group, Participant, SessionState, Stage, VoteState } from '../model/types.js';
import type { ValidArchive } from './schemas.js';

/** A board's content as the archive lists it. */
export interface BoardContent {
  boardId: string;
  notes: NoteView[];
  clusters: ClusterView[];
  cards: CardView[];
}

/** A session rebuilt from its archive, ready to store under new ids. */
export interface RestoredSession {
  state: SessionState;
  /** The teachers by name; nobody holds a token for them, so they cannot sign in. */
  participants: Participant[];
  boards: BoardContent[];
}

export interface RestoreIds {
  id: string;
  code: string;
  /** A fresh id per teacher: participant ids are unique across sessions. */
  participantId: () => string;
}

/**
 * A new session from an archive: the same agenda, stages with their visits, case,
 * groups with their solutions and roles, decision and protocol, revealed results,
 * teachers and boards — under a new id and room code, with every teacher's id
 * replaced (in groups' roles, personal board ids, note authors and +1s, card
 * authors, NGT speaking orders).
 *
 * What lived only outside the archive starts afresh: the timer is idle, nothing is
 * projected or followed, and a dot vote or ballot whose answers would be needed
 * (open, or closed without a published tally) is back to a draft / idle state.
 */
export function restoreSession(a: ValidArchive, ids: RestoreIds): RestoredSession {
  const fresh = new Map(a.participants.map((p) => [p.id, ids.participantId()]));
  const swap = (pid: string) => fresh.get(pid) ?? pid;
  const s = a.state;
  const stages: Stage[] = s.stages.map((st) => ({ ...st, ...(stageShape(st.key) ?? { kind: st.kind, board: st.board }) }));
  const state: SessionState = {
    id: ids.id,
    code: ids.code,
    title: s.title,
    facilitator: s.facilitator,
    locale: s.locale,
    template: s.template,
    createdAt: s.createdAt,
    version: 1,
    stageIndex: s.stageIndex,
    stages,
    timer: { status: 'idle', durationMs: stages[s.stageIndex]!.plannedMin * 60_000 },
    groups: s.groups.map((g): Group => ({ ...g, roles: remapRoles(g.roles, fresh) })),
    groupMode: s.groupMode,
    case: { ...s.case },
    vote: restoreVote(s.vote),
    decision: s.decision,
    protocol: { ...emptyProtocol(), ...s.protocol },
    screen: { board: null },
    follow: null,
    ballots: s.ballots.map((b) => restoreBallot(b as BallotDef, fresh)),
  };
  const participants = a.participants.map((p) => ({ id: swap(p.id), name: p.name, groupId: p.groupId, joinedAt: p.joinedAt }));
  const boards = a.boards.map((b): BoardContent => {
    const ref = parseBoardId(b.boardId);
    return {
      boardId: ref?.kind === 'personal' ? personalBoardId(swap(ref.id)) : b.boardId,
      notes: b.notes.map((n) => ({ ...n, authorId: swap(n.authorId), reactions: n.reactions.map(swap).sort() })),
      clusters: b.clusters.map((c) => ({ ...c })),
      cards: b.cards.map((c) => ({ ...c, authorId: swap(c.authorId) })),
    };
  });
  return { state, participants, boards };
}

/** Write a board's archived content into an empty document, in one transaction. */
export function writeBoard(doc: Y.Doc, board: Pick<BoardContent, 'notes' | 'clusters' | 'cards'>): void {
  doc.transact(() => {
    for (const n of board.notes) {
      addNote(doc, { ...n, fromGroup: n.fromGroup ?? undefined, subject: n.subject ?? undefined });
      for (const who of n.reactions) toggleReaction(doc, n.id, who);
    }
    for (const c of board.clusters) createCluster(doc, c, []);
    for (const { fromGroup, ...card } of board.cards) addCard(doc, fromGroup ? { ...card, fromGroup } : card);
  });
}

function remapRoles(roles: Group['roles'], fresh: Map<string, string>): Group['roles'] {
  const out: Group['roles'] = {};
  for (const [role, pid] of Object.entries(roles) as [keyof Group['roles'], string | undefined][]) {
    const id = pid && fresh.get(pid);
    if (id) out[role] = id;
  }
  return out;
}

/** A revealed vote keeps its tally; any other goes back to idle, since its dots are not in the archive. */
function restoreVote(v: VoteState): VoteState {
  if (v.status === 'revealed') return v;
  return { ...v, status: 'idle', results: null };
}

/**
 * A ballot with a published tally (revealed, or closed live) keeps it; any other
 * is a draft again, because the answers it would need are not in the archive.
 */
function restoreBallot(b: BallotDef, fresh: Map<string, string>): BallotDef {
  const published = b.status === 'revealed' || (b.status === 'closed' && b.results !== null);
  if (!published) return b.status === 'draft' ? b : buildBallot(cleanSpec(specOf(b)), b.id);
  if (!b.turns) return b;
  const order = b.turns.order.flatMap((pid) => (fresh.has(pid) ? [fresh.get(pid)!] : []));
  return { ...b, turns: { order, turn: Math.min(b.turns.turn, order.length) } };
}
