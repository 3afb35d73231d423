/**
 * Load benchmark. For each N, N simulated teachers and a facilitator in one room on the real Kenes
 * server (child process, fresh data folder): stage-change fan-out latency, a vote burst's acks and
 * count, server RSS per participant; then the facilitator splits the room into groups (about 6 each,
 * at most 50 groups) and every teacher opens their group's board and types on a fixed schedule
 * (kenes.ts, typing.ts). In the same run, for the same N: a bare Socket.IO server broadcasting the
 * same payloads to the same N clients (plain.ts), and the reference y-websocket server with the same
 * groups, schedule and edits (reference.ts). Then the board workload (boards.ts): 300 teachers typing
 * on 50 group boards, and a 1,000-note board's load time, beside the reference server.
 *
 *   npm run bench                         # N = 500, 1000, 2000, 5000, then the board workload (~25 min)
 *   BENCH_N=200 npm run bench             # or: npm run bench -- 500,1000
 *   BENCH=room npm run bench              # only the per-N room (stage, votes, boards, memory)
 *   BENCH=boards npm run bench            # only the 300-teacher board workload (boards.ts)
 *   BENCH_NODES=2 npm run bench           # the per-N room on two Kenes nodes sharing a throwaway Redis
 *                                         # and PostgreSQL (fresh database per N); facilitator on node A,
 *                                         # teachers alternating A, B; plain Socket.IO also on two nodes
 *                                         # over the same Redis adapter; memory = both nodes' RSS
 *   BENCH_PLAIN_PAYLOAD=pad npm run bench # plain baseline sends a flat padded payload of the same size
 *
 * Every client lives in this one process (on 2 cores: one for the server, one for us), so client-side
 * work adds to Kenes' and the baselines' latencies alike; compare the two, not absolutes.
 * N teachers need ~2N file descriptors in this process and in the server; limits.ts re-executes this
 * script once through bash with a raised `ulimit -n` (and --expose-gc, to collect between phases).
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { BOARD_GROUPS, BOARD_TEACHERS, boardsTable, LOAD_NOTES, LOAD_TRIALS, MEASURED_EDITS, runBoards, WARMUP_EDITS } from './boards.js';
import { ROUNDS, WARMUP_ROUNDS } from './fanout.js';
import { BOARD_CHARS_PER_SECOND, roomBoardSchedule, ROOM_BOARD_MEASURED, ROOM_BOARD_WARMUP, runKenes, WANTED_GROUP_SIZE } from './kenes.js';
import { checkOpenFileLimit, collectGarbage, descriptorsFor, reexecWithRaisedLimit } from './limits.js';
import { startCluster, startSingleNode, type Cluster } from './nodes.js';
import { runPlain, type PayloadKind } from './plain.js';
import { stop, within } from './proc.js';
import { REFERENCE_NAME, startReferenceServer, typeOnReference } from './reference.js';
import { boardNotes, integrityProblems, markdownTable, marginalMemory, type Row } from './report.js';
import { LIMITS } from '@kenes/shared';

/**
 * One N (Kenes, plain, reference) must finish in this long, or the run fails rather than hangs:
 * a fixed part for starting, connecting, the stage and vote phases, plus the typing on both board
 * servers (which grows with N, see roomBoardSchedule) and N-proportional connecting.
 */
function perNBudgetMs(n: number, nodes: number): number {
  const s = roomBoardSchedule(n);
  const typing = 2 * ((s.warmup + s.measured) * s.periodMs + s.drainMs);
  return 4 * 60_000 + typing + n * 40 * nodes;
}
/** The board workload (both servers) must finish in this long. */
const BOARDS_BUDGET_MS = 4 * 60_000;
const resultsFile = (nodes: number) => fileURLToPath(new URL(nodes > 1 ? `./results-${nodes}-nodes.json` : './results.json', import.meta.url));
const BOARD_RESULTS = fileURLToPath(new URL('./results-boards.json', import.meta.url));

