import { performance } from 'node:perf_hooks';
import type { Allocation } from '@kenes/shared';
import type { SessionClient } from '@kenes/shared/client';
import { waitFor } from '../helpers/wait.js';
import { cpuMsOf, within } from './proc.js';
import { summarize, type Summary } from './stats.js';

const OPTIONS = ['g1', 'g2', 'g3', 'g4'];
const DOTS = 3;
const MAX_PER_OPTION = 2;
/** A ballot not acknowledged in this long counts as lost (the client keeps resending with the same id until then). */
const LOST_AFTER_MS = 30_000;

export interface VoteStats {
  cast: number;
  acked: number;
  refused: number;
  lost: number;
  /** Voters in the revealed results. */
  counted: number;
  /** Counted but never acknowledged: a ballot applied twice or from nowhere. */
  duplicated: number;
  /** Acknowledged but not counted: the worst outcome, a teacher told "saved" whose vote vanished. */
  ackedNotCounted: number;
  dotsAcked: number;
  dotsCounted: number;
  ack: Summary;
  serverCpuMs: number;
  refusals: Record<string, number>;
}

/** A random valid dot ballot: 1–3 dots, at most 2 on one option, so every one should be accepted. */
function randomBallot(): Allocation {
  const total = 1 + Math.floor(Math.random() * DOTS);
  const ballot: Allocation = {};
  for (let placed = 0; placed < total; ) {
    const id = OPTIONS[Math.floor(Math.random() * OPTIONS.length)]!;
    if ((ballot[id] ?? 0) >= MAX_PER_OPTION) continue;
    ballot[id] = (ballot[id] ?? 0) + 1;
    placed++;
  }
  return ballot;
}

interface BurstOutcome {
  acks: number[];
  acked: number;
  refused: number;
  lost: number;
  dotsAcked: number;
  refusals: Record<string, number>;
}

/** Every client votes once at a uniformly random moment within `spreadMs`; ack latency is call → ack. */
async function voteBurst(clients: readonly SessionClient[], spreadMs: number): Promise<BurstOutcome> {
  const out: BurstOutcome = { acks: [], acked: 0, refused: 0, lost: 0, dotsAcked: 0, refusals: {} };
  await Promise.all(
    clients.map(async (client) => {
      await new Promise((r) => setTimeout(r, Math.random() * spreadMs));
      const ballot = randomBallot();
      const t = performance.now();
      try {
        const ack = await within(client.vote(ballot), LOST_AFTER_MS, 'vote ack');
        out.acks.push(performance.now() - t);
        if (ack.ok) {
          out.acked++;
          out.dotsAcked += Object.values(ack.ballot).reduce((a, b) => a + b, 0);
        } else {
          out.refused++;
          out.refusals[ack.error.code] = (out.refusals[ack.error.code] ?? 0) + 1;
        }
      } catch {
        out.lost++;
      }
    }),
  );
  return out;
}

/**
 * Open a dot vote over four group solutions, let every teacher vote within one second, close and reveal,
 * then hold the revealed count against what the teachers were told: each acknowledged ballot counted
 * once, its dots all there, nothing extra.
 */
export async function runVote(fac: SessionClient, teachers: readonly SessionClient[], serverPids: readonly number[], timeoutMs: number): Promise<VoteStats> {
  const must = async (cmd: Parameters<SessionClient['command']>[0]) => {
    const ack = await within(fac.command(cmd), timeoutMs, cmd.type);
    if (!ack.ok) throw new Error(`${cmd.type} refused: ${ack.error.code}`);
  };
  for (const [i, g] of OPTIONS.entries()) await must({ type: 'group.solution', groupId: g, text: `Solution ${i + 1}` });
  await must({ type: 'vote.configure', dots: DOTS, maxPerOption: MAX_PER_OPTION });
  await must({ type: 'vote.open' });
  await waitFor(() => teachers.every((t) => t.state?.vote.status === 'open'), 'vote open on every teacher', timeoutMs);
  const cpu0 = cpuMsOf(serverPids);
  const burst = await voteBurst(teachers, 1000);
  const serverCpuMs = cpuMsOf(serverPids) - cpu0;
  await must({ type: 'vote.close' });
  await must({ type: 'vote.reveal' });
  const results = await waitFor(() => fac.state?.vote.status === 'revealed' && fac.state.vote.results, 'revealed results', timeoutMs);
  return {
    cast: teachers.length,
    acked: burst.acked,
    refused: burst.refused,
    lost: burst.lost,
    counted: results.voters,
    duplicated: Math.max(0, results.voters - burst.acked),
    ackedNotCounted: Math.max(0, burst.acked - results.voters),
    dotsAcked: burst.dotsAcked,
    dotsCounted: results.dots,
    ack: summarize(burst.acks),
    serverCpuMs,
    refusals: burst.refusals,
  };
}
