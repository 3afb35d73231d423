/**
 * Board workload: 300 teachers in 50 groups of 6, each with a y-websocket client on their group's
 * board, each typing one character a second into their own note for ~20 s; the latency of an edit to
 * the other five of its group; and how long a fresh client takes to open a board of 1,000 notes.
 * The same clients, groups, schedule and edits run against the real Kenes server and against the
 * reference y-websocket server (`@y/websocket-server` 0.1.1, no persistence, no auth), one after the
 * other, in the same run; then fresh clients open the 1,000-note board on each, alternating.
 *
 * Timing: every edit writes its send time (performance.now(), just before the transaction) into a
 * side map `bench` of the same document, in the same transaction as the inserted character; each
 * receiver's observer takes arrival − send. All clients live in this process, so the clock is shared
 * and the figure is the whole path: client encode, socket, server decode/check/log/relay, socket,
 * client apply. Client-side work weighs on both servers' figures alike.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { addNote, boardDocName, groupBoardId, NOTE_COLORS, notesMap, PLENARY_BOARD_ID, readNotes, toggleReaction } from '@kenes/shared';
import { createSession, joinSession, openBoard, SessionClient, type BoardConnection } from '@kenes/shared/client';
import { SQLiteStore } from '../../server/src/store/sqlite.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { cpuMs, pool, sleep, stop, track, within } from './proc.js';
import { summarize, type Summary } from './stats.js';

export const BOARD_TEACHERS = 300;
export const BOARD_GROUPS = 50;
/** Edits per teacher, one a second: the first WARMUP are not measured. */
export const WARMUP_EDITS = 3;
export const MEASURED_EDITS = 20;
const PERIOD_MS = 1000;
export const LOAD_NOTES = 1000;
/** Fresh clients timed opening the 1,000-note board on each server, once it is in the server's memory. */
export const LOAD_TRIALS = 11;

const CONNECT_CONCURRENCY = 50;
const DRAIN_MS = 5000;

export interface EditStats {
  /** Edit sent → arrival at each other member of the group, pooled over all measured edits. */
  latency: Summary;
  edits: number;
  expected: number;
  received: number;
  missed: number;
  /** CPU of the server process over the typing; 2 cores' worth (2,000 ms per s) means it is the limit. */
  serverCpuMs: number;
  /** CPU of this process (all 300 clients) over the typing. */
  clientCpuMs: number;
  /** First edit to last edit sent. */
  typingMs: number;
  /** Start of typing to the end of the drain: what the CPU figures cover. */
  elapsedMs: number;
}

export interface LoadStats {
  notes: number;
  /** Bytes of the board's state (Y.encodeStateAsUpdate). */
  bytes: number;
  /** Connect → synced with every note readable, fresh client, board already in the server's memory. */
  warm: Summary;
  trials: number[];
  /** The same, as the first client to open it since the server started: loaded from storage. Kenes only. */
  cold: number | null;
}

export interface BoardSide {
  server: string;
  teachers: number;
  groups: number;
  connectMs: number;
  edit: EditStats;
  load: LoadStats;
}

export interface BoardsResult {
  kenes: BoardSide;
  reference: BoardSide;
}

/** One simulated teacher at a board. */
interface Typist {
  index: number;
  group: number;
  conn: BoardConnection;
  noteId: string;
}

const log = (s: string) => console.error(s);

