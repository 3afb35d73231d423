/**
 * The reference y-websocket server, `@y/websocket-server` 0.1.1 run from its own bin as shipped:
 * documents in memory, gc on, no auth, no storage. Boards there are named like Kenes' so the same
 * clients, groups and schedule run against both.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import WebSocket from 'ws';
import { openBoard } from '@kenes/shared/client';
import { settledRss, track, within } from './proc.js';
import { openBoards, typeAndMeasure, type EditStats, type Opener, type Schedule, type Typist } from './typing.js';
import { freePort } from '../helpers/ports.js';

export const REFERENCE_NAME = '@y/websocket-server 0.1.1';

export async function startReferenceServer(): Promise<{ child: ChildProcess; url: string }> {
  const require = createRequire(import.meta.url);
  const pkgDir = dirname(require.resolve('@y/websocket-server/package.json'));
  const port = await freePort();
  // Any YPERSISTENCE (even empty) would turn LevelDB persistence on, so it is removed from the environment.
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

/** Teacher i's board on the reference server: group g's board is `<room>/g-<g>`, open to anyone. */
export function referenceOpener(url: string, room: string): Opener {
  return (index, group) => ({
    conn: openBoard({ url, sessionId: room, boardId: `g-${group}`, WebSocketPolyfill: WebSocket }),
    noteId: `note-${index}`,
  });
}

export interface ReferenceTyping {
  connectMs: number;
  /** RSS of the reference server before the clients and with every board open. */
  memory: { idleKiB: number; boardsKiB: number };
  edit: EditStats;
}

/** The same teachers in the same groups (`groupOf[i]`) as on Kenes, with the same schedule and edits. */
export async function typeOnReference(
  url: string,
  pid: number,
  groupOf: readonly number[],
  schedule: Schedule,
  opts: { awareness: boolean; room: string },
): Promise<ReferenceTyping> {
  const typists: Typist[] = [];
  try {
    const idleKiB = await settledRss(pid);
    const { placed, connectMs } = await openBoards(groupOf, referenceOpener(url, opts.room), typists, { awareness: opts.awareness, label: 'reference' });
    console.error(`  reference: ${placed.length} clients synced in ${(connectMs / 1000).toFixed(1)} s`);
    const boardsKiB = await settledRss(pid, 500, 2000);
    return { connectMs, memory: { idleKiB, boardsKiB }, edit: await typeAndMeasure(placed, schedule, [pid], 'reference') };
  } finally {
    for (const t of typists) t.conn.close();
  }
}

