/** Receives one message another node published; `from` is that node's id. */
export type BusHandler = (message: Uint8Array, from: string) => void;

/**
 * Cross-node fan-out for what the Socket.IO adapter does not carry: Yjs updates and
 * awareness per board, and notices that a room's stored state, roster, answers or
 * presence changed. A node never receives its own messages. Delivery is at most once:
 * after a reconnect to the broker every `onResume` handler runs, and each re-reads from
 * the store whatever it may have missed, so nothing rests on the bus alone.
 */
export interface Bus {
  /** This node's id, random per process. */
  readonly nodeId: string;
  publish(channel: string, message: Uint8Array): void;
  /** Resolves once the channel's messages are being delivered to `handler`. */
  subscribe(channel: string, handler: BusHandler): Promise<void>;
  unsubscribe(channel: string): Promise<void>;
  /** Runs after the connection to the broker came back (messages may have been missed). */
  onResume(handler: () => void): void;
  close(): Promise<void>;
}

/** Channel names, one namespace for everything Kenes publishes. */
export const busChannels = {
  /** Yjs updates and awareness of one board (`<sessionId>/<boardId>`). */
  doc: (name: string) => `kenes:doc:${name}`,
  /** Room notices of every session: state, roster, answers, presence. */
  rooms: 'kenes:rooms',
};
