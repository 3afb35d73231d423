import type { Store } from './store.js';

export interface CopyReport {
  copied: string[];
  /** Already in the target store: left as they are there. */
  skipped: string[];
  /** Saved templates copied (those whose id the target already holds are left). */
  templates: number;
  /** Rows of the workspace tables written (accounts, workspaces, members, councils, meetings, …); signed-in browsers stay behind. */
  workspaceRows: number;
  /** Rows of projects, portfolios and files (with their bytes) written. */
  projectRows: number;
}

/**
 * Copy every saved template (with its owner's token hash), every session and the
 * workspace tables of one store into another; sessions go table by table
 * (`Store.dumpSession` → `Store.restoreSession`, one transaction per session), the
 * workspaces in one transaction (`WorkspaceStore.dump` → `restore`: accounts, workspaces,
 * memberships, invitations, councils, meetings, executions and the links of sessions,
 * templates and participants; not the signed-in browsers, so everyone signs in again),
 * then projects, portfolios and files with their bytes in one more (`ProjectStore.dump` →
 * `restore`).
 * Whatever the target already holds is skipped, so running it again copies only what is
 * new. Stop the servers on the source first: a session written during the copy may be
 * copied half-way.
 */
export async function copySessions(from: Store, to: Store, progress: (line: string) => void = () => {}): Promise<CopyReport> {
  const report: CopyReport = { copied: [], skipped: [], templates: 0, workspaceRows: 0, projectRows: 0 };
  for (const t of await from.templates()) {
    if (await to.template(t.id)) continue;
    // With its owner's token hash, so whoever saved it can still delete it in the target.
    await to.saveTemplate(t, await from.templateOwner(t.id));
    report.templates++;
  }
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
  // After the sessions, which the workspace links name.
  report.workspaceRows = await to.workspaces.restore(await from.workspaces.dump());
  // After the workspaces and accounts, which projects, portfolios and files belong to.
  report.projectRows = await to.projects.restore(await from.projects.dump());
  return report;
}
