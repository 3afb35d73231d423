import { join } from 'node:path';
import type { Config } from '../config.js';
import { guardStore } from './guard.js';
import { SQLiteStore } from './sqlite.js';
import type { Store } from './store.js';

/** The store the configuration names, ready to use; its failures surface as `StoreUnavailable`. */
export async function openStore(config: Pick<Config, 'dataDir' | 'sqliteSynchronous'>): Promise<Store> {
  return guardStore(new SQLiteStore({ file: join(config.dataDir, 'kenes.db'), synchronous: config.sqliteSynchronous }));
}
