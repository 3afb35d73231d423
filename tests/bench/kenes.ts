import type { StatePatch } from '@kenes/shared';
import { groupBoardId, LIMITS } from '@kenes/shared';
import { createSession, joinSession, openBoard, SessionClient } from '@kenes/shared/client';
import WebSocket from 'ws';
import { FanoutRecorder, measureRounds, ROUNDS, WARMUP_ROUNDS, type FanoutStats } from './fanout.js';
import type { KenesNodes } from './nodes.js';
import { pool, settledRss, within } from './proc.js';
import { openBoards, typeAndMeasure, waitUntil, type EditStats, type Schedule, type Typist } from './typing.js';
import { runVote, type VoteStats } from './vote.js';

const JOIN_CONCURRENCY = 50;
/** Generous: under a burst of N the server may take seconds to answer, and a resend is not what we measure. */
const ACK_TIMEOUT_MS = 10_000;
const ROUND_TIMEOUT_MS = 15_000;

/** The size of group the facilitator asks for; a room holds at most LIMITS.maxGroups groups, so past 300 teachers they grow. */
export const WANTED_GROUP_SIZE = 6;
/**
 * Characters per second on each group board, its members typing in turn: 6 teachers each typing one
 * every 6 s. The room then sends about N deliveries a second (each edit reaches group size − 1 others),
 * which the one client process takes at N = 5,000 with most of a core to spare.
 */
export const BOARD_CHARS_PER_SECOND = 1;
/** Characters per teacher on the group boards after the room phases: the first unmeasured, then the measured ones. */
export const ROOM_BOARD_WARMUP = 1;
export const ROOM_BOARD_MEASURED = 1;

/** Groups for N teachers: about WANTED_GROUP_SIZE each, as many as the room allows. */
export const groupCount = (n: number) => Math.max(1, Math.min(LIMITS.maxGroups, Math.round(n / WANTED_GROUP_SIZE)));

/**
 * The typing schedule on the group boards for N teachers: each board gets BOARD_CHARS_PER_SECOND on
 * average whatever its size, so a teacher types one character every (group size / rate) seconds:
 * 6 s in groups of 6, 100 s in the 50 groups of 100 that 5,000 teachers make.
 */
export function roomBoardSchedule(n: number): Schedule {
  const perGroup = n / groupCount(n);
  return {
    periodMs: Math.round((perGroup / BOARD_CHARS_PER_SECOND) * 1000),
    warmup: ROOM_BOARD_WARMUP,
    measured: ROOM_BOARD_MEASURED,
    drainMs: 10_000,
  };
}

export interface KenesResult {
  n: number;
  nodes: number;
  connectMs: number;
  /** Server RSS (all nodes) before any teacher, with N connected, and with every group board open as well. */
  memory: { idleKiB: number; connectedKiB: number; kibPerParticipant: number; boardsKiB: number };
  stage: FanoutStats;
  /** JSON size of each round's `state.patch` (warm-up rounds first), as a teacher received it. */
  patchBytes: number[];
  vote: VoteStats;
  boards: { groups: number; groupSizes: { min: number; max: number }; schedule: Schedule; connectMs: number; edit: EditStats };
}

/** Stage targets bouncing between 1 and 7 from stage 0: 1, 2, … 7, 6, 5, … */
export function stageTargets(rounds: number): number[] {
  const out: number[] = [];
  let cur = 0;
  let step = 1;
  for (let i = 0; i < rounds; i++) {
    if (cur + step > 7 || cur + step < 1) step = -step;
    cur += step;
    out.push(cur);
  }
  return out;
}

const client = (url: string, code: string, token: string) =>
  new SessionClient({ url, code, token, ackTimeoutMs: ACK_TIMEOUT_MS, giveUpMs: 30_000, transports: ['websocket'] });

/**
 * One full Kenes run for N teachers on fresh node(s): the facilitator on the first node, teacher i on
 * node i mod count. Stage changes, a vote burst, then the group boards. Returns each stage round's
 * patch (for the plain server to send again) and every teacher's group (for the reference server).
 */
