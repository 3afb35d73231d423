import { connect, createServer, type Socket } from 'node:net';

export interface Balancer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * A TCP load balancer on loopback, as in front of a cluster: each new connection goes
 * to the first backend that accepts it, so once a node dies its clients' reconnects
 * land on the next one. A backend's connections close when it dies.
 */
export function startBalancer(backends: number[]): Promise<Balancer> {
  const open = new Set<Socket>();
  const server = createServer((client) => {
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => client.destroy());
    client.pause();
    const attempt = (i: number) => {
      if (i >= backends.length) return client.destroy();
      const upstream = connect(backends[i]!, '127.0.0.1');
      let connected = false;
      upstream.once('connect', () => {
        connected = true;
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
      upstream.on('error', () => (connected ? client.destroy() : attempt(i + 1)));
      upstream.on('close', () => connected && client.destroy());
      client.on('close', () => upstream.destroy());
    };
    attempt(0);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
        close: () =>
          new Promise<void>((done) => {
            for (const s of open) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
