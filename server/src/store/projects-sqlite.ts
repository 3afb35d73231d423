import type Database from 'better-sqlite3';
import type { BlobMeta, PortfolioRecord, Project } from '@kenes/shared';
import type { ProjectDump, ProjectStore, StoredBlob } from './projects.js';
import { body } from './workspace-sqlite.js';

/** Rows as both engines read them; `body` is text in SQLite and already parsed from JSONB in PostgreSQL. */
export interface VersionedRow {
  body: unknown;
  version: number;
}

export interface BlobMetaRow {
  id: string;
  owner_id: string;
  workspace_id: string | null;
  name: string;
  type: string;
  size: number;
  sha256: string;
  created_at: number;
}

export interface BlobRow extends BlobMetaRow {
  data: Buffer;
}

/** The version column is the truth, whatever the body says. */
export const toVersioned = <T>(r: VersionedRow): T => ({ ...body<T>(r.body), version: r.version });

export const toBlobMeta = (r: BlobMetaRow): BlobMeta => ({
  id: r.id,
  workspaceId: r.workspace_id,
  ownerId: r.owner_id,
  name: r.name,
  type: r.type,
  size: r.size,
  sha256: r.sha256,
  createdAt: r.created_at,
});

export const toBlob = (r: BlobRow): StoredBlob => ({ meta: toBlobMeta(r), data: r.data });

/** `ids`' metadata in the order asked, each once, leaving out those not found. */
export function inAskedOrder(ids: string[], found: BlobMeta[]): BlobMeta[] {
  const byId = new Map(found.map((m) => [m.id, m]));
  return [...new Set(ids)].flatMap((id) => byId.get(id) ?? []);
}

/** The tables in dump order, with their columns and keys (a restore skips a row whose key is there). */
export const PROJECT_TABLES = {
  projects: { columns: ['id', 'workspace_id', 'source_session_id', 'source_card_id', 'body', 'version', 'created_at'], key: 'id' },
  portfolios: { columns: ['account_id', 'body', 'version'], key: 'account_id' },
  blobs: { columns: ['id', 'owner_id', 'workspace_id', 'name', 'type', 'size', 'sha256', 'created_at', 'data'], key: 'id' },
} as const;

export type ProjectTable = keyof typeof PROJECT_TABLES;
/** A row to write: `body` as an object (each engine stores JSON its way), `data` as bytes. */
export type ProjectRow = Record<string, string | number | object | Buffer | null>;

/** The card's columns carry the unique constraint that makes a card one project only. */
export const projectRow = (p: Project): ProjectRow => ({
  id: p.id,
  workspace_id: p.workspaceId,
  source_session_id: p.source?.sessionId ?? null,
  source_card_id: p.source?.cardId ?? null,
  body: p,
  version: p.version,
  created_at: p.createdAt,
});

export const portfolioRow = (p: PortfolioRecord): ProjectRow => ({ account_id: p.accountId, body: p, version: p.version });

export const blobRow = ({ meta: m, data }: StoredBlob): ProjectRow => ({
  id: m.id,
  owner_id: m.ownerId,
  workspace_id: m.workspaceId,
  name: m.name,
  type: m.type,
  size: m.size,
  sha256: m.sha256,
  created_at: m.createdAt,
  data,
});

/** A dump as rows, table by table in `PROJECT_TABLES` order: what `restore` writes on either engine. */
export const dumpRows = (d: ProjectDump): [ProjectTable, ProjectRow[]][] => [
  ['projects', d.projects.map(projectRow)],
  ['portfolios', d.portfolios.map(portfolioRow)],
  ['blobs', d.blobs.map(blobRow)],
];

