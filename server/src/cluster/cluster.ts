import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Server } from 'socket.io';
import { EVENTS } from '@kenes/shared';
import { channels } from '../realtime/broadcaster.js';
import type { SessionHub } from '../realtime/hub.js';
import type { YjsEndpoint } from '../yjs/endpoint.js';
import { DocFanout } from './docs.js';
import { RedisBus } from './redis-bus.js';
import { RoomFanout } from './rooms.js';

/** The parts of a node that other nodes must hear from. */
export interface NodeParts {
  hub: SessionHub;
  yjs: YjsEndpoint;
  io: Server;
}

export interface Cluster {
  /** Carries every Socket.IO broadcast to the sockets of every node. */
  adapter: ReturnType<typeof createAdapter>;
  /** Hook a node's hub, boards and ballots to the bus; before any room is loaded. */
  attach(parts: NodeParts): Promise<void>;
  /** Whether this node reaches Redis now (for a readiness check). */
  ready(): boolean;
  close(): Promise<void>;
}

/**
 * Join the nodes that share `redisUrl` (and the same store). Socket.IO broadcasts go
 * through the Redis Streams adapter; board updates, room notices and presence through
 * the bus (Redis pub/sub).
 */
export async function joinCluster(redisUrl: string): Promise<Cluster> {
  const bus = await RedisBus.connect(redisUrl);
  let rooms: RoomFanout | null = null;
  return {
    // Under Kenes's own key prefix, beside the bus channels.
    adapter: createAdapter(bus.client, { streamName: 'kenes:socket.io', channelPrefix: 'kenes:socket.io' }),
    async attach({ hub, yjs, io }) {
      yjs.peers = new DocFanout(bus);
      rooms = new RoomFanout(bus, hub, (sessionId, patch) =>
        io.local.to(channels.staff(sessionId)).emit(EVENTS.roster, patch),
      );
      hub.events = rooms;
      hub.shared = true;
      hub.ballots.shared = true;
      hub.ballots.answered = (room) => rooms?.answered(room);
      await rooms.start();
    },
    ready: () => bus.connected,
    async close() {
      rooms?.stop();
      await bus.close();
    },
  };
}