type Part = 'room' | 'boards';
function parseParts(nodes: number): Part[] {
  const raw = (process.env.BENCH ?? 'all').toLowerCase();
  // The board workload is a single-node figure; with several nodes only the per-N room runs.
  if (raw === 'all' || raw === '') return nodes > 1 ? ['room'] : ['room', 'boards'];
  if (raw === 'room' || raw === 'boards') return [raw];
  throw new Error(`bad BENCH "${raw}" (want room, boards or all)`);
}

function parseNodes(): number {
  const raw = process.env.BENCH_NODES ?? '1';
  if (raw !== '1' && raw !== '2') throw new Error(`bad BENCH_NODES "${raw}" (want 1 or 2)`);
  return Number(raw);
}

function parseNs(): number[] {
  const raw = [process.env.BENCH_N ?? '', ...process.argv.slice(2)].join(',');
  const ns = raw
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((x) => Number(x.replace(/^--?n=/i, '')));
  if (ns.some((x) => !Number.isInteger(x) || x < 1)) throw new Error(`bad N list: "${raw}" (want e.g. 500,1000)`);
  return ns.length ? ns : [500, 1000, 2000, 5000];
}

const log = (s: string) => console.error(s);
/** Stops the Redis and PostgreSQL of a BENCH_NODES=2 run, on an interrupt too. */
let stopCluster: (() => Promise<void>) | null = null;
const plural = (n: number, word: string) => (n === 1 ? `one ${word}` : `${n} ${word}s`);
const loadNow = () => loadavg().map((x) => Math.round(x * 100) / 100);

async function main(): Promise<number> {
  const reexec = reexecWithRaisedLimit();
  if (reexec) return reexec;
  // A signal would otherwise end this process without its exit hook, orphaning the child servers;
  // Redis and PostgreSQL are stopped first (their helpers own those processes).
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      console.error(`interrupted (${signal})`);
      void within(stopCluster?.() ?? Promise.resolve(), 10_000, 'Redis and PostgreSQL stop')
        .catch(() => {})
        .finally(() => process.exit(130));
    });
  }
  const nodes = parseNodes();
  const parts = parseParts(nodes);
  const ns = parseNs();
  console.log(
    `Kenes load benchmark — node ${process.version}, ${cpus().length} cores` +
      (parts.includes('room') ? `, N = ${ns.join(', ')}${nodes > 1 ? `, ${nodes} Kenes nodes (Redis, PostgreSQL)` : ', one Kenes node (SQLite)'}` : '') +
      (parts.includes('boards') ? `, boards: ${BOARD_TEACHERS} teachers in ${BOARD_GROUPS} groups` : ''),
  );
  checkOpenFileLimit(descriptorsFor(Math.max(parts.includes('room') ? Math.max(...ns) : 0, parts.includes('boards') ? BOARD_TEACHERS : 0)));
  let code = 0;
  if (parts.includes('room')) code = await room(ns, nodes);
  if (parts.includes('boards')) code = (parts.includes('room') ? await boardsInFreshProcess() : await boards()) || code;
  return code;
}

/**
 * The board workload after the room runs, in a fresh process: thousands of closed room clients leave
 * garbage behind here whose collection would otherwise land in the board timings.
 */
function boardsInFreshProcess(): Promise<number> {
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH: 'boards' },
  });
  // SIGTERM, not SIGKILL: the child's own handler then exits through its hook, which stops its servers.
  const onExit = () => child.kill('SIGTERM');
  process.on('exit', onExit);
  return new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      process.off('exit', onExit);
      resolve(code ?? (signal ? 1 : 0));
    }),
  );
}

