import type { KenesResult } from './kenes.js';
import type { PlainResult } from './plain.js';
import type { ReferenceTyping } from './reference.js';
import type { Summary } from './stats.js';

export interface Row {
  kenes: KenesResult;
  plain: PlainResult;
  reference: ReferenceTyping;
}

const pair = (s: Summary) => `${s.p50} / ${s.p99}`;
const missed = (m: number) => (m > 0 ? ` (${m} missed)` : '');
const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : '—');

/** The per-N table: Kenes beside plain Socket.IO (room) and the reference y-websocket server (boards), with ratios. */
export function markdownTable(rows: readonly Row[]): string {
  const head = [
    'N',
    'stage change p50 / p99 (ms): Kenes',
    'plain Socket.IO',
    'ratio p99',
    'vote ack p99 (ms)',
    'ballots lost / dup',
    'board edit p50 / p99 (ms): Kenes',
    'y-websocket ref.',
    'ratio p99',
    'edits missed: Kenes / ref.',
    'KiB per participant: Kenes',
    'plain',
    'ratio',
  ];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const { kenes: k, plain: p, reference: r } of rows) {
    const v = k.vote;
    const e = k.boards.edit;
    lines.push(
      `| ${[
        k.n,
        pair(k.stage.latency) + missed(k.stage.missed),
        pair(p.stage.latency) + missed(p.stage.missed),
        ratio(k.stage.latency.p99, p.stage.latency.p99),
        v.ack.p99,
        `${v.lost} / ${v.duplicated}` + (v.refused ? ` (${v.refused} refused)` : ''),
        pair(e.latency),
        pair(r.edit.latency),
        ratio(e.latency.p99, r.edit.latency.p99),
        `${e.missed} / ${r.edit.missed}`,
        k.memory.kibPerParticipant,
        p.memory.kibPerClient,
        ratio(k.memory.kibPerParticipant, p.memory.kibPerClient),
      ].join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

/** Problems with what was counted or delivered; any of these makes the run fail. */
export function integrityProblems(rows: readonly Row[]): string[] {
  const out: string[] = [];
  for (const { kenes: k, reference: r } of rows) {
    const v = k.vote;
    if (v.ackedNotCounted > 0) out.push(`N=${k.n}: ${v.ackedNotCounted} acknowledged ballots were not counted`);
    if (v.duplicated > 0) out.push(`N=${k.n}: ${v.duplicated} more voters counted than acknowledged`);
    if (v.dotsCounted !== v.dotsAcked) out.push(`N=${k.n}: ${v.dotsCounted} dots counted, ${v.dotsAcked} acknowledged`);
    for (const [who, e] of [['Kenes', k.boards.edit], ['reference', r.edit]] as const) {
      if (e.missed > 0) out.push(`N=${k.n}: ${e.missed} board edits never reached a group member (${who})`);
      if (e.incomplete > 0) out.push(`N=${k.n}: ${e.incomplete} copies of a group note lack characters (${who})`);
    }
  }
  return out;
}

/** Group sizes and the typing rate each N ran with, one line per N. */
export function boardNotes(rows: readonly Row[]): string[] {
  return rows.map(({ kenes: k, reference: r }) => {
    const b = k.boards;
    const sizes = b.groupSizes.min === b.groupSizes.max ? `${b.groupSizes.min}` : `${b.groupSizes.min}–${b.groupSizes.max}`;
    const perSecond = (ms: number) => Math.round(ms / (b.edit.elapsedMs / 1000));
    return (
      `N=${k.n}: ${b.groups} groups of ${sizes}, a character every ${(b.schedule.periodMs / 1000).toFixed(1)} s per teacher ` +
      `(${Math.round((k.n * 1000) / b.schedule.periodMs)} edits/s), ${b.edit.expected} measured deliveries; ` +
      `server CPU while typing ${perSecond(b.edit.serverCpuMs)} ms/s (ref. ${Math.round(r.edit.serverCpuMs / (r.edit.elapsedMs / 1000))}), ` +
      `client process ${perSecond(b.edit.clientCpuMs)} ms/s, its GC pauses ${b.edit.clientGcMs} ms in all, longest ${b.edit.clientGcMaxMs} ms (ref. run ${r.edit.clientGcMs} / ${r.edit.clientGcMaxMs} ms).`
    );
  });
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
    const board = (x: Row) => x.kenes.memory.boardsKiB - x.kenes.memory.connectedKiB;
    const kb = (board(b) - board(a)) / dn;
    out.push(
      `Marginal RSS N=${a.kenes.n}→${b.kenes.n}: Kenes ${k.toFixed(1)} KiB per participant (+${kb.toFixed(1)} with a board open), plain ${p.toFixed(1)} KiB per client.`,
    );
  }
  return out;
}
