import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './ports.js';

const run = promisify(execFile);

/** A PostgreSQL server of its own for a test file: Debian's binaries, a temporary cluster, loopback only. */
export interface TestPostgres {
  port: number;
  /** A new, empty database; resolves to its URL. */
  createDatabase(name: string): Promise<string>;
  /** Fast shutdown: open connections are cut, committed data stays. */
  stop(): Promise<void>;
  /** Start again on the same cluster and port (after `stop`). */
  start(): Promise<void>;
  /** Stop and remove the cluster. */
  destroy(): Promise<void>;
}

const USER = 'kenes';

/** Debian keeps the server binaries under /usr/lib/postgresql/<major>/bin; the newest present wins. */
export function postgresBin(): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) if (existsSync(join(base, v, 'bin', 'postgres'))) return join(base, v, 'bin');
  throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)');
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** PostgreSQL refuses to run as root: as root, the server programs run as the `postgres` system user. */
function asServerUser(cmd: string, args: string[]): [string, string[]] {
  return isRoot() ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
}

export async function startPostgres(): Promise<TestPostgres> {
  const bin = postgresBin();
  const dir = mkdtempSync(join(tmpdir(), 'kenes-pg-'));
  const data = join(dir, 'data');
  const sockets = join(dir, 'sock');
  mkdirSync(sockets);
  if (isRoot()) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    for (const path of [dir, sockets]) chownSync(path, Number(stdout.trim()), Number(gid.trim()));
  }
  const [initdb, initArgs] = asServerUser(join(bin, 'initdb'), ['-D', data, '-U', USER, '--auth=trust', '-E', 'UTF8', '--no-sync']);
  await run(initdb, initArgs);
  const port = await freePort();
  let child: ChildProcess | null = null;
  let log = '';

  const start = async () => {
    const [cmd, args] = asServerUser(join(bin, 'postgres'), [
      '-D', data,
      '-p', String(port),
      '-k', sockets,
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'fsync=on',
    ]);
    const proc = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    proc.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    proc.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`postgres exited with ${proc.exitCode}:\n${log}`);
      try {
        await run(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-U', USER, '-d', 'postgres']);
        return;
      } catch {
        if (Date.now() > deadline) throw new Error(`postgres did not become ready:\n${log}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };

  const stop = async () => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    // SIGINT is PostgreSQL's fast shutdown; sent to the postmaster itself (runuser may sit in between).
    const pidFile = join(data, 'postmaster.pid');
    const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : NaN;
    if (Number.isInteger(pid) && pid > 0) process.kill(pid, 'SIGINT');
    else proc.kill('SIGINT');
    await exited;
    child = null;
  };

  await start();
  return {
    port,
    async createDatabase(name) {
      await run(join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', USER, name]);
      return `postgres://${USER}@127.0.0.1:${port}/${name}`;
    },
    stop,
    start,
    async destroy() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
