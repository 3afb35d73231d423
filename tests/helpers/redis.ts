import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './ports.js';

/** Debian's Redis server, installed by `npm test` when missing. */
export const REDIS_SERVER = '/usr/bin/redis-server';

export interface TestRedis {
  url: string;
  port: number;
  /** Stop it (SIGKILL by default: nothing is saved, as with a crash). */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Start it again on the same port, empty. */
  restart(): Promise<void>;
}

/** A throwaway Redis on loopback (on `port`, or a free one): no persistence, so a restart comes back empty. */
export async function startRedis(port?: number): Promise<TestRedis> {
  port ??= await freePort();
  let child: ChildProcess = await launch(port);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: (signal = 'SIGKILL') => halt(child, signal),
    async restart() {
      await halt(child, 'SIGKILL');
      child = await launch(port);
    },
  };
}

function launch(port: number): Promise<ChildProcess> {
  const child = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${out}`)), 10_000);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}:\n${out}`));
    });
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (!/Ready to accept connections/.test(out)) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve(child);
    });
  });
}

function halt(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once('exit', () => done());
    child.kill(signal);
  });
}
