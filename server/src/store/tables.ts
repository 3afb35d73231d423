/** A cell as both engines read and write it: blobs as Buffers, JSON columns as text. */
export type Cell = string | number | null | Buffer;
export type Row = Record<string, Cell>;

export interface TableSpec {
  name: string;
  /** Copied columns, in order. Store-local ids (the Yjs log's) are left out and assigned anew. */
  columns: string[];
  /**
   * How a row belongs to a session: its `id` (the session row itself), its `session_id`,
   * or its Yjs document name (`<sessionId>/<boardId>`).
   */
  scope: 'id' | 'session' | 'doc';
  /** Column order for a stable dump (the Yjs log must keep its order). */
  orderBy: string;
}

/** Every table that holds a session's data, parents first. */
export const SESSION_TABLES: readonly TableSpec[] = [
  { name: 'sessions', scope: 'id', columns: ['id', 'code', 'state', 'version', 'created_at'], orderBy: 'id' },
  { name: 'facilitator_tokens', scope: 'session', columns: ['session_id', 'token_hash', 'created_at'], orderBy: 'token_hash' },
  { name: 'participants', scope: 'session', columns: ['id', 'session_id', 'name', 'group_id', 'token_hash', 'joined_at'], orderBy: 'joined_at, id' },
  { name: 'requests', scope: 'session', columns: ['session_id', 'actor', 'rid', 'response'], orderBy: 'actor, rid' },
  { name: 'ballots', scope: 'session', columns: ['session_id', 'round', 'participant_id', 'allocation', 'updated_at'], orderBy: 'round, participant_id' },
  {
    name: 'ballot_answers',
    scope: 'session',
    columns: ['session_id', 'ballot_id', 'round', 'voter', 'participant_id', 'answer', 'request_id', 'updated_at'],
    // Key order, never insertion order: an anonymous row must not be placed by its time.
    orderBy: 'ballot_id, round, voter',
  },
  { name: 'ballot_secrets', scope: 'session', columns: ['session_id', 'secret'], orderBy: 'session_id' },
  {
    name: 'diary_entries',
    scope: 'session',
    columns: ['session_id', 'participant_id', 'id', 'kind', 'text', 'shared', 'created_at', 'updated_at'],
    orderBy: 'participant_id, id',
  },
  {
    name: 'interview_answers',
    scope: 'session',
    columns: ['session_id', 'question_id', 'expert', 'participant_id', 'name', 'text', 'themes', 'recorded_by', 'created_at', 'updated_at'],
    orderBy: 'question_id, expert',
  },
  // `upto` is the snapshot's fold stamp (StoredDoc.stamp); copied updates are all unfolded, so it restarts at 0.
  { name: 'yjs_snapshots', scope: 'doc', columns: ['doc', 'data', 'upto'], orderBy: 'doc' },
  { name: 'yjs_updates', scope: 'doc', columns: ['doc', 'data'], orderBy: 'id' },
];

/** One session's rows, table by table, in a form every store reads and writes. */
export interface SessionDump {
  sessionId: string;
  tables: Record<string, Row[]>;
}

/** Yjs documents of a session are named `<sessionId>/…`: this range holds exactly them ('0' follows '/'). */
export const docRange = (sessionId: string): [string, string] => [`${sessionId}/`, `${sessionId}0`];
