/**
 * The typing workload on group boards, the same for Kenes and the reference y-websocket server: each
 * teacher writes one note on their group's board and types into it on a fixed schedule; an edit's
 * latency is its send → its arrival at each other member of the group.
 *
 * Timing: every edit writes its send time (performance.now(), just before the transaction) into a
 * side map `bench` of the same document, in the same transaction as the inserted character; each
 * receiver's observer takes arrival − send. All clients live in this process, so the clock is shared
 * and the figure is the whole path: client encode, socket, server decode/check/log/relay, socket,
 * client apply. Client-side work weighs on both servers' figures alike.
 */
import { performance, PerformanceObserver } from 'node:perf_hooks';
import * as Y from 'yjs';
import { addNote, NOTE_COLORS, notesMap } from '@kenes/shared';
import type { BoardConnection } from '@kenes/shared/client';
import { cpuMsOf, pool, sleep, within } from './proc.js';
import { summarize, type Summary } from './stats.js';

const CONNECT_CONCURRENCY = 50;

/** When the edits go out: `warmup + measured` per teacher, one every `periodMs`, teachers spread evenly over the period. */
export interface Schedule {
  periodMs: number;
  /** Edits per teacher before the measured ones, not counted. */
  warmup: number;
  measured: number;
  /** After the last edit, wait this long for deliveries still under way before counting one as missed. */
  drainMs: number;
}

export interface EditStats {
  /** Edit sent → arrival at each other member of the group, pooled over all measured edits. */
  latency: Summary;
  edits: number;
  expected: number;
  received: number;
  missed: number;
  /** Members' copies of a group note that did not end with all its characters. */
  incomplete: number;
  /** CPU of the server process(es) over the typing; 2 cores' worth (2,000 ms per s) means they are the limit. */
  serverCpuMs: number;
  /** CPU of this process (every client) over the typing. */
  clientCpuMs: number;
  /** Garbage-collection pauses of this process over the typing, summed and the longest: time no arrival could be seen. */
  clientGcMs: number;
  clientGcMaxMs: number;
  /** First edit to last edit sent. */
  typingMs: number;
  /** Start of typing to the end of the drain: what the CPU figures cover. */
  elapsedMs: number;
}

/** One simulated teacher at their group's board. */
export interface Typist {
  index: number;
  group: number;
  conn: BoardConnection;
  noteId: string;
}

/** How a teacher's board is opened: the connection, and the note id they will write. */
export type Opener = (index: number, group: number) => { conn: BoardConnection; noteId: string };

/**
 * Each teacher opens their group's board (`groupOf[i]`) and, once synced, adds their (empty) note to
 * it: a new member's note is what the others of the group see arrive while the rest are still
 * connecting, which also keeps every early socket busy (y-websocket drops a connection that hears
 * nothing for 30 s). With `awareness` off the client never announces itself (see run.ts).
 * `typists` receives every opened connection at once, so the caller can close them even on failure.
 */
export async function openBoards(
  groupOf: readonly number[],
  open: Opener,
  typists: Typist[],
  opts: { awareness: boolean; label: string },
): Promise<{ placed: Typist[]; connectMs: number }> {
  const start = performance.now();
  const placed = await pool(groupOf, CONNECT_CONCURRENCY, async (group, index) => {
    const { conn, noteId } = open(index, group);
    // Before the socket opens, so nothing about this client is ever sent.
    if (!opts.awareness) conn.provider.awareness.setLocalState(null);
    const typist: Typist = { index, group, conn, noteId };
    typists.push(typist);
    await within(conn.synced, 60_000, `${opts.label}: board sync of teacher ${index + 1}`);
    addNote(conn.doc, {
      id: noteId,
      text: '',
      color: NOTE_COLORS[index % NOTE_COLORS.length]!,
      authorId: `t${index}`,
      authorName: `Учитель ${index + 1}`,
      stageId: 's2',
      createdAt: Date.now(),
      area: 'says',
    });
    return typist;
  });
  return { placed, connectMs: Math.round(performance.now() - start) };
}

const CHARS = 'абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі';

/**
 * Waits until every board shows all its members' notes, then runs the schedule: teacher i's edits go
 * out at i/n of each period, so the servers see a steady stream of n edits per period, each reaching
 * the other members of its group.
 */
