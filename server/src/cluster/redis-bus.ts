import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import type { Bus, BusHandler } from './bus.js';

export type RedisClient = ReturnType<typeof createClient>;

/** Node ids are this many ASCII characters, so a message starts with its sender's id. */
const NODE_ID_LENGTH = 12;
/** Reconnect quickly at first, then every 2 s, for as long as it takes. */
const reconnectStrategy = (retries: number) => Math.min(100 * 2 ** retries, 2000);

/** Connect a Redis client that retries forever and reports each outage once. */
export async function connectRedis(url: string, name: string): Promise<RedisClient> {
  const client = createClient({ url, socket: { reconnectStrategy } });
  let down = false;
  client.on('error', (err: Error) => {
    if (!down) console.error(`Redis (${name}): ${err.message}; reconnecting`);
    down = true;
  });
  client.on('ready', () => {
    if (down) console.log(`Redis (${name}): connected again`);
    down = false;
  });
  await client.connect();
  return client;
}

/**
 * Redis pub/sub. Every message is prefixed with the sender's node id, and a node drops
 * what it sent itself. One connection publishes, one subscribes (a subscribed
 * connection can do nothing else); node-redis resubscribes after a reconnect before
 * it reports `ready`, which is when the resume handlers run.
 */
export class RedisBus implements Bus {
  readonly nodeId = randomBytes(9).toString('base64url');
  private readonly prefix = Buffer.from(this.nodeId, 'ascii');
  private readonly resume = new Set<() => void>();
  private readonly handlers = new Map<string, BusHandler>();
  private closed = false;

  private constructor(
    /** The publishing connection; also handed to the Socket.IO adapter, which duplicates it. */
    readonly client: RedisClient,
    private readonly sub: RedisClient,
  ) {
    // Connected already: every later `ready` follows a reconnect.
    sub.on('ready', () => {
      if (!this.closed) for (const fn of this.resume) fn();
    });
  }

  static async connect(url: string): Promise<RedisBus> {
    const client = await connectRedis(url, 'publish');
    const sub = await connectRedis(url, 'subscribe');
    return new RedisBus(client, sub);
  }

  publish(channel: string, message: Uint8Array): void {
    // While Redis is away node-redis queues the command and sends it on reconnect.
    this.client.publish(channel, Buffer.concat([this.prefix, message])).catch(() => {});
  }

  async subscribe(channel: string, handler: BusHandler): Promise<void> {
    this.handlers.set(channel, handler);
    await this.sub.subscribe(channel, this.dispatch, true);
  }

  async unsubscribe(channel: string): Promise<void> {
    this.handlers.delete(channel);
    // With its listener named, node-redis lets a subscribe that follows at once win over this unsubscribe.
    if (!this.closed) await this.sub.unsubscribe(channel, this.dispatch, true);
  }

  /** One listener for every channel, so unsubscribing and subscribing again never lose each other. */
  private readonly dispatch = (raw: Buffer, channel: Buffer | string) => {
    const handler = this.handlers.get(channel.toString());
    if (!handler || raw.length < NODE_ID_LENGTH) return;
    const from = raw.subarray(0, NODE_ID_LENGTH).toString('ascii');
    if (from !== this.nodeId) handler(raw.subarray(NODE_ID_LENGTH), from);
  };

  /** Both connections are up (for a readiness check). */
  get connected(): boolean {
    return this.client.isReady && this.sub.isReady;
  }

  onResume(handler: () => void): void {
    this.resume.add(handler);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.resume.clear();
    for (const c of [this.sub, this.client]) {
      try {
        await c.close();
      } catch {
        c.destroy();
      }
    }
  }
}
