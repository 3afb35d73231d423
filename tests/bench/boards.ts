/**
 * Board workload: 300 teachers in 50 groups of 6, each with a y-websocket client on their group's
 * board, each typing one character a second into their own note for ~20 s; the latency of an edit to
 * the other five of its group (typing.ts); and how long a fresh client takes to open a board of 1,000
 * notes. The same clients, groups, schedule and edits run against the real Kenes server and against
 * the reference y-websocket server (reference.ts), one after the other, in the same run; then fresh
 * clients open the 1,000-note board on each, alternating.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { addNote, boardDocName, groupBoardId, NOTE_COLORS, notesMap, PLENARY_BOARD_ID, readNotes, toggleReaction } from '@kenes/shared';
import { createSession, joinSession, openBoard, SessionClient, type BoardConnection } from '@kenes/shared/client';
import { SQLiteStore } from '../../server/src/store/sqlite.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { pool, sleep, stop, track, within } from './proc.js';
import { REFERENCE_NAME, startReferenceServer, typeOnReference } from './reference.js';
import { summarize, type Summary } from './stats.js';
import { cpuPerSecond, openBoards, typeAndMeasure, waitUntil, type EditStats, type Schedule, type Typist } from './typing.js';

export const BOARD_TEACHERS = 300;
export const BOARD_GROUPS = 50;
/** Edits per teacher, one a second: the first WARMUP are not measured. */
export const WARMUP_EDITS = 3;
export const MEASURED_EDITS = 20;
export const BOARD_SCHEDULE: Schedule = { periodMs: 1000, warmup: WARMUP_EDITS, measured: MEASURED_EDITS, drainMs: 5000 };
export const LOAD_NOTES = 1000;
/** Fresh clients timed opening the 1,000-note board on each server, once it is in the server's memory. */
export const LOAD_TRIALS = 11;

const CONNECT_CONCURRENCY = 50;

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
    const r = await typeOnReference(ref.url, ref.child.pid!, k.groupOf, BOARD_SCHEDULE, { awareness: true, room: 'bench' });

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
        server: REFERENCE_NAME,
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
    await waitUntil(() => joined.every((j) => fac.roster.get(j.participantId)?.groupId), 15_000, 'every teacher in a group');
    const groupIds = fac.state!.groups.map((g) => g.id);

    // Each teacher opens their group's board with their own token.
    const groupOf = joined.map((j) => groupIds.indexOf(fac.roster.get(j.participantId)!.groupId!));
    const { placed, connectMs: boardsMs } = await openBoards(
      groupOf,
      (i, group) => ({
        conn: openBoard({ url, sessionId: created.id, boardId: groupBoardId(groupIds[group]!), token: joined[i]!.token, WebSocketPolyfill: WebSocket }),
        noteId: `note-${joined[i]!.participantId}`,
      }),
      typists,
      { awareness: true, label: 'kenes' },
    );
    const connectMs = Math.round(performance.now() - connectStart);
    log(`  kenes: ${BOARD_TEACHERS} teachers joined, split into ${groupIds.length} groups, boards synced in ${(boardsMs / 1000).toFixed(1)} s`);

    const edit = await typeAndMeasure(placed, BOARD_SCHEDULE, [server.process.pid!], 'kenes');
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

/** One client writes the 1,000-note board and stays connected (documents live while someone has them open). */
async function prepareReferenceBigBoard(url: string, big: Uint8Array): Promise<{ writer: BoardConnection; open: () => BoardConnection }> {
  const writer = openBoard({ url, sessionId: 'bench', boardId: 'big', WebSocketPolyfill: WebSocket });
  await within(writer.synced, 10_000, 'reference writer sync');
  Y.applyUpdate(writer.doc, big);
  return { writer, open: () => openBoard({ url, sessionId: 'bench', boardId: 'big', WebSocketPolyfill: WebSocket }) };
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
    `| server CPU while typing (ms per s) | ${cpuPerSecond(k.edit)} | ${cpuPerSecond(y.edit)} | ${ratio(k.edit.serverCpuMs, y.edit.serverCpuMs)} |`,
    `| 1,000-note board open (fresh client, board in server memory): p50 / max of ${LOAD_TRIALS} (ms) | ${k.load.warm.p50} / ${k.load.warm.max} | ${y.load.warm.p50} / ${y.load.warm.max} | ${ratio(k.load.warm.p50, y.load.warm.p50)} |`,
    `| 1,000-note board open, first since start (from storage) (ms) | ${k.load.cold ?? '—'} | — (no storage) | |`,
  ];
  return lines.join('\n');
}