async function boards(): Promise<number> {
  log('boards');
  // Other work on the machine inflates every latency (both servers' alike); the load average says how much there was.
  const loadBefore = loadNow();
  if (loadBefore[0]! > cpus().length * 0.75) console.warn(`WARNING: load average ${loadBefore[0]} on ${cpus().length} cores before the board run; figures will be noisy.`);
  const watchdog = setTimeout(() => {
    console.error(`FAILED: the board workload did not finish within ${BOARDS_BUDGET_MS / 1000} s`);
    process.exit(1);
  }, BOARDS_BUDGET_MS);
  const result = await runBoards();
  clearTimeout(watchdog);
  console.log('\n' + boardsTable(result) + '\n');
  console.log(
    `Edits: ${BOARD_TEACHERS} teachers in ${BOARD_GROUPS} groups, each typing one character a second into their own note on the group board (awareness on, as in a browser), ` +
      `${MEASURED_EDITS} measured seconds after ${WARMUP_EDITS} warm-up; latency = send → arrival at each other member of the group, all deliveries pooled.`,
  );
  console.log(
    `Load: a fresh client, connect → synced with all ${LOAD_NOTES} notes readable (${result.kenes.load.bytes} bytes of state); ${LOAD_TRIALS} opens on each server, alternating, with the board in the server's memory; Kenes' first open (from SQLite) apart. Kenes caps a live board at 500 notes, so its 1,000-note board is written to storage directly.`,
  );
  const loadAfter = loadNow();
  console.log(`Load average (1, 5, 15 min) before: ${loadBefore.join(', ')}; after: ${loadAfter.join(', ')}.`);
  const meta = { at: new Date().toISOString(), node: process.version, cores: cpus().length, loadBefore, loadAfter };
  writeFileSync(BOARD_RESULTS, JSON.stringify({ ...meta, ...result }, null, 2));
  console.log(`Results: ${BOARD_RESULTS}`);
  const { kenes: k, reference: r } = result;
  if (k.edit.missed + r.edit.missed + k.edit.incomplete + r.edit.incomplete > 0) {
    console.error(
      `FAILED: ${k.edit.missed} (Kenes) and ${r.edit.missed} (reference) edits never reached a group member; ` +
        `${k.edit.incomplete} and ${r.edit.incomplete} copies of a note lack characters`,
    );
    return 1;
  }
  return 0;
}

async function room(ns: number[], nodeCount: number): Promise<number> {
  const payloadKind: PayloadKind = process.env.BENCH_PLAIN_PAYLOAD === 'pad' ? 'pad' : 'patch';
  const loadBefore = loadNow();
  if (loadBefore[0]! > cpus().length * 0.5) console.warn(`WARNING: load average ${loadBefore[0]} on ${cpus().length} cores before the run; figures will be noisy.`);
  const rows: Row[] = [];
  // Redis and PostgreSQL live for the whole run; each N gets an empty Redis and a fresh database.
  const cluster: Cluster | null = nodeCount > 1 ? await startCluster(log) : null;
  stopCluster = cluster ? () => cluster.stop() : null;
  try {
    for (const n of ns) {
      log(`N=${n}`);
      const budget = perNBudgetMs(n, nodeCount);
      // A stuck N fails the run rather than hanging it; the finally blocks still stop every server.
      rows.push(await within(oneN(n, cluster, payloadKind), budget, `N=${n} (budget ${Math.round(budget / 1000)} s)`));
    }
  } finally {
    stopCluster = null;
    await cluster?.stop();
  }
  const loadAfter = loadNow();
  const problems = integrityProblems(rows);
  console.log('\n' + markdownTable(rows) + '\n');
  for (const line of notes(rows, nodeCount, payloadKind, loadBefore, loadAfter)) console.log(line);
  const meta = { at: new Date().toISOString(), node: process.version, cores: cpus().length, nodes: nodeCount, plainPayload: payloadKind, loadBefore, loadAfter };
  const file = resultsFile(nodeCount);
  writeFileSync(file, JSON.stringify({ ...meta, rows, problems }, null, 2));
  console.log(`Results: ${file}`);
  if (problems.length) {
    console.error(`FAILED:\n  ${problems.join('\n  ')}`);
    return 1;
  }
  return 0;
}

