/** Schema versions, applied in order; `PRAGMA user_version` records the last one applied. */
export const MIGRATIONS: string[] = [
  `
  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE facilitator_tokens (
    session_id TEXT NOT NULL REFERENCES sessions(id),
    token_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (session_id, token_hash)
  );
  CREATE TABLE participants (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    name TEXT NOT NULL,
    group_id TEXT,
    token_hash TEXT NOT NULL,
    joined_at INTEGER NOT NULL
  );
  CREATE UNIQUE INDEX participants_token ON participants(session_id, token_hash);
  CREATE INDEX participants_session ON participants(session_id, joined_at);
  CREATE TABLE requests (
    session_id TEXT NOT NULL,
    actor TEXT NOT NULL,
    rid TEXT NOT NULL,
    response TEXT NOT NULL,
    PRIMARY KEY (session_id, actor, rid)
  );
  CREATE TABLE ballots (
    session_id TEXT NOT NULL,
    round INTEGER NOT NULL,
    participant_id TEXT NOT NULL,
    allocation TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (session_id, round, participant_id)
  );
  CREATE TABLE yjs_updates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc TEXT NOT NULL,
    data BLOB NOT NULL
  );
  CREATE INDEX yjs_updates_doc ON yjs_updates(doc, id);
  CREATE TABLE yjs_snapshots (
    doc TEXT PRIMARY KEY,
    data BLOB NOT NULL,
    upto INTEGER NOT NULL
  );
  `,
  // General ballots: one answer per voter and round. For anonymous ballots `voter` is an
  // HMAC of the teacher's token under the session's secret and `participant_id`/`updated_at`
  // are NULL, so no stored data links an answer to a name. WITHOUT ROWID: no insertion order either.
  `
  CREATE TABLE ballot_answers (
    session_id TEXT NOT NULL,
    ballot_id TEXT NOT NULL,
    round INTEGER NOT NULL,
    voter TEXT NOT NULL,
    participant_id TEXT,
    answer TEXT NOT NULL,
    request_id TEXT NOT NULL,
    updated_at INTEGER,
    PRIMARY KEY (session_id, ballot_id, round, voter)
  ) WITHOUT ROWID;
  CREATE TABLE ballot_secrets (
    session_id TEXT PRIMARY KEY,
    secret BLOB NOT NULL
  );
  `,
  // The reflection diary: a teacher's private entries; `shared` = 1 lets facilitators read one.
  `
  CREATE TABLE diary_entries (
    session_id TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    id TEXT NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    shared INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (session_id, participant_id, id)
  );
  CREATE INDEX diary_entries_shared ON diary_entries(session_id, shared);
  `,
  // Saved session templates: the template's JSON as imported or saved from a session.
  `
  CREATE TABLE templates (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX templates_created ON templates(created_at);
  `,
  // Whoever saved a template may delete it: the hash of the token they were given. NULL
  // for templates saved before there were owners, which nobody may delete.
  `
  ALTER TABLE templates ADD COLUMN owner_hash TEXT;
  `,
  // Workspaces: accounts (a password hash each) and their signed-in browsers (a token's hash),
  // members with a role, invitation links (a token's hash), councils, numbered meetings and
  // the execution of their decisions, and which sessions, templates and participant records
  // belong to a workspace or an account. Records read whole keep their JSON in `body`.
  `
  CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    login TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE auth_sessions (
    id_hash TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    csrf TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX auth_sessions_account ON auth_sessions(account_id);
  CREATE TABLE workspaces (
    id TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE memberships (
    workspace_id TEXT NOT NULL REFERENCES workspaces(id),
    account_id TEXT NOT NULL REFERENCES accounts(id),
    role TEXT NOT NULL,
    joined_at INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, account_id)
  );
  CREATE INDEX memberships_account ON memberships(account_id);
  CREATE TABLE invitations (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id),
    token_hash TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    max_uses INTEGER NOT NULL,
    uses INTEGER NOT NULL DEFAULT 0,
    revoked INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX invitations_workspace ON invitations(workspace_id, created_at);
  CREATE TABLE councils (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id),
    body TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX councils_workspace ON councils(workspace_id, created_at);
  CREATE TABLE meetings (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id),
    council_id TEXT NOT NULL REFERENCES councils(id),
    year INTEGER NOT NULL,
    number INTEGER NOT NULL,
    body TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    CONSTRAINT meetings_number UNIQUE (council_id, year, number)
  );
  CREATE INDEX meetings_workspace ON meetings(workspace_id, year);
  CREATE TABLE decision_executions (
    workspace_id TEXT NOT NULL REFERENCES workspaces(id),
    decision_id TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (workspace_id, decision_id)
  );
  CREATE TABLE workspace_sessions (
    session_id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id),
    kind TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX workspace_sessions_workspace ON workspace_sessions(workspace_id, created_at);
  CREATE TABLE workspace_templates (
    template_id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id),
    created_at INTEGER NOT NULL
  );
  CREATE INDEX workspace_templates_workspace ON workspace_templates(workspace_id, created_at);
  CREATE TABLE participant_accounts (
    session_id TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    linked_at INTEGER NOT NULL,
    PRIMARY KEY (session_id, participant_id)
  );
  CREATE INDEX participant_accounts_account ON participant_accounts(account_id, linked_at);
  `,
  // Projects made from sprint cards (a card becomes one project: `projects_card`), teachers'
  // portfolio records, and uploaded files with their bytes in the row, so a backup of the
  // database holds them too. Records read whole keep their JSON in `body`.
  `
  CREATE TABLE projects (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id),
    source_session_id TEXT,
    source_card_id TEXT,
    body TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    CONSTRAINT projects_card UNIQUE (source_session_id, source_card_id)
  );
  CREATE INDEX projects_workspace ON projects(workspace_id, created_at);
  CREATE TABLE portfolios (
    account_id TEXT PRIMARY KEY REFERENCES accounts(id),
    body TEXT NOT NULL,
    version INTEGER NOT NULL
  );
  CREATE TABLE blobs (
    id TEXT PRIMARY KEY,
    owner_id TEXT NOT NULL REFERENCES accounts(id),
    workspace_id TEXT REFERENCES workspaces(id),
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    data BLOB NOT NULL
  );
  CREATE INDEX blobs_owner ON blobs(owner_id);
  `,
  // The structured expert interview: one answer per expert and question. `expert` is
  // `p:<participantId>` for a teacher of the session or `n:<name>` for an expert only
  // named (their name in `name`); `themes` is the JSON list of the facilitator's tags.
  `
  CREATE TABLE interview_answers (
    session_id TEXT NOT NULL,
    question_id TEXT NOT NULL,
    expert TEXT NOT NULL,
    participant_id TEXT,
    name TEXT NOT NULL,
    text TEXT NOT NULL,
    themes TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (session_id, question_id, expert)
  );
  CREATE INDEX interview_answers_expert ON interview_answers(session_id, expert);
  `,
];
