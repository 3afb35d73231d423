import { execSync, spawn } from 'node:child_process';

/**
 * Each connected client is one socket in this process and one in the server it talks to; a teacher
 * at a group board holds two (Socket.IO and y-websocket), so N teachers need about 2N + 200 descriptors
 * here and in a single Kenes node, and the common default of 1024 fails at N ≈ 500 with EMFILE.
 * Node cannot raise its own limit, so run.ts re-executes itself once through bash with
 * `ulimit -n 65536` (or the hard limit when 65536 is not allowed); the servers it spawns inherit the
 * raised limit. The re-exec also turns on `--expose-gc`, so run.ts can collect the garbage one phase
 * leaves before the next is timed, and raises the heap limit: every simulated teacher holds a replica
 * of their group's board, and past 300 teachers the room's 50 groups grow (100 notes each at N = 5,000,
 * about 0.7 MiB a replica), so this one process holds what thousands of browsers would.
 */
const GUARD = 'KENES_BENCH_ULIMIT_RAISED';
const WANT = 65536;
/** V8 heap limit for this process, in MiB: N = 5,000 needs about 5 GiB of board replicas and clients. */
const HEAP_MIB = 8192;

export function openFileLimit(): number {
  return Number(execSync('ulimit -n', { shell: '/bin/bash' }).toString().trim()) || 0;
}

/** Descriptors one process needs for N teachers each holding a Socket.IO and a y-websocket connection. */
export const descriptorsFor = (teachers: number): number => 2 * teachers + 200;

/** Re-run this script under a raised limit, with `--expose-gc` and a larger heap; resolves `false` when this is already the re-run. */
export function reexecWithRaisedLimit(): Promise<number> | false {
  if (process.env[GUARD] === '1') return false;
  const script = `[ "$(ulimit -n)" -ge ${WANT} ] || ulimit -n ${WANT} 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"`;
  const args = ['-c', script, 'bash', process.execPath, '--expose-gc', `--max-old-space-size=${HEAP_MIB}`, ...process.execArgv, ...process.argv.slice(1)];
  const child = spawn('/bin/bash', args, { stdio: 'inherit', env: { ...process.env, [GUARD]: '1' } });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

/** Print the limit; fail early when it cannot hold `need` descriptors (see descriptorsFor). */
export function checkOpenFileLimit(need: number): void {
  const limit = openFileLimit();
  const raised = process.env[GUARD] === '1' ? ` (after trying to raise it to ${WANT})` : '';
  console.log(`open-file limit (ulimit -n): ${limit}${raised}; this run needs about ${need}`);
  if (limit < need) throw new Error(`ulimit -n ${limit} < ${need} descriptors needed; raise the hard limit (ulimit -Hn) or run a smaller N`);
}

/** Collect garbage now (with --expose-gc), so what one phase left behind is not collected inside the next one's timings. */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
