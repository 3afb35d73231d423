import { WebSocketServer, type ServerOptions, type WebSocket } from 'ws';

/** WebSocket close code 1001: the server is going away; clients reconnect (here once it is back, or to another node). */
export const GOING_AWAY = 1001;

/**
 * Keeps the WebSocket connections engine.io makes, so a shutdown can close each one with
 * 1001 instead of dropping it. engine.io builds its ws server from `wsEngine` with
 * tracking off; this engine turns it on.
 */
export class SocketTracker {
  private readonly servers = new Set<WebSocketServer>();
  readonly engine: new (options?: ServerOptions, callback?: () => void) => WebSocketServer;

  constructor() {
    const servers = this.servers;
    this.engine = class TrackedWebSocketServer extends WebSocketServer {
      constructor(options?: ServerOptions, callback?: () => void) {
        super({ ...options, clientTracking: true }, callback);
        servers.add(this);
      }
    };
  }

  /** Close every open socket with 1001; one that does not answer the close is dropped after `graceMs`. */
  goingAway(graceMs: number): void {
    for (const server of this.servers) for (const ws of server.clients) closeGoingAway(ws, graceMs);
  }
}

export function closeGoingAway(ws: WebSocket, graceMs: number): void {
  ws.close(GOING_AWAY, 'going_away');
  setTimeout(() => ws.terminate(), graceMs).unref();
}
