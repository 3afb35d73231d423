/**
 * Load benchmark: for each N, a real Kenes server (child process, fresh data folder) with N teachers
 * and a facilitator; measures stage-change fan-out latency, a vote burst's acks and count, and server
 * RSS per participant, then the same fan-out and memory against a bare Socket.IO server in the same run.
 *
 *   npm run bench                         # N = 500, 1000, 2000
 *   BENCH_N=200 npm run bench             # or: npm run bench -- 500,1000
 *   BENCH_PLAIN_PAYLOAD=pad npm run bench # plain baseline sends a flat padded payload of the same size
 *
 * Every client lives in this one process (on 2 cores: one for the server, one for us), so client-side
 * work adds to both Kenes' and plain Socket.IO's latencies alike; compare the two, not absolutes.
 * N sockets need ~N file descriptors in each process; the shell may need `ulimit -n 65536`, which
 * limits.ts arranges by re-executing this script once through bash.
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { ROUNDS, WARMUP_ROUNDS } from './fanout.js';
import { runKenes } from './kenes.js';
import { checkOpenFileLimit, reexecWithRaisedLimit } from './limits.js';
import { runPlain } from './plain.js';
import { integrityProblems, markdownTable, marginalMemory, type Row } from './report.js';

/** One N (Kenes then plain) must finish in this long, or the run fails rather than hangs. */
const PER_N_BUDGET_MS = 5 * 60_000;
const RESULTS = fileURLToPath(new URL('./results.json', import.meta.url));

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
  const ns = parseNs();
  const payloadKind = process.env.BENCH_PLAIN_PAYLOAD === 'pad' ? 'pad' : 'patch';
  console.log(`Kenes load benchmark — node ${process.version}, ${cpus().length} cores, N = ${ns.join(', ')}`);
  checkOpenFileLimit(Math.max(...ns));
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
