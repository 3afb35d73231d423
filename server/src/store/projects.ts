import type { BlobMeta, PortfolioRecord, Project } from '@kenes/shared';

/** An uploaded file with its bytes. */
export interface StoredBlob {
  meta: BlobMeta;
  data: Buffer;
}

/** Every row of the project, portfolio and file tables, for copying between stores. */
export interface ProjectDump {
  projects: Project[];
  portfolios: PortfolioRecord[];
  blobs: StoredBlob[];
}

/**
 * Projects monitored after a sprint, teachers' portfolios and uploaded files, in the same
 * database as everything else (SQLite or PostgreSQL). Files are kept in the database on both
 * engines, so a backup of the database is a backup of everything.
 */
export interface ProjectStore {
  /**
   * Insert a new project. `duplicate_card` (its source card already became a project) writes
   * nothing; the route answers it 409 `duplicate_id` with `projectFromCard`'s id. Decided by a
   * unique constraint, so two creates from one card at once on two nodes make one project.
   */
  createProject(p: Project): Promise<'created' | 'duplicate_card'>;
  project(id: string): Promise<Project | null>;
  /** A workspace's projects, newest first. */
  projects(workspaceId: string): Promise<Project[]>;
  /** Write `p` (its version already raised) only while the stored version is `expectedVersion`; false writes nothing. */
  saveProject(p: Project, expectedVersion: number): Promise<boolean>;
  /** The project made from this card of this session, if one was (a card becomes one project only). */
  projectFromCard(sessionId: string, cardId: string): Promise<Project | null>;

  /** The teacher's portfolio record, or null before they first saved one. */
  portfolio(accountId: string): Promise<PortfolioRecord | null>;
  /** Insert (expectedVersion 0) or update only while the stored version is `expectedVersion`; false writes nothing. */
  savePortfolio(p: PortfolioRecord, expectedVersion: number): Promise<boolean>;

  putBlob(b: StoredBlob): Promise<void>;
  blob(id: string): Promise<StoredBlob | null>;
  /** The metadata alone: the bytes are not read. */
  blobMeta(id: string): Promise<BlobMeta | null>;
  /** The metadata of several files at once, in the order asked, once each (unknown ids are left out); the bytes are not read. */
  blobMetas(ids: string[]): Promise<BlobMeta[]>;
  /** Bytes an account has uploaded in all, for a per-account quota. */
  bytesOf(ownerId: string): Promise<number>;
  /** Only the file's row goes: a project or portfolio still naming it finds no file there. false: no such file. */
  deleteBlob(id: string): Promise<boolean>;

  dump(): Promise<ProjectDump>;
  /** Write what the target lacks (rows whose key is there are skipped), in one transaction; resolves to the rows written. */
  restore(dump: ProjectDump): Promise<number>;
}