export async function runKenes(
  n: number,
  nodes: KenesNodes,
  log: (s: string) => void,
): Promise<{ result: KenesResult; patches: StatePatch[]; groupOf: number[] }> {
  const clients: SessionClient[] = [];
  const typists: Typist[] = [];
  // Every y-websocket provider adds an exit hook to this process, to say goodbye.
  process.setMaxListeners(n + 100);
  try {
    const { pids, urls } = nodes;
    const urlOf = (i: number) => urls[i % urls.length]!;
    const created = await createSession(urls[0]!, { title: 'Bench', template: 'case-method', locale: 'ru' });
    const fac = client(urls[0]!, created.code, created.facilitatorToken);
    clients.push(fac);
    await within(fac.ready(), 10_000, 'facilitator welcome');
    const idleKiB = await settledRss(pids);

    // Teachers: join over HTTP, connect, await the welcome; their patch listener is on from the start.
    const stage = new FanoutRecorder(n);
    // Each round's patch as a teacher received it, for the plain server to send the same again.
    const patches: StatePatch[] = [];
    const targets = stageTargets(WARMUP_ROUNDS + ROUNDS);
    let round = -1;
    const connectStart = Date.now();
    const joined = await pool(Array.from({ length: n }, (_, i) => i), JOIN_CONCURRENCY, async (i) => {
      const url = urlOf(i);
      const j = await within(joinSession(url, created.code, `Teacher ${i + 1}`), 30_000, `join of teacher ${i + 1}`);
      const c = client(url, created.code, j.token);
      clients.push(c);
      c.socket.on('state.patch', (p: StatePatch) => {
        if (p.set.stageIndex === undefined) return;
        if (p.set.stageIndex === targets[round] && patches[round] === undefined) patches[round] = p;
        stage.arrive(i, p.set.stageIndex);
      });
      await within(c.ready(), 30_000, `welcome of teacher ${i + 1}`).catch((err: Error) => {
        throw new Error(`${err.message} (client ${c.status}${c.refusal ? `, refused: ${c.refusal.code}` : ''}; too low ulimit -n?)`);
      });
      return { ...j, client: c };
    });
    const teachers = joined.map((j) => j.client);
    const connectMs = Date.now() - connectStart;
    log(`  kenes: ${n} teachers connected in ${(connectMs / 1000).toFixed(1)} s`);
    const connectedKiB = await settledRss(pids);

    // Stage-change fan-out: the facilitator moves the stage; every teacher's patch arrival is timed.
    let cur = 0;
    const stageStats = await measureRounds({
      rec: stage,
      warmup: WARMUP_ROUNDS,
      rounds: ROUNDS,
      serverPids: pids,
      timeoutMs: ROUND_TIMEOUT_MS,
      round: (r) => {
        round = r;
        const target = targets[r]!;
        return {
          key: target,
          send: async () => {
            const ack = await within(fac.command({ type: 'stage.go', index: target, from: cur }), ROUND_TIMEOUT_MS, `stage.go ${target}`);
            if (!ack.ok) throw new Error(`stage.go ${target} refused: ${ack.error.code}`);
            cur = target;
          },
        };
      },
    });
    log(`  kenes: stage fan-out p99 ${stageStats.latency.p99} ms, missed ${stageStats.missed}`);

    const vote = await runVote(fac, teachers, pids, ROUND_TIMEOUT_MS);
    log(`  kenes: votes acked ${vote.acked}, counted ${vote.counted}, lost ${vote.lost}, ack p99 ${vote.ack.p99} ms`);

    // Group boards: the facilitator splits the room, each teacher opens their group's board on their node.
    const groups = groupCount(n);
    const split = await within(fac.command({ type: 'groups.split', count: groups }), ROUND_TIMEOUT_MS, 'groups.split');
    if (!split.ok) throw new Error(`groups.split refused: ${split.error.code}`);
    await waitUntil(() => joined.every((j) => fac.roster.get(j.participantId)?.groupId), 30_000, 'every teacher in a group');
    const groupIds = fac.state!.groups.map((g) => g.id);
    const groupOf = joined.map((j) => groupIds.indexOf(fac.roster.get(j.participantId)!.groupId!));
    const sizes = groupIds.map((_, g) => groupOf.filter((x) => x === g).length);
    const schedule = roomBoardSchedule(n);
    const { placed, connectMs: boardsConnectMs } = await openBoards(
      groupOf,
      (i, group) => ({
        conn: openBoard({ url: urlOf(i), sessionId: created.id, boardId: groupBoardId(groupIds[group]!), token: joined[i]!.token, WebSocketPolyfill: WebSocket }),
        noteId: `note-${joined[i]!.participantId}`,
      }),
      typists,
      { awareness: false, label: 'kenes' },
    );
    log(`  kenes: ${groups} groups of ${Math.min(...sizes)}–${Math.max(...sizes)}, boards synced in ${(boardsConnectMs / 1000).toFixed(1)} s`);
    const boardsKiB = await settledRss(pids, 500, 2000);
    const edit = await typeAndMeasure(placed, schedule, pids, 'kenes');

    const result: KenesResult = {
      n,
      nodes: urls.length,
      connectMs,
      memory: { idleKiB, connectedKiB, kibPerParticipant: Math.round(((connectedKiB - idleKiB) / n) * 10) / 10, boardsKiB },
      stage: stageStats,
      patchBytes: patches.map((p) => Buffer.byteLength(JSON.stringify(p))),
      vote,
      boards: { groups, groupSizes: { min: Math.min(...sizes), max: Math.max(...sizes) }, schedule, connectMs: boardsConnectMs, edit },
    };
    return { result, patches, groupOf };
  } finally {
    for (const t of typists) t.conn.close();
    for (const c of clients) c.close();
  }
}
