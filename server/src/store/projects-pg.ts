import type { Pool, PoolClient, QueryResultRow } from 'pg';
import type { BlobMeta, PortfolioRecord, Project } from '@kenes/shared';
import type { ProjectDump, ProjectStore, StoredBlob } from './projects.js';
import {
  BLOB_META_COLS,
  blobRow,
  dumpRows,
  inAskedOrder,
  insertSql,
  portfolioRow,
  PROJECT_TABLES,
  projectRow,
  toBlob,
  toBlobMeta,
  toVersioned,
  type BlobMetaRow,
  type BlobRow,
  type ProjectRow,
  type ProjectTable,
  type VersionedRow,
} from './projects-sqlite.js';

type Tx = <T>(fn: (c: PoolClient) => Promise<T>, begin?: string) => Promise<T>;

/** `$n`, cast for the JSONB body; bytes go as they are (node-postgres sends a Buffer as bytea). */
const slot = (column: string, i: number) => (column === 'body' ? `$${i + 1}::jsonb` : `$${i + 1}`);

const pgValues = (table: ProjectTable, row: ProjectRow) =>
  PROJECT_TABLES[table].columns.map((c) => (c === 'body' ? JSON.stringify(row[c]) : (row[c] ?? null)));

/**
 * Projects, portfolios and files in PostgreSQL: the same rows as `SQLiteProjects`, a file's
 * bytes as `bytea`. Every check that two nodes could race on is one statement (a version in
 * the UPDATE's WHERE, the card's unique constraint), so it holds across nodes without locks.
 */
export class PostgresProjects implements ProjectStore {
  constructor(
    private readonly pool: Pool,
    private readonly tx: Tx,
  ) {}

  private async one<T extends QueryResultRow>(sql: string, args: unknown[]): Promise<T | undefined> {
    return (await this.pool.query<T>(sql, args)).rows[0];
  }

  private async written(sql: string, args: unknown[]): Promise<boolean> {
    return (await this.pool.query(sql, args)).rowCount === 1;
  }

  async createProject(p: Project): Promise<'created' | 'duplicate_card'> {
    // The second of two creates from one card waits for the first to commit, then inserts nothing.
    const sql = insertSql('projects', slot, 'ON CONFLICT (source_session_id, source_card_id) DO NOTHING');
    return (await this.written(sql, pgValues('projects', projectRow(p)))) ? 'created' : 'duplicate_card';
  }

  async project(id: string): Promise<Project | null> {
    const r = await this.one<VersionedRow>('SELECT body, version FROM projects WHERE id = $1', [id]);
    return r ? toVersioned<Project>(r) : null;
  }

  async projects(workspaceId: string): Promise<Project[]> {
    const { rows } = await this.pool.query<VersionedRow>('SELECT body, version FROM projects WHERE workspace_id = $1 ORDER BY created_at DESC, id COLLATE "C"', [
      workspaceId,
    ]);
    return rows.map((r) => toVersioned<Project>(r));
  }

  async saveProject(p: Project, expectedVersion: number): Promise<boolean> {
    return this.written('UPDATE projects SET body = $1::jsonb, version = $2 WHERE id = $3 AND version = $4', [JSON.stringify(p), p.version, p.id, expectedVersion]);
  }

  async projectFromCard(sessionId: string, cardId: string): Promise<Project | null> {
    const r = await this.one<VersionedRow>('SELECT body, version FROM projects WHERE source_session_id = $1 AND source_card_id = $2', [sessionId, cardId]);
    return r ? toVersioned<Project>(r) : null;
  }

  async portfolio(accountId: string): Promise<PortfolioRecord | null> {
    const r = await this.one<VersionedRow>('SELECT body, version FROM portfolios WHERE account_id = $1', [accountId]);
    return r ? toVersioned<PortfolioRecord>(r) : null;
  }

  async savePortfolio(p: PortfolioRecord, expectedVersion: number): Promise<boolean> {
    if (expectedVersion === 0) {
      // A first save inserts; of two at once, the second finds the first's row past version 0 and writes nothing.
      const tail = 'ON CONFLICT (account_id) DO UPDATE SET body = excluded.body, version = excluded.version WHERE portfolios.version = 0';
      return this.written(insertSql('portfolios', slot, tail), pgValues('portfolios', portfolioRow(p)));
    }
    return this.written('UPDATE portfolios SET body = $1::jsonb, version = $2 WHERE account_id = $3 AND version = $4', [
      JSON.stringify(p),
      p.version,
      p.accountId,
      expectedVersion,
    ]);
  }

  async putBlob(b: StoredBlob): Promise<void> {
    await this.pool.query(insertSql('blobs', slot, ''), pgValues('blobs', blobRow(b)));
  }

  async blob(id: string): Promise<StoredBlob | null> {
    const r = await this.one<BlobRow>(`SELECT ${BLOB_META_COLS}, data FROM blobs WHERE id = $1`, [id]);
    return r ? toBlob(r) : null;
  }

  async blobMeta(id: string): Promise<BlobMeta | null> {
    const r = await this.one<BlobMetaRow>(`SELECT ${BLOB_META_COLS} FROM blobs WHERE id = $1`, [id]);
    return r ? toBlobMeta(r) : null;
  }

  async blobMetas(ids: string[]): Promise<BlobMeta[]> {
    if (ids.length === 0) return [];
    const { rows } = await this.pool.query<BlobMetaRow>(`SELECT ${BLOB_META_COLS} FROM blobs WHERE id = ANY($1::text[])`, [ids]);
    return inAskedOrder(ids, rows.map(toBlobMeta));
  }

  async bytesOf(ownerId: string): Promise<number> {
    // SUM of an integer column is a BIGINT, which this pool reads as a number.
    return (await this.one<{ n: number }>('SELECT COALESCE(SUM(size), 0)::bigint AS n FROM blobs WHERE owner_id = $1', [ownerId]))!.n;
  }

  async deleteBlob(id: string): Promise<boolean> {
    return this.written('DELETE FROM blobs WHERE id = $1', [id]);
  }

  async dump(): Promise<ProjectDump> {
    // One snapshot of the three tables, so the dump is consistent while others write.
    return this.tx(async (q) => {
      const all = async <T extends QueryResultRow>(sql: string) => (await q.query<T>(sql)).rows;
      return {
        projects: (await all<VersionedRow>('SELECT body, version FROM projects ORDER BY created_at, id')).map((r) => toVersioned<Project>(r)),
        portfolios: (await all<VersionedRow>('SELECT body, version FROM portfolios ORDER BY account_id')).map((r) => toVersioned<PortfolioRecord>(r)),
        blobs: (await all<BlobRow>(`SELECT ${BLOB_META_COLS}, data FROM blobs ORDER BY created_at, id`)).map(toBlob),
      };
    }, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  }

  async restore(dump: ProjectDump): Promise<number> {
    return this.tx(async (q) => {
      let written = 0;
      for (const [table, rows] of dumpRows(dump)) {
        // Only a key already there is skipped: any other clash (a card another project was made from) fails the whole restore.
        const sql = insertSql(table, slot, `ON CONFLICT (${PROJECT_TABLES[table].key}) DO NOTHING`);
        for (const row of rows) written += (await q.query(sql, pgValues(table, row))).rowCount ?? 0;
      }
      return written;
    });
  }
}
