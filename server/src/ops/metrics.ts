import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Broadcaster } from '../realtime/broadcaster.js';

/** Live counts read at scrape time. */
export interface MetricSources {
  socketClients: () => number;
  yjsConnections: () => number;
  rooms: () => number;
  boards: () => number;
}

/** Label for anything outside a known set, so a client can never mint new series. */
export const OTHER = 'other';

/** The reasons a board socket is closed with, as they may appear in a label. */
const CLOSE_REASONS = new Set(['malformed', 'too_large', 'board_full', 'forbidden', 'going_away']);

interface Arrival {
  at: number;
  timed: boolean;
}

/**
 * Prometheus metrics for `/metrics`. Labels carry event names, command types and error
 * codes only — never ids, names, tokens or text.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly arrival = new AsyncLocalStorage<Arrival>();
  private readonly received: Counter<'event'>;
  private readonly outcomes: Counter<'event' | 'outcome'>;
  private readonly commands: Counter<'type' | 'outcome'>;
  private readonly fanout: Histogram;
  private readonly yjsCloses: Counter<'code' | 'reason'>;

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({ name, help, registers, collect() { this.set(read()); } });
    gauge('kenes_socketio_clients', 'Connected Socket.IO clients.', sources.socketClients);
    gauge('kenes_yjs_connections', 'Open board (y-websocket) connections.', sources.yjsConnections);
    gauge('kenes_rooms_loaded', 'Sessions held in memory.', sources.rooms);
    gauge('kenes_boards_loaded', 'Board documents held in memory.', sources.boards);
    this.received = new Counter({
      name: 'kenes_socket_events_received_total',
      help: 'Socket.IO events received, by event name (unknown names counted as "other").',
      labelNames: ['event'],
      registers,
    });
    this.outcomes = new Counter({
      name: 'kenes_socket_event_outcomes_total',
      help: 'Answers to Socket.IO events: "ok" or the error code.',
      labelNames: ['event', 'outcome'],
      registers,
    });
    this.commands = new Counter({
      name: 'kenes_commands_total',
      help: 'Commands by type and outcome ("ok" or the error code; type "invalid" when the payload failed its schema).',
      labelNames: ['type', 'outcome'],
      registers,
    });
    this.fanout = new Histogram({
      name: 'kenes_fanout_seconds',
      help: 'From a command arriving to its state patch being handed to Socket.IO.',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    });
    this.yjsCloses = new Counter({
      name: 'kenes_yjs_closes_total',
      help: 'Board connections closed, by close code and reason (refusals, going away, or "other").',
      labelNames: ['code', 'reason'],
      registers,
    });
  }

  eventReceived(event: string): void {
    this.received.inc({ event });
  }

  answered(event: string, outcome: string): void {
    this.outcomes.inc({ event, outcome });
  }

  command(type: string, outcome: string): void {
    this.commands.inc({ type, outcome });
  }

  yjsClosed(code: number, reason: string): void {
    this.yjsCloses.inc({ code: String(code), reason: CLOSE_REASONS.has(reason) ? reason : reason ? OTHER : '' });
  }

  /** Run an event's handler with its arrival time in context, so the broadcast it causes can be timed. */
  arrived<T>(run: () => T): T {
    return this.arrival.run({ at: performance.now(), timed: false }, run);
  }

  /** The broadcaster with the fan-out timer on: the first session-wide message of a command is timed. */
  timing(out: Broadcaster): Broadcaster {
    return {
      toStaff: (sessionId, event, payload) => out.toStaff(sessionId, event, payload),
      toFacilitators: (sessionId, event, payload) => out.toFacilitators(sessionId, event, payload),
      toParticipant: (sessionId, pid, event, payload) => out.toParticipant(sessionId, pid, event, payload),
      toSession: (sessionId, event, payload) => {
        out.toSession(sessionId, event, payload);
        const arrival = this.arrival.getStore();
        if (!arrival || arrival.timed) return;
        arrival.timed = true;
        this.fanout.observe((performance.now() - arrival.at) / 1000);
      },
    };
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
