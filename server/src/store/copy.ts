import type { Store } from './store.js';

export interface CopyReport {
  copied: string[];
  /** Already in the target store: left as they are there. */
  skipped: string[];
}

/**
 * Copy every session of one store into another, table by table (`Store.dumpSession` →
 * `Store.restoreSession`, one transaction per session). Sessions the target already
 * holds are skipped, so running it again copies only what is new. Stop the servers
 * on the source first: a session written during the copy may be copied half-way.
 */
export async function copySessions(from: Store, to: Store, progress: (line: string) => void = () => {}): Promise<CopyReport> {
  const report: CopyReport = { copied: [], skipped: [] };
  for (const id of await from.sessionIds()) {
    const dump = await from.dumpSession(id);
    if (!dump) continue;
    const code = dump.tables.sessions?.[0]?.code ?? id;
    if (await to.restoreSession(dump)) {
      report.copied.push(id);
      const rows = Object.values(dump.tables).reduce((n, rows) => n + rows.length, 0);
      progress(`copied ${code} (${rows} rows)`);
    } else {
      report.skipped.push(id);
      progress(`skipped ${code}: already there`);
    }
  }
  return report;
}
