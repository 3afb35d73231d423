/** How often each node announces every teacher it has online, and how long an announcement holds. */
export const ANNOUNCE_EVERY_MS = 2000;
export const NODE_EXPIRES_MS = 6000;

interface NodePresence {
  /** When anything was last heard from the node. */
  heard: number;
  /** Session id → participants with a tab open on that node. */
  rooms: Map<string, Set<string>>;
}

/** A teacher whose presence elsewhere may have changed. */
export interface Touched {
  sessionId: string;
  participantId: string;
}

/**
 * Who is online through other nodes. Each node publishes a change as it happens and
 * announces its whole list every two seconds; a node not heard from for six seconds
 * (killed, or cut off from Redis) no longer counts, so its teachers stop counting as
 * present until they reconnect somewhere.
 */
export class Presence {
  private readonly nodes = new Map<string, NodePresence>();

  constructor(private readonly now: () => number = Date.now) {}

  online(sessionId: string, participantId: string): boolean {
    for (const node of this.nodes.values()) if (node.rooms.get(sessionId)?.has(participantId)) return true;
    return false;
  }

  /** Any message from a node shows it is alive. */
  heard(nodeId: string): NodePresence {
    let node = this.nodes.get(nodeId);
    if (!node) {
      node = { heard: 0, rooms: new Map() };
      this.nodes.set(nodeId, node);
    }
    node.heard = this.now();
    return node;
  }

  change(nodeId: string, sessionId: string, participantId: string, online: boolean): void {
    const rooms = this.heard(nodeId).rooms;
    let ids = rooms.get(sessionId);
    if (online) {
      if (!ids) rooms.set(sessionId, (ids = new Set()));
      ids.add(participantId);
    } else {
      ids?.delete(participantId);
      if (ids?.size === 0) rooms.delete(sessionId);
    }
  }

  /** A node's full list replaces what was known of it; returns the teachers it added or dropped. */
  announce(nodeId: string, rooms: Record<string, string[]>): Touched[] {
    const node = this.heard(nodeId);
    const next = new Map(Object.entries(rooms).map(([s, ids]) => [s, new Set(ids)]));
    const touched = difference(node.rooms, next);
    node.rooms = next;
    return touched;
  }

  /** Forget nodes not heard from in time; returns the teachers they had. */
  expire(): Touched[] {
    const touched: Touched[] = [];
    const limit = this.now() - NODE_EXPIRES_MS;
    for (const [id, node] of this.nodes) {
      if (node.heard >= limit) continue;
      touched.push(...difference(node.rooms, new Map()));
      this.nodes.delete(id);
    }
    return touched;
  }
}

function difference(before: Map<string, Set<string>>, after: Map<string, Set<string>>): Touched[] {
  const touched: Touched[] = [];
  const diff = (a: Map<string, Set<string>>, b: Map<string, Set<string>>) => {
    for (const [sessionId, ids] of a) {
      const other = b.get(sessionId);
      for (const participantId of ids) if (!other?.has(participantId)) touched.push({ sessionId, participantId });
    }
  };
  diff(before, after);
  diff(after, before);
  return touched;
}
