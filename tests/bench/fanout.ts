import { performance } from 'node:perf_hooks';
import { cpuMsOf } from './proc.js';
import { summarize, type Summary } from './stats.js';

/** Measured broadcasts per N. */
export const ROUNDS = 10;
/** Unmeasured broadcasts before them, the same in the Kenes and plain runs (see measureRounds). */
export const WARMUP_ROUNDS = 3;

export interface FanoutStats {
  latency: Summary;
  /** Deliveries that had not arrived when the round timed out. */
  missed: number;
  perRound: Summary[];
  /** CPU the server process spent over all rounds; near 2 cores' worth means it, not the network, is the limit. */
  serverCpuMs: number;
  /** CPU this (client) process spent: all N clients live here, so a high figure inflates every latency alike. */
  clientCpuMs: number;
}

/**
 * Arrival times of one broadcast at N clients, for one round at a time. `start` stamps t0 just before
 * the trigger is sent; each client calls `arrive` from its event handler. All clients share this
 * process's clock, so arrival − t0 is the whole path: trigger to server, server work, fan-out, delivery.
 */
export class FanoutRecorder {
  private key: number | null = null;
  private t0 = 0;
  private readonly got: Float64Array;
  private count = 0;
  private done: (() => void) | null = null;
  readonly samples: number[] = [];
  readonly perRound: Summary[] = [];
  missed = 0;

  constructor(readonly n: number) {
    this.got = new Float64Array(n);
  }

  /** Begin a round; `key` is what identifies this round's message (a stage index, a round number). */
  start(key: number): void {
    this.key = key;
    this.got.fill(-1);
    this.count = 0;
    this.t0 = performance.now();
  }

  arrive(client: number, key: number): void {
    if (key !== this.key || this.got[client]! >= 0) return;
    this.got[client] = performance.now() - this.t0;
    if (++this.count === this.n) this.done?.();
  }

  /** Wait for every client or `timeoutMs`, then keep the samples (unless warming up); late arrivals count as missed. */
  async finish(timeoutMs: number, keep = true): Promise<void> {
    if (this.count < this.n) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        this.done = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    this.done = null;
    this.key = null;
    if (!keep) return;
    const round: number[] = [];
    for (const t of this.got) if (t >= 0) round.push(t);
    this.samples.push(...round);
    this.perRound.push(summarize(round));
    this.missed += this.n - round.length;
  }
}

export interface Round {
  /** What identifies this round's message at the clients. */
  key: number;
  /** Send the trigger; resolves on its ack. */
  send(): Promise<void>;
}

/**
 * `warmup` discarded rounds, then `rounds` measured ones, one at a time: each waits for every client
 * (or the timeout) before the next. The first broadcasts of a fresh server run cold, unoptimised code,
 * which is start-up cost, not fan-out cost; both Kenes and plain Socket.IO get the same warm-up.
 */
export async function measureRounds(opts: {
  rec: FanoutRecorder;
  warmup: number;
  rounds: number;
  serverPids: readonly number[];
  timeoutMs: number;
  round: (r: number) => Round;
}): Promise<FanoutStats> {
  const { rec } = opts;
  let serverCpu0 = 0;
  let clientCpuUs = 0;
  for (let r = 0; r < opts.warmup + opts.rounds; r++) {
    const keep = r >= opts.warmup;
    if (r === opts.warmup) serverCpu0 = cpuMsOf(opts.serverPids);
    const { key, send } = opts.round(r);
    const cpu = process.cpuUsage();
    rec.start(key);
    await send();
    await rec.finish(opts.timeoutMs, keep);
    const used = process.cpuUsage(cpu);
    if (keep) clientCpuUs += used.user + used.system;
  }
  return {
    latency: summarize(rec.samples),
    missed: rec.missed,
    perRound: rec.perRound,
    serverCpuMs: cpuMsOf(opts.serverPids) - serverCpu0,
    clientCpuMs: Math.round(clientCpuUs / 1000),
  };
}
