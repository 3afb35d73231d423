import { execSync, spawn } from 'node:child_process';

/**
 * Each connected client is one socket in this process and one in the server, so N clients need
 * roughly N + 100 descriptors per process; the common default of 1024 fails at N ≈ 1000 with EMFILE.
 * Node cannot raise its own limit, so a shell with a low one (`ulimit -n`) must be raised before
 * start: run.ts re-executes itself once through bash with `ulimit -n 65536` (or the hard limit when
 * 65536 is not allowed), and the servers it spawns inherit the raised limit.
 */
const GUARD = 'KENES_BENCH_ULIMIT_RAISED';
const WANT = 65536;

export function openFileLimit(): number {
  return Number(execSync('ulimit -n', { shell: '/bin/bash' }).toString().trim()) || 0;
}

/** Re-run this script under a raised limit; resolves `false` when no re-exec was needed. */
export function reexecWithRaisedLimit(): Promise<number> | false {
  if (process.env[GUARD] === '1' || openFileLimit() >= WANT) return false;
  const script = `ulimit -n ${WANT} 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"`;
  const args = ['-c', script, 'bash', process.execPath, ...process.execArgv, ...process.argv.slice(1)];
  const child = spawn('/bin/bash', args, { stdio: 'inherit', env: { ...process.env, [GUARD]: '1' } });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

/** Print the limit and warn when it cannot hold N clients plus their server-side sockets. */
export function checkOpenFileLimit(maxN: number): void {
  const limit = openFileLimit();
  const need = 2 * maxN + 100;
  const raised = process.env[GUARD] === '1' ? ' (after trying to raise it to 65536)' : '';
  console.log(`open-file limit (ulimit -n): ${limit}${raised}`);
  if (limit < need) console.warn(`WARNING: ulimit -n ${limit} < ${need} needed for N=${maxN}; raise it (ulimit -n 65536) or expect EMFILE.`);
}