/** One N: Kenes (room, then group boards), plain Socket.IO with the same payloads, the reference server with the same groups. */
async function oneN(n: number, cluster: Cluster | null, payloadKind: PayloadKind): Promise<Row> {
  collectGarbage();
  const nodes = cluster ? await cluster.nodes(n) : await startSingleNode();
  let kenes: Awaited<ReturnType<typeof runKenes>>;
  try {
    kenes = await runKenes(n, nodes, log);
  } finally {
    await nodes.stop();
  }
  const { result, patches, groupOf } = kenes;
  if (patches.length !== WARMUP_ROUNDS + ROUNDS) throw new Error(`captured ${patches.length} stage patches, expected ${WARMUP_ROUNDS + ROUNDS}`);
  collectGarbage();
  const plain = await runPlain(n, patches, payloadKind, log, cluster ? await cluster.plainRedis() : null);
  collectGarbage();
  const ref = await startReferenceServer();
  try {
    const reference = await typeOnReference(ref.url, ref.child.pid!, groupOf, roomBoardSchedule(n), { awareness: false, room: `bench-${n}` });
    return { kenes: result, plain, reference };
  } finally {
    await stop(ref.child);
  }
}

/** What the figures mean, printed under the table. */
function notes(rows: readonly Row[], nodeCount: number, payloadKind: string, loadBefore: number[], loadAfter: number[]): string[] {
  const out = [
    nodeCount > 1
      ? `Setup: ${nodeCount} Kenes nodes sharing one Redis (REDIS_URL) and one PostgreSQL (DATABASE_URL, a fresh database per N); the facilitator on node A, teachers alternating A, B; plain Socket.IO on ${nodeCount} nodes over the same Redis Streams adapter (driver on A, listeners alternating); the reference y-websocket server is one process (it has no cluster mode).`
      : 'Setup: one Kenes node (SQLite); plain Socket.IO and the reference y-websocket server one process each; every client in one process on the same 2 cores.',
    `Stage change: facilitator command (or driver emit) → arrival at each client, all ${ROUNDS} × N deliveries pooled, after ${WARMUP_ROUNDS} unmeasured warm-up rounds.`,
    'Vote burst: every teacher casts a dot ballot at a random moment within one second; ack = call → acknowledgement; every acknowledged ballot is checked to be counted once in the revealed result.',
    `Board edits: after the vote the facilitator splits the room into groups of about ${WANTED_GROUP_SIZE} (\`groups.split\`, at most ${LIMITS.maxGroups} groups a room, so past ${LIMITS.maxGroups * WANTED_GROUP_SIZE} teachers the groups grow); ` +
      `every teacher opens their group's board (y-websocket, own token, on their node) and adds a note, then types into it: ${plural(BOARD_CHARS_PER_SECOND, 'character')} a second per board, its members in turn, evenly staggered ` +
      `(so a teacher types one character every ${BOARD_CHARS_PER_SECOND === 1 ? 'g' : `g/${BOARD_CHARS_PER_SECOND}`} seconds, g being the size of their group); per teacher ${plural(ROOM_BOARD_WARMUP, 'character')} unmeasured, then ${ROOM_BOARD_MEASURED} measured. ` +
      'Latency = send → arrival at each other member of the group, all deliveries pooled. The reference server gets the same clients in the same groups, the same schedule and edits. ' +
      'Awareness is off in these clients (local state null): y-websocket clients send every awareness update they receive back to the server, which in groups of 100 grows as the square of the group and would swamp the one client process; the 300-teacher board workload keeps it on.',
    ...boardNotes(rows),
    `Memory: server RSS (VmRSS${nodeCount > 1 ? ', both nodes summed' : ''}) after N connected minus idle, over N — what the machine pays, heap and buffers alike.`,
    ...marginalMemory(rows),
    `Plain payload: ${payloadKind === 'patch' ? "Kenes' own state.patch of each round, verbatim" : 'a flat padded object of the same JSON size'}. Patch sizes (bytes, per round, warm-up first): ${rows[0]?.kenes.patchBytes.join(', ')}.`,
    `Reference: ${REFERENCE_NAME}, its own bin, documents in memory, no auth, no storage.`,
    `Load average (1, 5, 15 min) before: ${loadBefore.join(', ')}; after: ${loadAfter.join(', ')}.`,
  ];
  return out;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
