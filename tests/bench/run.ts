/**
 * Load benchmark: for each N, a real Kenes server (child process, fresh data folder) with N teachers
 * and a facilitator; measures stage-change fan-out latency, a vote burst's acks and count, and server
 * RSS per participant, then the same fan-out and memory against a bare Socket.IO server in the same run.
 * Then the board workload (boards.ts): 300 teachers typing on 50 group boards, and a 1,000-note board's
 * load time, beside the reference y-websocket server.
 *
 *   npm run bench                         # N = 500, 1000, 2000, then the board workload
 *   BENCH_N=200 npm run bench             # or: npm run bench -- 500,1000
 *   BENCH=room npm run bench              # only the room (stage fan-out, votes, memory)
 *   BENCH=boards npm run bench            # only the board workload (boards.ts), beside @y/websocket-server
 *   BENCH_PLAIN_PAYLOAD=pad npm run bench # plain baseline sends a flat padded payload of the same size
 *
 * Every client lives in this one process (on 2 cores: one for the server, one for us), so client-side
 * work adds to both Kenes' and plain Socket.IO's latencies alike; compare the two, not absolutes.
 * N sockets need ~N file descriptors in each process; the shell may need `ulimit -n 65536`, which
 * limits.ts arranges by re-executing this script once through bash.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { BOARD_GROUPS, BOARD_TEACHERS, boardsTable, LOAD_NOTES, LOAD_TRIALS, MEASURED_EDITS, runBoards, WARMUP_EDITS } from './boards.js';
import { ROUNDS, WARMUP_ROUNDS } from './fanout.js';
import { runKenes } from './kenes.js';
import { checkOpenFileLimit, reexecWithRaisedLimit } from './limits.js';
import { runPlain } from './plain.js';
import { integrityProblems, markdownTable, marginalMemory, type Row } from './report.js';

/** One N (Kenes then plain) must finish in this long, or the run fails rather than hangs. */
const PER_N_BUDGET_MS = 5 * 60_000;
/** The board workload (both servers) must finish in this long. */
const BOARDS_BUDGET_MS = 4 * 60_000;
const RESULTS = fileURLToPath(new URL('./results.json', import.meta.url));
const BOARD_RESULTS = fileURLToPath(new URL('./results-boards.json', import.meta.url));

type Part = 'room' | 'boards';
function parseParts(): Part[] {
  const raw = (process.env.BENCH ?? 'all').toLowerCase();
  if (raw === 'all' || raw === '') return ['room', 'boards'];
  if (raw === 'room' || raw === 'boards') return [raw];
  throw new Error(`bad BENCH "${raw}" (want room, boards or all)`);
}

function parseNs(): number[] {
  const raw = [process.env.BENCH_N ?? '', ...process.argv.slice(2)].join(',');
  const ns = raw
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((x) => Number(x.replace(/^--?n=/i, '')));
  if (ns.some((x) => !Number.isInteger(x) || x < 1)) throw new Error(`bad N list: "${raw}" (want e.g. 500,1000)`);
  return ns.length ? ns : [500, 1000, 2000];
}

const log = (s: string) => console.error(s);

