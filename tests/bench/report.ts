import type { KenesResult } from './kenes.js';
import type { PlainResult } from './plain.js';
import type { Summary } from './stats.js';

export interface Row {
  kenes: KenesResult;
  plain: PlainResult;
}

const trio = (s: Summary) => `${s.p50} / ${s.p99} / ${s.max}`;
const missed = (m: number) => (m > 0 ? ` (${m} missed)` : '');

/** The per-N table of the brief's figures, Kenes and plain Socket.IO side by side. */
export function markdownTable(rows: readonly Row[]): string {
  const head = [
    'N',
    'Kenes stage p50 / p99 / max (ms)',
    'plain Socket.IO p50 / p99 / max (ms)',
    'ratio p99',
    'vote burst: acked / counted / lost / dup',
    'vote ack p50 / p99 (ms)',
    'Kenes KiB per participant (RSS)',
    'plain KiB per client (RSS)',
  ];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const { kenes: k, plain: p } of rows) {
    const v = k.vote;
    lines.push(
      `| ${[
        k.n,
        trio(k.stage.latency) + missed(k.stage.missed),
        trio(p.stage.latency) + missed(p.stage.missed),
        (k.stage.latency.p99 / p.stage.latency.p99).toFixed(2),
        `${v.acked} / ${v.counted} / ${v.lost} / ${v.duplicated}` + (v.refused ? ` (${v.refused} refused)` : ''),
        `${v.ack.p50} / ${v.ack.p99}`,
        k.memory.kibPerParticipant,
        p.memory.kibPerClient,
      ].join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

/** Problems with what was counted; any of these makes the run fail. */
export function integrityProblems(rows: readonly Row[]): string[] {
  const out: string[] = [];
  for (const { kenes: k } of rows) {
    const v = k.vote;
    if (v.ackedNotCounted > 0) out.push(`N=${k.n}: ${v.ackedNotCounted} acknowledged ballots were not counted`);
    if (v.duplicated > 0) out.push(`N=${k.n}: ${v.duplicated} more voters counted than acknowledged`);
    if (v.dotsCounted !== v.dotsAcked) out.push(`N=${k.n}: ${v.dotsCounted} dots counted, ${v.dotsAcked} acknowledged`);
  }
  return out;
}

/**
 * RSS growth between consecutive N, per extra client. The per-N figure also carries one-off growth
 * (V8's young generation widening under the connect burst, SQLite's page cache), which weighs most
 * at small N; the slope between two N cancels it.
 */
export function marginalMemory(rows: readonly Row[]): string[] {
  const sorted = [...rows].sort((a, b) => a.kenes.n - b.kenes.n);
  const out: string[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!;
    const b = sorted[i]!;
    const dn = b.kenes.n - a.kenes.n;
    if (dn <= 0) continue;
    const grow = (x: { idleKiB: number; connectedKiB: number }) => x.connectedKiB - x.idleKiB;
    const k = (grow(b.kenes.memory) - grow(a.kenes.memory)) / dn;
    const p = (grow(b.plain.memory) - grow(a.plain.memory)) / dn;
    out.push(`Marginal RSS N=${a.kenes.n}→${b.kenes.n}: Kenes ${k.toFixed(1)} KiB per participant, plain ${p.toFixed(1)} KiB per client.`);
  }
  return out;
}
