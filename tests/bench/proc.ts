import { readFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';

/** Resident set size of a process in KiB: what the machine actually pays, heap and buffers alike. */
export function rssKiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]);
}

/** CPU time (user + system) a process has used so far, in ms; to tell a busy server from a busy client. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15 (1-based).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux.
}

/** CPU time of several processes (the nodes of a cluster) together, in ms. */
export const cpuMsOf = (pids: readonly number[]): number => pids.reduce((sum, pid) => sum + cpuMs(pid), 0);

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Reject after `ms` with a message naming what was awaited, so a stuck step never hangs the run. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Run `task` over `items` with at most `limit` in flight, as a hall of laptops joining would, without a thundering herd. */
export async function pool<T, R>(items: readonly T[], limit: number, task: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await task(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Children still running; killed on any exit so a failed run leaves no server behind. */
const live = new Set<ChildProcess>();
export function track(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
}
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Stop a child: SIGTERM for a clean close, SIGKILL if it has not exited in `graceMs`. */
export function stop(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Read RSS once it has settled: at least `minMs`, then until two reads 250 ms apart differ by < 1 % (or `maxMs`).
 * Several processes (the nodes of a cluster) are read together, as their sum.
 */
export async function settledRss(pids: number | readonly number[], minMs = 1000, maxMs = 5000): Promise<number> {
  const read = () => (typeof pids === 'number' ? [pids] : pids).reduce((sum, pid) => sum + rssKiB(pid), 0);
  await sleep(minMs);
  const deadline = Date.now() + maxMs - minMs;
  let last = read();
  while (Date.now() < deadline) {
    await sleep(250);
    const now = read();
    if (Math.abs(now - last) < last * 0.01) return now;
    last = now;
  }
  return last;
}
