/**
 * The yardstick: a bare Socket.IO 4 server with no application logic. Clients join one room; on the
 * driver's `go` it broadcasts the payload it was handed, verbatim, to the room. Same library, defaults
 * and transport as Kenes, so the difference in fan-out latency is what Kenes adds.
 * With REDIS_URL, rooms are shared between processes through the same Redis Streams adapter Kenes'
 * cluster mode uses, so two of these are the yardstick for two Kenes nodes.
 * Run: node --import tsx tests/bench/plain-server.ts (PORT, HOST, REDIS_URL); prints `listening <port>`.
 */
import { createServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { createClient } from 'redis';
import { Server } from 'socket.io';

const ROOM = 'all';
const http = createServer();
const io = new Server(http, { serveClient: false });
if (process.env.REDIS_URL) {
  const redis = createClient({ url: process.env.REDIS_URL });
  await redis.connect();
  io.adapter(createAdapter(redis, { streamName: 'plain:socket.io', channelPrefix: 'plain:socket.io' }));
}

io.on('connection', (socket) => {
  // The driver stays out of the room, as only listeners' arrival times are measured.
  if ((socket.handshake.auth as { role?: string }).role !== 'driver') void socket.join(ROOM);
  socket.on('go', (payload: unknown, ack?: () => void) => {
    io.to(ROOM).emit('bcast', payload);
    ack?.();
  });
});

http.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  const address = http.address();
  console.log(`listening ${typeof address === 'object' && address ? address.port : ''}`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(0));
