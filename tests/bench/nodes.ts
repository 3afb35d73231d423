/**
 * The Kenes server(s) one N runs against: one process with a fresh SQLite data folder, or (BENCH_NODES=2)
 * two processes sharing a throwaway Redis (REDIS_URL) and a fresh PostgreSQL database (DATABASE_URL).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres } from '../helpers/postgres.js';
import { startRedis } from '../helpers/redis.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { stop, track } from './proc.js';

export interface KenesNodes {
  /** Node A first: the facilitator's. */
  urls: string[];
  pids: number[];
  stop(): Promise<void>;
}

/** One Kenes process on a fresh data folder. */
export async function startSingleNode(): Promise<KenesNodes> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kenes-bench-'));
  let server: TestServer;
  try {
    server = await startServer({ dataDir });
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  track(server.process);
  return nodesOf([server], async () => rmSync(dataDir, { recursive: true, force: true }));
}

export function nodesOf(servers: TestServer[], cleanup: () => Promise<void>): KenesNodes {
  const pids = servers.map((s) => s.process.pid!);
  return {
    urls: servers.map((s) => s.url),
    pids,
    async stop() {
      await Promise.all(servers.map((s) => stop(s.process)));
      await cleanup();
    },
  };
}

/** Redis and PostgreSQL for a whole run of BENCH_NODES=2; each N gets its own pair of nodes. */
export interface Cluster {
  /** Two nodes on an emptied Redis and a fresh database. */
  nodes(n: number): Promise<KenesNodes>;
  /** The Redis URL for the plain Socket.IO nodes, emptied first. */
  plainRedis(): Promise<string>;
  stop(): Promise<void>;
}

export async function startCluster(log: (s: string) => void): Promise<Cluster> {
  const redis = await startRedis();
  let postgres;
  try {
    postgres = await startPostgres();
  } catch (err) {
    await redis.stop();
    throw err;
  }
  const pg = postgres;
  log(`  Redis on ${redis.port}, PostgreSQL on ${pg.port}`);
  let databases = 0;
  return {
    async nodes(n) {
      // A restart empties Redis (no persistence): no stream entries or keys of an earlier N remain.
      await redis.restart();
      const databaseUrl = await pg.createDatabase(`bench_${n}_${++databases}`);
      const dataDirs = [0, 1].map(() => mkdtempSync(join(tmpdir(), 'kenes-bench-')));
      const cleanup = async () => {
        for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
      };
      const servers: TestServer[] = [];
      try {
        // One after the other: the first runs the migrations under PostgreSQL's advisory lock.
        for (const dataDir of dataDirs) {
          const server = await startServer({ dataDir, env: { DATABASE_URL: databaseUrl, REDIS_URL: redis.url } });
          track(server.process);
          servers.push(server);
        }
      } catch (err) {
        await Promise.all(servers.map((s) => stop(s.process)));
        await cleanup();
        throw err;
      }
      return nodesOf(servers, cleanup);
    },
    async plainRedis() {
      await redis.restart();
      return redis.url;
    },
    async stop() {
      await Promise.allSettled([redis.stop(), pg.destroy()]);
    },
  };
}