export async function runBoards(): Promise<BoardsResult> {
  // 300 providers each add an exit hook to this process (y-websocket does, to say goodbye).
  process.setMaxListeners(BOARD_TEACHERS + 50);
  // The same 1,000-note document for both servers.
  const big = bigBoard(LOAD_NOTES);
  const dataDir = mkdtempSync(join(tmpdir(), 'kenes-bench-boards-'));
  let kenes: TestServer | null = null;
  let reference: ChildProcess | null = null;
  try {
    kenes = await startServer({ dataDir });
    track(kenes.process);
    const k = await typeOnKenes(kenes);
    const ref = await startReferenceServer();
    reference = ref.child;
    const r = await typeOnReference(ref.url, ref.child.pid!, k.groupOf);

    // The 1,000-note board, on both servers, with the typists gone: fresh clients alternate between
    // the two, so whatever this process is doing (GC, JIT) weighs on both alike.
    log('  boards: 1,000-note board');
    const kOpen = await prepareKenesBigBoard(kenes.url, dataDir, k.session, big);
    const rOpen = await prepareReferenceBigBoard(ref.url, big);
    const cold = await openAndRead(kOpen);
    await openAndRead(rOpen.open); // the first open after the writer's upload, untimed
    const kTrials: number[] = [];
    const rTrials: number[] = [];
    for (let i = 0; i < LOAD_TRIALS; i++) {
      await sleep(100);
      kTrials.push(await openAndRead(kOpen));
      await sleep(100);
      rTrials.push(await openAndRead(rOpen.open));
    }
    rOpen.writer.close();
    const load = (trials: number[], coldMs: number | null): LoadStats => ({
      notes: LOAD_NOTES,
      bytes: big.byteLength,
      warm: summarize(trials),
      trials,
      cold: coldMs,
    });
    log(`  boards: 1,000-note board open — Kenes cold ${cold} ms, warm p50 ${summarize(kTrials).p50} ms; reference warm p50 ${summarize(rTrials).p50} ms`);
    return {
      kenes: { server: 'kenes', teachers: BOARD_TEACHERS, groups: k.groups, connectMs: k.connectMs, edit: k.edit, load: load(kTrials, cold) },
      reference: {
        server: '@y/websocket-server 0.1.1',
        teachers: BOARD_TEACHERS,
        groups: BOARD_GROUPS,
        connectMs: r.connectMs,
        edit: r.edit,
        load: load(rTrials, null),
      },
    };
  } finally {
    if (reference) await stop(reference);
    if (kenes) await stop(kenes.process);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Kenes

interface KenesSession {
  id: string;
  facilitatorToken: string;
}

/** 300 teachers join over HTTP, the facilitator splits them into 50 groups, each opens their group board and types. */
async function typeOnKenes(
  server: TestServer,
): Promise<{ session: KenesSession; groups: number; groupOf: number[]; connectMs: number; edit: EditStats }> {
  const { url } = server;
  const sessions: SessionClient[] = [];
  const typists: Typist[] = [];
  try {
    const created = await createSession(url, { title: 'Board bench', template: 'design-thinking', locale: 'ru' });
    const fac = new SessionClient({ url, code: created.code, token: created.facilitatorToken, transports: ['websocket'] });
    sessions.push(fac);
    await within(fac.ready(), 10_000, 'facilitator welcome');

    // Teachers join over HTTP (each gets a token) and connect, so the split sees them present.
    const connectStart = performance.now();
    const joined = await pool(range(BOARD_TEACHERS), CONNECT_CONCURRENCY, async (i) => {
      const j = await within(joinSession(url, created.code, `Учитель ${i + 1}`), 30_000, `join of teacher ${i + 1}`);
      const c = new SessionClient({ url, code: created.code, token: j.token, transports: ['websocket'] });
      sessions.push(c);
      await within(c.ready(), 30_000, `welcome of teacher ${i + 1}`);
      return j;
    });
    const ack = await within(fac.command({ type: 'groups.split', count: BOARD_GROUPS }), 15_000, 'groups.split');
    if (!ack.ok) throw new Error(`groups.split refused: ${ack.error.code}`);
    await waitFor(() => joined.every((j) => fac.roster.get(j.participantId)?.groupId), 15_000, 'every teacher in a group');
    const groupIds = fac.state!.groups.map((g) => g.id);

    // Each teacher opens their group's board with their own token.
    const placed = await pool(joined, CONNECT_CONCURRENCY, async (j, i) => {
      const groupId = fac.roster.get(j.participantId)!.groupId!;
      const conn = openBoard({ url, sessionId: created.id, boardId: groupBoardId(groupId), token: j.token, WebSocketPolyfill: WebSocket });
      const typist: Typist = { index: i, group: groupIds.indexOf(groupId), conn, noteId: `note-${j.participantId}` };
      typists.push(typist);
      await within(conn.synced, 30_000, `board sync of teacher ${i + 1}`);
      return typist;
    });
    const connectMs = Math.round(performance.now() - connectStart);
    log(`  kenes: ${BOARD_TEACHERS} teachers joined, split into ${groupIds.length} groups, boards synced in ${(connectMs / 1000).toFixed(1)} s`);

    const edit = await typeAndMeasure(placed, server.process.pid!, 'kenes');
    const groupOf = placed.map((t) => t.group);
    return { session: { id: created.id, facilitatorToken: created.facilitatorToken }, groups: groupIds.length, groupOf, connectMs, edit };
  } finally {
    for (const t of typists) t.conn.close();
    for (const c of sessions) c.close();
  }
}

/**
 * Kenes refuses a 501st note on a live board (LIMITS.boardNotes), so the 1,000-note board is put into
 * storage directly, as a board written before a restart would be: the session's plenary board, which
 * nobody has opened. Fresh facilitator clients then open it; the first makes the server load it.
 */
async function prepareKenesBigBoard(url: string, dataDir: string, session: KenesSession, big: Uint8Array): Promise<() => BoardConnection> {
  const store = new SQLiteStore({ file: join(dataDir, 'kenes.db') });
  try {
    await store.appendUpdate(boardDocName(session.id, PLENARY_BOARD_ID), big);
  } finally {
    await store.close();
  }
  return () => openBoard({ url, sessionId: session.id, boardId: PLENARY_BOARD_ID, token: session.facilitatorToken, WebSocketPolyfill: WebSocket });
}

// ---------------------------------------------------------------------------------------------
// The reference y-websocket server

async function startReferenceServer(): Promise<{ child: ChildProcess; url: string }> {
  const require = createRequire(import.meta.url);
  const pkgDir = dirname(require.resolve('@y/websocket-server/package.json'));
  const port = await freePort();
  // Its own bin, as shipped: in-memory documents, gc on, no auth. Any YPERSISTENCE (even empty)
  // would turn LevelDB persistence on, so it is removed from the environment.
  const env: NodeJS.ProcessEnv = { ...process.env, HOST: '127.0.0.1', PORT: String(port) };
  delete env.YPERSISTENCE;
  const child = spawn(process.execPath, [join(pkgDir, 'src/server.js')], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  track(child);
  return within(
    new Promise((resolve, reject) => {
      let out = '';
      child.once('exit', (code) => reject(new Error(`reference server exited with ${code}`)));
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (/running at/.test(out)) resolve({ child, url: `http://127.0.0.1:${port}` });
      });
    }),
    20_000,
    'reference y-websocket server start',
  );
}

/** The same 300 teachers in the same 50 groups of 6 as on Kenes (`groupOf[i]`), with the same schedule and edits. */
async function typeOnReference(url: string, pid: number, groupOf: number[]): Promise<{ connectMs: number; edit: EditStats }> {
  const typists: Typist[] = [];
  try {
    const connectStart = performance.now();
    const placed = await pool(range(BOARD_TEACHERS), CONNECT_CONCURRENCY, async (i) => {
      const group = groupOf[i]!;
      const conn = openBoard({ url, sessionId: 'bench', boardId: `g-${group}`, WebSocketPolyfill: WebSocket });
      const typist: Typist = { index: i, group, conn, noteId: `note-${i}` };
      typists.push(typist);
      await within(conn.synced, 30_000, `reference board sync of teacher ${i + 1}`);
      return typist;
    });
    const connectMs = Math.round(performance.now() - connectStart);
    log(`  reference: ${BOARD_TEACHERS} clients synced in ${(connectMs / 1000).toFixed(1)} s`);
    return { connectMs, edit: await typeAndMeasure(placed, pid, 'reference') };
  } finally {
    for (const t of typists) t.conn.close();
  }
}

/** One client writes the 1,000-note board and stays connected (documents live while someone has them open). */
async function prepareReferenceBigBoard(url: string, big: Uint8Array): Promise<{ writer: BoardConnection; open: () => BoardConnection }> {
  const writer = openBoard({ url, sessionId: 'bench', boardId: 'big', WebSocketPolyfill: WebSocket });
  await within(writer.synced, 10_000, 'reference writer sync');
  Y.applyUpdate(writer.doc, big);
  return { writer, open: () => openBoard({ url, sessionId: 'bench', boardId: 'big', WebSocketPolyfill: WebSocket }) };
}

// ---------------------------------------------------------------------------------------------
// The typing

/**
 * Everyone adds a note to their group's board, waits until each board shows all its members' notes,
 * then types one character a second into it. Teachers are spread evenly over each second, so the
 * server sees a steady 300 edits a second, each relayed to 5 others (1,500 deliveries a second).
 */
async function typeAndMeasure(typists: Typist[], serverPid: number, label: string): Promise<EditStats> {
  const groupSize = new Map<number, number>();
  for (const t of typists) groupSize.set(t.group, (groupSize.get(t.group) ?? 0) + 1);

  for (const t of typists) {
    addNote(t.conn.doc, {
      id: t.noteId,
      text: '',
      color: NOTE_COLORS[t.index % NOTE_COLORS.length]!,
      authorId: `t${t.index}`,
      authorName: `Учитель ${t.index + 1}`,
      stageId: 's2',
      createdAt: Date.now(),
      area: 'says',
    });
  }
  await waitFor(() => typists.every((t) => notesMap(t.conn.doc).size === groupSize.get(t.group)), 30_000, `${label}: every note on every board`);

  const samples: number[] = [];
  let received = 0;
  for (const t of typists) {
    const stamps = t.conn.doc.getMap<number>('bench');
    stamps.observe((event, tr) => {
      if (tr.local) return;
      const now = performance.now();
      for (const key of event.keysChanged) {
        const seq = Number(key.slice(key.indexOf('.') + 1));
        if (seq < WARMUP_EDITS) continue;
        samples.push(now - stamps.get(key)!);
        received++;
      }
    });
  }

  const chars = 'абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі';
  const total = WARMUP_EDITS + MEASURED_EDITS;
  // Every edit's due time: teacher i at i/n of each second, the same schedule on both servers.
  const due: { at: number; t: Typist; seq: number }[] = [];
  const start = performance.now() + 100;
  for (let seq = 0; seq < total; seq++) {
    for (const t of typists) due.push({ at: start + seq * PERIOD_MS + (t.index / typists.length) * PERIOD_MS, t, seq });
  }
  due.sort((a, b) => a.at - b.at);

  const serverCpu0 = cpuMs(serverPid);
  const clientCpu0 = process.cpuUsage();
  const cpuStart = performance.now();
  let sent = 0;
  await new Promise<void>((resolve) => {
    let k = 0;
    const tick = () => {
      const now = performance.now();
      while (k < due.length && due[k]!.at <= now) {
        const { t, seq } = due[k++]!;
        const note = notesMap(t.conn.doc).get(t.noteId)!;
        const text = note.get('text') as Y.Text;
        const stamps = t.conn.doc.getMap<number>('bench');
        const at = performance.now();
        t.conn.doc.transact(() => {
          text.insert(text.length, chars[(t.index + seq) % chars.length]!);
          stamps.set(`${t.index}.${seq}`, at);
        });
        if (seq >= WARMUP_EDITS) sent++;
      }
      if (k >= due.length) resolve();
      else setTimeout(tick, Math.max(0, due[k]!.at - performance.now()));
    };
    setTimeout(tick, Math.max(0, start - performance.now()));
  });
  const typingMs = Math.round(performance.now() - start);
  const expected = typists.reduce((n, t) => n + MEASURED_EDITS * (groupSize.get(t.group)! - 1), 0);
  await waitFor(() => received >= expected, DRAIN_MS, '', false);
  const serverCpuMs = Math.round(cpuMs(serverPid) - serverCpu0);
  const used = process.cpuUsage(clientCpu0);
  const elapsedMs = Math.round(performance.now() - cpuStart);
  if (sent !== MEASURED_EDITS * typists.length) throw new Error(`${label}: sent ${sent} measured edits`);

  // Every board must have converged: each note holds all its characters on every member's copy.
  const lengths = typists.map((t) => {
    const text = notesMap(t.conn.doc).get(t.noteId)?.get('text');
    return text instanceof Y.Text ? text.length : -1;
  });
  if (lengths.some((l) => l !== total)) throw new Error(`${label}: a note lost characters (${lengths.filter((l) => l !== total).length} notes)`);

  const edit: EditStats = {
    latency: summarize(samples),
    edits: sent,
    expected,
    received,
    missed: expected - received,
    serverCpuMs,
    clientCpuMs: Math.round((used.user + used.system) / 1000),
    typingMs,
    elapsedMs,
  };
  log(`  ${label} boards: edit → group p50 ${edit.latency.p50} ms, p99 ${edit.latency.p99} ms, ${received}/${expected} delivered`);
  return edit;
}

// ---------------------------------------------------------------------------------------------
// The 1,000-note board

/** A board of `n` notes as a teacher group would leave it: varied text, colours, areas, a few +1s. */
function bigBoard(n: number): Uint8Array {
  const doc = new Y.Doc();
  const areas = ['says', 'thinks', 'does', 'feels'];
  const words = ['учитель', 'ученик', 'урок', 'цель', 'критерий', 'оценивание', 'мотивация', 'сабақ', 'мұғалім', 'оқушы', 'мақсат', 'бағалау'];
  for (let i = 0; i < n; i++) {
    const text = Array.from({ length: 8 + (i % 9) }, (_, w) => words[(i * 7 + w * 3) % words.length]).join(' ');
    addNote(doc, {
      id: `big-${i}`,
      text: `${i + 1}. ${text}`,
      color: NOTE_COLORS[i % NOTE_COLORS.length]!,
      authorId: `t${i % 300}`,
      authorName: `Учитель ${(i % 300) + 1}`,
      stageId: 's2',
      createdAt: 1_700_000_000_000 + i,
      area: areas[i % areas.length],
      x: (i * 37) % 1000,
      y: (i * 91) % 1000,
    });
    for (let r = 0; r < i % 4; r++) toggleReaction(doc, `big-${i}`, `t${r}`);
  }
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

/**
 * A fresh client: connect → first sync → all `LOAD_NOTES` notes readable (their text materialised), in ms.
 * (The reference server may still be receiving the writer's upload on its first open; that one waits.)
 */
async function openAndRead(open: () => BoardConnection): Promise<number> {
  const t0 = performance.now();
  const conn = open();
  try {
    await within(conn.synced, 30_000, 'big board sync');
    while (notesMap(conn.doc).size < LOAD_NOTES) {
      await within(new Promise<void>((r) => conn.doc.once('update', () => r())), 30_000, 'big board notes');
    }
    const notes = readNotes(conn.doc);
    if (notes.length !== LOAD_NOTES || notes.some((n) => n.text === '')) throw new Error('big board incomplete');
    return Math.round((performance.now() - t0) * 10) / 10;
  } finally {
    conn.close();
  }
}

// ---------------------------------------------------------------------------------------------

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

async function waitFor(ok: () => unknown, timeoutMs: number, what: string, fail = true): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!ok()) {
    if (performance.now() > deadline) {
      if (fail) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
      return;
    }
    await sleep(20);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** The Markdown table of the board figures, Kenes and the reference server side by side. */
export function boardsTable(r: BoardsResult): string {
  const { kenes: k, reference: y } = r;
  const trio = (s: Summary) => `${s.p50} / ${s.p99} / ${s.max}`;
  const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : '—');
  const lines = [
    `| board workload | Kenes | ${y.server} | ratio (Kenes / ref.) |`,
    '|---|---|---|---|',
    `| note edit → rest of group, p50 / p99 / max (ms) | ${trio(k.edit.latency)} | ${trio(y.edit.latency)} | ${ratio(k.edit.latency.p50, y.edit.latency.p50)} / ${ratio(k.edit.latency.p99, y.edit.latency.p99)} |`,
    `| deliveries received / expected | ${k.edit.received} / ${k.edit.expected} | ${y.edit.received} / ${y.edit.expected} | |`,
    `| server CPU while typing (ms per s) | ${perSecond(k.edit)} | ${perSecond(y.edit)} | ${ratio(k.edit.serverCpuMs, y.edit.serverCpuMs)} |`,
    `| 1,000-note board open (fresh client, board in server memory): p50 / max of ${LOAD_TRIALS} (ms) | ${k.load.warm.p50} / ${k.load.warm.max} | ${y.load.warm.p50} / ${y.load.warm.max} | ${ratio(k.load.warm.p50, y.load.warm.p50)} |`,
    `| 1,000-note board open, first since start (from storage) (ms) | ${k.load.cold ?? '—'} | — (no storage) | |`,
  ];
  return lines.join('\n');
}

const perSecond = (e: EditStats) => Math.round(e.serverCpuMs / (e.elapsedMs / 1000));
