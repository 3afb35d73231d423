import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StatePatch } from '@kenes/shared';
import { createSession, joinSession, SessionClient } from '@kenes/shared/client';
import { startServer, type TestServer } from '../helpers/server.js';
import { FanoutRecorder, measureRounds, ROUNDS, WARMUP_ROUNDS, type FanoutStats } from './fanout.js';
import { pool, settledRss, stop, track, within } from './proc.js';
import { runVote, type VoteStats } from './vote.js';

const JOIN_CONCURRENCY = 50;
/** Generous: under a burst of N the server may take seconds to answer, and a resend is not what we measure. */
const ACK_TIMEOUT_MS = 10_000;
const ROUND_TIMEOUT_MS = 15_000;

export interface KenesResult {
  n: number;
  connectMs: number;
  memory: { idleKiB: number; connectedKiB: number; kibPerParticipant: number };
  stage: FanoutStats;
  /** JSON size of each round's `state.patch` (warm-up rounds first), as a teacher received it. */
  patchBytes: number[];
  vote: VoteStats;
}

/** Stage targets bouncing between 1 and 7 from stage 0: 1, 2, … 7, 6, 5, … */
export function stageTargets(rounds: number): number[] {
  const out: number[] = [];
  let cur = 0;
  let step = 1;
  for (let i = 0; i < rounds; i++) {
    if (cur + step > 7 || cur + step < 1) step = -step;
    cur += step;
    out.push(cur);
  }
  return out;
}

const client = (url: string, code: string, token: string) =>
  new SessionClient({ url, code, token, ackTimeoutMs: ACK_TIMEOUT_MS, giveUpMs: 30_000, transports: ['websocket'] });

/** One full Kenes run for N teachers on a fresh server and data folder. */
export async function runKenes(n: number, log: (s: string) => void): Promise<{ result: KenesResult; patches: StatePatch[] }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kenes-bench-'));
  let server: TestServer | null = null;
  const clients: SessionClient[] = [];
  try {
    server = await startServer({ dataDir });
    track(server.process);
    const pid = server.process.pid!;
    const { url } = server;
    const created = await createSession(url, { title: 'Bench', template: 'case-method', locale: 'ru' });
    const fac = client(url, created.code, created.facilitatorToken);
    clients.push(fac);
    await within(fac.ready(), 10_000, 'facilitator welcome');
    const idleKiB = await settledRss(pid);

    // Teachers: join over HTTP, connect, await the welcome; their patch listener is on from the start.
    const stage = new FanoutRecorder(n);
    // Each round's patch as a teacher received it, for the plain server to send the same again.
    const patches: StatePatch[] = [];
    const targets = stageTargets(WARMUP_ROUNDS + ROUNDS);
    let round = -1;
    const connectStart = Date.now();
    const teachers = await pool(Array.from({ length: n }, (_, i) => i), JOIN_CONCURRENCY, async (i) => {
      const joined = await within(joinSession(url, created.code, `Teacher ${i + 1}`), 30_000, `join of teacher ${i + 1}`);
      const c = client(url, created.code, joined.token);
      clients.push(c);
      c.socket.on('state.patch', (p: StatePatch) => {
        if (p.set.stageIndex === undefined) return;
        if (p.set.stageIndex === targets[round] && patches[round] === undefined) patches[round] = p;
        stage.arrive(i, p.set.stageIndex);
      });
      await within(c.ready(), 30_000, `welcome of teacher ${i + 1}`).catch((err: Error) => {
        throw new Error(`${err.message} (client ${c.status}${c.refusal ? `, refused: ${c.refusal.code}` : ''}; too low ulimit -n?)`);
      });
      return c;
    });
    const connectMs = Date.now() - connectStart;
    log(`  kenes: ${n} teachers connected in ${(connectMs / 1000).toFixed(1)} s`);
    const connectedKiB = await settledRss(pid);

    // Stage-change fan-out: the facilitator moves the stage; every teacher's patch arrival is timed.
    let cur = 0;
    const stageStats = await measureRounds({
      rec: stage,
      warmup: WARMUP_ROUNDS,
      rounds: ROUNDS,
      serverPid: pid,
      timeoutMs: ROUND_TIMEOUT_MS,
      round: (r) => {
        round = r;
        const target = targets[r]!;
        return {
          key: target,
          send: async () => {
            const ack = await within(fac.command({ type: 'stage.go', index: target, from: cur }), ROUND_TIMEOUT_MS, `stage.go ${target}`);
            if (!ack.ok) throw new Error(`stage.go ${target} refused: ${ack.error.code}`);
            cur = target;
          },
        };
      },
    });
    log(`  kenes: stage fan-out p99 ${stageStats.latency.p99} ms, missed ${stageStats.missed}`);

    const vote = await runVote(fac, teachers, pid, ROUND_TIMEOUT_MS);
    log(`  kenes: votes acked ${vote.acked}, counted ${vote.counted}, lost ${vote.lost}, ack p99 ${vote.ack.p99} ms`);
    const result: KenesResult = {
      n,
      connectMs,
      memory: { idleKiB, connectedKiB, kibPerParticipant: Math.round(((connectedKiB - idleKiB) / n) * 10) / 10 },
      stage: stageStats,
      patchBytes: patches.map((p) => Buffer.byteLength(JSON.stringify(p))),
      vote,
    };
    return { result, patches };
  } finally {
    for (const c of clients) c.close();
    if (server) await stop(server.process);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
