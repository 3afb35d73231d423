import { spawn, type ChildProcess } from 'node:child_process';
import { io, type Socket } from 'socket.io-client';
import type { StatePatch } from '@kenes/shared';
import { ROOT } from '../helpers/server.js';
import { FanoutRecorder, measureRounds, WARMUP_ROUNDS, type FanoutStats } from './fanout.js';
import { pool, settledRss, stop, track, within } from './proc.js';

const CONNECT_CONCURRENCY = 50;
const ROUND_TIMEOUT_MS = 15_000;

export interface PlainResult {
  n: number;
  memory: { idleKiB: number; connectedKiB: number; kibPerClient: number };
  stage: FanoutStats;
}

/** A plain Socket.IO server; with `redisUrl`, one node of several sharing rooms over Redis, as Kenes' nodes do. */
function startPlainServer(redisUrl: string | null): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/bench/plain-server.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...(redisUrl ? { REDIS_URL: redisUrl } : {}) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  track(child);
  return within(
    new Promise((resolve, reject) => {
      let out = '';
      child.once('exit', (code) => reject(new Error(`plain server exited with ${code}`)));
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening (\d+)/.exec(out);
        if (m) resolve({ child, url: `http://127.0.0.1:${m[1]}` });
      });
    }),
    20_000,
    'plain Socket.IO server start',
  );
}

function connect(url: string, auth: object): Promise<Socket> {
  const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false, auth });
  return within(
    new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', (err) => reject(err));
    }),
    30_000,
    'plain client connect',
  );
}

/**
 * What the plain server broadcasts in a round. `patch` (default): Kenes' own `state.patch` of that round,
 * verbatim — same bytes and same shape. `pad`: a flat object of the same JSON size whose body is one
 * string; cheaper for the clients to parse, so it flatters the baseline (BENCH_PLAIN_PAYLOAD=pad).
 */
export type PayloadKind = 'patch' | 'pad';

function padded(round: number, bytes: number): { from: number; version: number; pad: string } {
  const base = JSON.stringify({ from: round, version: round + 1, pad: '' }).length;
  return { from: round, version: round + 1, pad: 'x'.repeat(Math.max(0, bytes - base)) };
}

/**
 * The same N listeners and rounds (warm-up included) against bare Socket.IO, each round's payload
 * matching Kenes' patch of that round. With `redisUrl`, two plain nodes over the same Redis adapter
 * as Kenes' cluster: the driver on the first, listeners alternating, memory and CPU summed.
 */
export async function runPlain(
  n: number,
  patches: readonly StatePatch[],
  kind: PayloadKind,
  log: (s: string) => void,
  redisUrl: string | null = null,
): Promise<PlainResult> {
  const servers: ChildProcess[] = [];
  const sockets: Socket[] = [];
  try {
    const started = await Promise.all(Array.from({ length: redisUrl ? 2 : 1 }, () => startPlainServer(redisUrl)));
    servers.push(...started.map((s) => s.child));
    const urls = started.map((s) => s.url);
    const pids = servers.map((c) => c.pid!);
    const driver = await connect(urls[0]!, { role: 'driver' });
    sockets.push(driver);
    const idleKiB = await settledRss(pids);

    const rec = new FanoutRecorder(n);
    await pool(Array.from({ length: n }, (_, i) => i), CONNECT_CONCURRENCY, async (i) => {
      const s = await connect(urls[i % urls.length]!, {});
      sockets.push(s);
      // A round is known by its `from`: Kenes' versions rise, the padded payload uses the round number.
      s.on('bcast', (p: { from: number }) => rec.arrive(i, p.from));
    });
    const connectedKiB = await settledRss(pids);

    const stage = await measureRounds({
      rec,
      warmup: WARMUP_ROUNDS,
      rounds: patches.length - WARMUP_ROUNDS,
      serverPids: pids,
      timeoutMs: ROUND_TIMEOUT_MS,
      round: (r) => {
        const patch = patches[r]!;
        const payload = kind === 'patch' ? patch : padded(r, Buffer.byteLength(JSON.stringify(patch)));
        return {
          key: payload.from,
          send: async () => {
            await within(driver.timeout(ROUND_TIMEOUT_MS).emitWithAck('go', payload), ROUND_TIMEOUT_MS, `plain go ${r}`);
          },
        };
      },
    });
    log(`  plain: broadcast p99 ${stage.latency.p99} ms, missed ${stage.missed}`);
    return { n, memory: { idleKiB, connectedKiB, kibPerClient: Math.round(((connectedKiB - idleKiB) / n) * 10) / 10 }, stage };
  } finally {
    for (const s of sockets) s.close();
    await Promise.all(servers.map((c) => stop(c)));
  }
}