async function main(): Promise<number> {
  const reexec = reexecWithRaisedLimit();
  if (reexec) return reexec;
  // A signal would otherwise end this process without its exit hook, orphaning the child servers.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      console.error(`interrupted (${signal})`);
      process.exit(130);
    });
  }
  const parts = parseParts();
  const ns = parseNs();
  console.log(
    `Kenes load benchmark — node ${process.version}, ${cpus().length} cores` +
      (parts.includes('room') ? `, N = ${ns.join(', ')}` : '') +
      (parts.includes('boards') ? `, boards: ${BOARD_TEACHERS} teachers in ${BOARD_GROUPS} groups` : ''),
  );
  // A board teacher holds two sockets here (Socket.IO and y-websocket).
  checkOpenFileLimit(Math.max(parts.includes('room') ? Math.max(...ns) : 0, parts.includes('boards') ? 2 * BOARD_TEACHERS : 0));
  let code = 0;
  if (parts.includes('room')) code = await room(ns);
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
  const loadBefore = loadavg().map((x) => Math.round(x * 100) / 100);
  if (loadBefore[0]! > cpus().length * 0.75) console.warn(`WARNING: load average ${loadBefore[0]} on ${cpus().length} cores before the board run; figures will be noisy.`);
  const watchdog = setTimeout(() => {
    console.error(`FAILED: the board workload did not finish within ${BOARDS_BUDGET_MS / 1000} s`);
    process.exit(1);
  }, BOARDS_BUDGET_MS);
  const result = await runBoards();
  clearTimeout(watchdog);
  console.log('\n' + boardsTable(result) + '\n');
  console.log(
    `Edits: ${BOARD_TEACHERS} teachers in ${BOARD_GROUPS} groups, each typing one character a second into their own note on the group board, ` +
      `${MEASURED_EDITS} measured seconds after ${WARMUP_EDITS} warm-up; latency = send → arrival at each other member of the group, all deliveries pooled.`,
  );
  console.log(
    `Load: a fresh client, connect → synced with all ${LOAD_NOTES} notes readable (${result.kenes.load.bytes} bytes of state); ${LOAD_TRIALS} opens on each server, alternating, with the board in the server's memory; Kenes' first open (from SQLite) apart. Kenes caps a live board at 500 notes, so its 1,000-note board is written to storage directly.`,
  );
  const loadAfter = loadavg().map((x) => Math.round(x * 100) / 100);
  console.log(`Load average (1, 5, 15 min) before: ${loadBefore.join(', ')}; after: ${loadAfter.join(', ')}.`);
  const meta = { at: new Date().toISOString(), node: process.version, cores: cpus().length, loadBefore, loadAfter };
  writeFileSync(BOARD_RESULTS, JSON.stringify({ ...meta, ...result }, null, 2));
  console.log(`Results: ${BOARD_RESULTS}`);
  const missed = result.kenes.edit.missed + result.reference.edit.missed;
  if (missed > 0) {
    console.error(`FAILED: ${result.kenes.edit.missed} (Kenes) and ${result.reference.edit.missed} (reference) edits never reached a group member`);
    return 1;
  }
  return 0;
}

async function room(ns: number[]): Promise<number> {
  const payloadKind = process.env.BENCH_PLAIN_PAYLOAD === 'pad' ? 'pad' : 'patch';
  const rows: Row[] = [];
  for (const n of ns) {
    log(`N=${n}`);
    const watchdog = setTimeout(() => {
      console.error(`FAILED: N=${n} did not finish within ${PER_N_BUDGET_MS / 1000} s`);
      process.exit(1);
    }, PER_N_BUDGET_MS);
    const { result: kenes, patches } = await runKenes(n, log);
    if (patches.length !== WARMUP_ROUNDS + ROUNDS) throw new Error(`captured ${patches.length} stage patches, expected ${WARMUP_ROUNDS + ROUNDS}`);
    const plain = await runPlain(n, patches, payloadKind, log);
    clearTimeout(watchdog);
    rows.push({ kenes, plain });
  }
  const problems = integrityProblems(rows);
  console.log('\n' + markdownTable(rows) + '\n');
  console.log(`Latency: facilitator command (or driver emit) → arrival at each client, all ${ROUNDS} × N deliveries pooled, after ${WARMUP_ROUNDS} unmeasured warm-up rounds.`);
  console.log('Memory: server RSS (VmRSS) after N connected minus idle, over N — what the machine pays, heap and buffers alike.');
  for (const line of marginalMemory(rows)) console.log(line);
  console.log(`Plain payload: ${payloadKind === 'patch' ? "Kenes' own state.patch of each round, verbatim" : 'a flat padded object of the same JSON size'}.`);
  console.log(`Patch sizes (bytes, per round, warm-up first): ${rows[0]?.kenes.patchBytes.join(', ')}`);
  const meta = { at: new Date().toISOString(), node: process.version, cores: cpus().length, plainPayload: payloadKind };
  writeFileSync(RESULTS, JSON.stringify({ ...meta, rows, problems }, null, 2));
  console.log(`Results: ${RESULTS}`);
  if (problems.length) {
    console.error(`FAILED: vote count does not match acknowledgements:\n  ${problems.join('\n  ')}`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