export async function typeAndMeasure(typists: readonly Typist[], schedule: Schedule, serverPids: readonly number[], label: string): Promise<EditStats> {
  const groupSize = new Map<number, number>();
  for (const t of typists) groupSize.set(t.group, (groupSize.get(t.group) ?? 0) + 1);
  await waitUntil(() => typists.every((t) => notesMap(t.conn.doc).size >= groupSize.get(t.group)!), 60_000, `${label}: every note on every board`);

  let samples: number[] = [];
  let received = 0;
  for (const t of typists) {
    const stamps = t.conn.doc.getMap<number>('bench');
    stamps.observe((event, tr) => {
      if (tr.local) return;
      const now = performance.now();
      for (const key of event.keysChanged) {
        const seq = Number(key.slice(key.indexOf('.') + 1));
        if (seq < schedule.warmup) continue;
        samples.push(now - stamps.get(key)!);
        received++;
      }
    });
  }

  const total = schedule.warmup + schedule.measured;
  const n = typists.length;
  const start = performance.now() + 100;
  const due = (k: number) => start + Math.floor(k / n) * schedule.periodMs + ((k % n) / n) * schedule.periodMs;

  const gc = { total: 0, max: 0 };
  const gcObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gc.total += e.duration;
      gc.max = Math.max(gc.max, e.duration);
    }
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  const serverCpu0 = cpuMsOf(serverPids);
  const clientCpu0 = process.cpuUsage();
  let sent = 0;
  // Edit k is teacher k % n's edit number floor(k / n): already in due order.
  await new Promise<void>((resolve) => {
    let k = 0;
    const tick = () => {
      const now = performance.now();
      while (k < n * total && due(k) <= now) {
        const t = typists[k % n]!;
        const seq = Math.floor(k / n);
        k++;
        const text = notesMap(t.conn.doc).get(t.noteId)!.get('text') as Y.Text;
        const stamps = t.conn.doc.getMap<number>('bench');
        const at = performance.now();
        t.conn.doc.transact(() => {
          text.insert(text.length, CHARS[(t.index + seq) % CHARS.length]!);
          stamps.set(`${t.index}.${seq}`, at);
        });
        if (seq >= schedule.warmup) sent++;
      }
      if (k >= n * total) resolve();
      else setTimeout(tick, Math.max(0, due(k) - performance.now()));
    };
    setTimeout(tick, Math.max(0, start - performance.now()));
  });
  const typingMs = Math.round(performance.now() - start);
  const expected = typists.reduce((sum, t) => sum + schedule.measured * (groupSize.get(t.group)! - 1), 0);
  await waitUntil(() => received >= expected, schedule.drainMs, '', false);
  const serverCpuMs = Math.round(cpuMsOf(serverPids) - serverCpu0);
  const used = process.cpuUsage(clientCpu0);
  const elapsedMs = Math.round(performance.now() - start);
  gcObserver.disconnect();
  if (sent !== schedule.measured * n) throw new Error(`${label}: sent ${sent} measured edits`);

  // Every member's copy of every note of the group must hold all its characters.
  const notesOf = new Map<number, string[]>();
  for (const t of typists) notesOf.set(t.group, [...(notesOf.get(t.group) ?? []), t.noteId]);
  let incomplete = 0;
  for (const t of typists) {
    const notes = notesMap(t.conn.doc);
    for (const id of notesOf.get(t.group)!) {
      const text = notes.get(id)?.get('text');
      if (!(text instanceof Y.Text) || text.length !== total) incomplete++;
    }
  }

  const latency = summarize(samples);
  samples = [];
  const edit: EditStats = {
    latency,
    edits: sent,
    expected,
    received,
    missed: expected - received,
    incomplete,
    serverCpuMs,
    clientCpuMs: Math.round((used.user + used.system) / 1000),
    clientGcMs: Math.round(gc.total),
    clientGcMaxMs: Math.round(gc.max),
    typingMs,
    elapsedMs,
  };
  console.error(`  ${label}: edit → group p50 ${edit.latency.p50} ms, p99 ${edit.latency.p99} ms, ${received}/${expected} delivered`);
  return edit;
}

/** Server CPU over the typing, in ms per second. */
export const cpuPerSecond = (e: EditStats) => Math.round(e.serverCpuMs / (e.elapsedMs / 1000));

export async function waitUntil(ok: () => unknown, timeoutMs: number, what: string, fail = true): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!ok()) {
    if (performance.now() > deadline) {
      if (fail) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
      return;
    }
    await sleep(20);
  }
}
