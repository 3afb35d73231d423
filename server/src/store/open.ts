import { join } from 'node:path';
import type { Config } from '../config.js';
import { guardStore } from './guard.js';
import { PostgresStore } from './postgres.js';
import { SQLiteStore } from './sqlite.js';
import type { Store } from './store.js';

export type StoreConfig = Pick<Config, 'dataDir' | 'sqliteSynchronous' | 'databaseUrl' | 'pgPoolSize'>;

/**
 * The store the configuration names, ready to use: PostgreSQL when `databaseUrl` is set,
 * else the SQLite file in `dataDir`. Its failures surface as `StoreUnavailable`.
 */
export async function openStore(config: StoreConfig): Promise<Store> {
  if (config.databaseUrl) return guardStore(await PostgresStore.open({ url: config.databaseUrl, poolSize: config.pgPoolSize }));
  return guardStore(new SQLiteStore({ file: join(config.dataDir, 'kenes.db'), synchronous: config.sqliteSynchronous }));
}
