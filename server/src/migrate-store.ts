/**
 * `npm run migrate-store -- --from sqlite:./data/kenes.db --to postgres://user@host/kenes`
 * copies every session, saved template and workspace (accounts, members, councils,
 * meetings, the decision register), project, portfolio and uploaded file (its bytes
 * included) from one store to another (either way round); what the target already holds
 * is skipped. Signed-in browsers are not copied. Stop the servers using the source first.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { copySessions } from './store/copy.js';
import { PostgresStore } from './store/postgres.js';
import { SQLiteStore } from './store/sqlite.js';
import type { Store } from './store/store.js';

const USAGE = 'usage: npm run migrate-store -- --from <sqlite:path | postgres://…> --to <sqlite:path | postgres://…>';

/** A store named on the command line; a source must exist already. */
async function openNamed(name: string, mustExist: boolean): Promise<Store> {
  if (/^postgres(ql)?:\/\//.test(name)) return PostgresStore.open({ url: name, poolSize: 2 });
  if (name.startsWith('sqlite:')) {
    const file = resolve(name.slice('sqlite:'.length));
    if (mustExist && !existsSync(file)) throw new Error(`no SQLite file at ${file}`);
    return new SQLiteStore({ file, synchronous: 'full' });
  }
  throw new Error(`not a store: ${name}\n${USAGE}`);
}

function option(args: string[], flag: string): string {
  const i = args.indexOf(flag);
  const value = i >= 0 ? args[i + 1] : undefined;
  if (!value) throw new Error(USAGE);
  return value;
}

async function main(args: string[]): Promise<void> {
  const from = await openNamed(option(args, '--from'), true);
  try {
    const to = await openNamed(option(args, '--to'), false);
    try {
      const report = await copySessions(from, to, (line) => console.log(line));
      console.log(
        `${report.copied.length} sessions copied, ${report.skipped.length} skipped; ${report.templates} templates copied; ${report.workspaceRows} workspace rows copied; ${report.projectRows} project, portfolio and file rows copied`,
      );
    } finally {
      await to.close();
    }
  } finally {
    await from.close();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