/** `INSERT INTO <table> (…) VALUES (<slots>) <tail>`, the slots made by `slot(column, index)`. */
export const insertSql = (table: ProjectTable, slot: (column: string, i: number) => string, tail: string) => {
  const { columns } = PROJECT_TABLES[table];
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(slot).join(', ')}) ${tail}`;
};

/** A file's columns but its bytes: listing files never reads them. */
export const BLOB_META_COLS = 'id, owner_id, workspace_id, name, type, size, sha256, created_at';

/** A value as SQLite binds it: bytes as they are, the JSON body as text. */
const sqliteValue = (v: ProjectRow[string] | undefined) =>
  v === undefined ? null : Buffer.isBuffer(v) ? v : v !== null && typeof v === 'object' ? JSON.stringify(v) : v;

const sqliteValues = (table: ProjectTable, row: ProjectRow) => PROJECT_TABLES[table].columns.map((c) => sqliteValue(row[c]));

/** Projects, portfolios and files in the SQLite file; a file's bytes are a BLOB in its row. */
export class SQLiteProjects implements ProjectStore {
  private readonly q;

  constructor(private readonly db: Database.Database) {
    const slot = () => '?';
    this.q = {
      createProject: db.prepare(insertSql('projects', slot, 'ON CONFLICT (source_session_id, source_card_id) DO NOTHING')),
      project: db.prepare('SELECT body, version FROM projects WHERE id = ?'),
      projects: db.prepare('SELECT body, version FROM projects WHERE workspace_id = ? ORDER BY created_at DESC, id'),
      saveProject: db.prepare('UPDATE projects SET body = ?, version = ? WHERE id = ? AND version = ?'),
      projectFromCard: db.prepare('SELECT body, version FROM projects WHERE source_session_id = ? AND source_card_id = ?'),
      portfolio: db.prepare('SELECT body, version FROM portfolios WHERE account_id = ?'),
      // A first save inserts; a record already there is written over only while it is still at version 0.
      insertPortfolio: db.prepare(
        insertSql('portfolios', slot, 'ON CONFLICT (account_id) DO UPDATE SET body = excluded.body, version = excluded.version WHERE portfolios.version = 0'),
      ),
      savePortfolio: db.prepare('UPDATE portfolios SET body = ?, version = ? WHERE account_id = ? AND version = ?'),
      putBlob: db.prepare(insertSql('blobs', slot, '')),
      blob: db.prepare(`SELECT ${BLOB_META_COLS}, data FROM blobs WHERE id = ?`),
      blobMeta: db.prepare(`SELECT ${BLOB_META_COLS} FROM blobs WHERE id = ?`),
      blobMetas: db.prepare(`SELECT ${BLOB_META_COLS} FROM blobs WHERE id IN (SELECT value FROM json_each(?))`),
      bytesOf: db.prepare('SELECT COALESCE(SUM(size), 0) FROM blobs WHERE owner_id = ?').pluck(),
      deleteBlob: db.prepare('DELETE FROM blobs WHERE id = ?'),
    };
  }

  async createProject(p: Project): Promise<'created' | 'duplicate_card'> {
    return this.q.createProject.run(...sqliteValues('projects', projectRow(p))).changes === 1 ? 'created' : 'duplicate_card';
  }

  async project(id: string): Promise<Project | null> {
    const r = this.q.project.get(id) as VersionedRow | undefined;
    return r ? toVersioned<Project>(r) : null;
  }

  async projects(workspaceId: string): Promise<Project[]> {
    return (this.q.projects.all(workspaceId) as VersionedRow[]).map((r) => toVersioned<Project>(r));
  }

  async saveProject(p: Project, expectedVersion: number): Promise<boolean> {
    return this.q.saveProject.run(JSON.stringify(p), p.version, p.id, expectedVersion).changes === 1;
  }

  async projectFromCard(sessionId: string, cardId: string): Promise<Project | null> {
    const r = this.q.projectFromCard.get(sessionId, cardId) as VersionedRow | undefined;
    return r ? toVersioned<Project>(r) : null;
  }

  async portfolio(accountId: string): Promise<PortfolioRecord | null> {
    const r = this.q.portfolio.get(accountId) as VersionedRow | undefined;
    return r ? toVersioned<PortfolioRecord>(r) : null;
  }

  async savePortfolio(p: PortfolioRecord, expectedVersion: number): Promise<boolean> {
    const written =
      expectedVersion === 0
        ? this.q.insertPortfolio.run(...sqliteValues('portfolios', portfolioRow(p)))
        : this.q.savePortfolio.run(JSON.stringify(p), p.version, p.accountId, expectedVersion);
    return written.changes === 1;
  }

  async putBlob(b: StoredBlob): Promise<void> {
    this.q.putBlob.run(...sqliteValues('blobs', blobRow(b)));
  }

  async blob(id: string): Promise<StoredBlob | null> {
    const r = this.q.blob.get(id) as BlobRow | undefined;
    return r ? toBlob(r) : null;
  }

  async blobMeta(id: string): Promise<BlobMeta | null> {
    const r = this.q.blobMeta.get(id) as BlobMetaRow | undefined;
    return r ? toBlobMeta(r) : null;
  }

  async blobMetas(ids: string[]): Promise<BlobMeta[]> {
    if (ids.length === 0) return [];
    return inAskedOrder(ids, (this.q.blobMetas.all(JSON.stringify(ids)) as BlobMetaRow[]).map(toBlobMeta));
  }

  async bytesOf(ownerId: string): Promise<number> {
    return this.q.bytesOf.get(ownerId) as number;
  }

  async deleteBlob(id: string): Promise<boolean> {
    return this.q.deleteBlob.run(id).changes === 1;
  }

  async dump(): Promise<ProjectDump> {
    // One read transaction: a consistent picture even if another process writes meanwhile.
    return this.db.transaction(() => {
      const all = <T>(sql: string) => this.db.prepare(sql).all() as T[];
      return {
        projects: all<VersionedRow>('SELECT body, version FROM projects ORDER BY created_at, id').map((r) => toVersioned<Project>(r)),
        portfolios: all<VersionedRow>('SELECT body, version FROM portfolios ORDER BY account_id').map((r) => toVersioned<PortfolioRecord>(r)),
        blobs: all<BlobRow>(`SELECT ${BLOB_META_COLS}, data FROM blobs ORDER BY created_at, id`).map(toBlob),
      };
    })();
  }

  async restore(dump: ProjectDump): Promise<number> {
    return this.db.transaction((): number => {
      let written = 0;
      for (const [table, rows] of dumpRows(dump)) {
        // Only a key already there is skipped: any other clash (a card another project was made from) fails the whole restore.
        const insert = this.db.prepare(insertSql(table, () => '?', `ON CONFLICT (${PROJECT_TABLES[table].key}) DO NOTHING`));
        for (const row of rows) written += insert.run(...sqliteValues(table, row)).changes;
      }
      return written;
    }).immediate();
  }
}
