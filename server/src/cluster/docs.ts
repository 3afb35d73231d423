import * as awarenessProtocol from 'y-protocols/awareness';
import { REMOTE_ORIGIN, type SharedDoc } from '../yjs/doc.js';
import type { DocPeers } from '../yjs/endpoint.js';
import { busChannels, type Bus } from './bus.js';

/** First byte of a board message on the bus. */
const UPDATE = 0;
const AWARENESS = 1;

const frame = (kind: number, payload: Uint8Array) => {
  const out = new Uint8Array(payload.byteLength + 1);
  out[0] = kind;
  out.set(payload, 1);
  return out;
};

/**
 * Boards across nodes: one bus channel per loaded board. An update is published after
 * the node that received it logged it in the store; the other nodes apply it to their
 * copy as `REMOTE_ORIGIN`, in the board's turn (never in the middle of a check, write
 * or fold), and relay it to their own clients without logging it again. Whatever the
 * bus may have dropped is read back from the store: once a subscription is in place
 * (updates logged between loading and subscribing) and after every reconnect to the
 * broker. Yjs merges idempotently, so reading twice does no harm.
 */
export class DocFanout implements DocPeers {
  private readonly loaded = new Map<string, SharedDoc>();

  constructor(private readonly bus: Bus) {
    bus.onResume(() => {
      for (const doc of this.loaded.values()) this.catchUp(doc);
    });
  }

  opened(doc: SharedDoc): void {
    this.loaded.set(doc.name, doc);
    this.bus.subscribe(busChannels.doc(doc.name), (message) => this.receive(doc, message)).then(
      () => this.catchUp(doc),
      () => {},
    );
  }

  unloaded(doc: SharedDoc): void {
    if (this.loaded.get(doc.name) !== doc) return;
    this.loaded.delete(doc.name);
    this.bus.unsubscribe(busChannels.doc(doc.name)).catch(() => {});
  }

  updated(doc: SharedDoc, update: Uint8Array, origin: unknown): void {
    if (origin !== REMOTE_ORIGIN) this.bus.publish(busChannels.doc(doc.name), frame(UPDATE, update));
  }

  awareness(doc: SharedDoc, update: Uint8Array, origin: unknown): void {
    if (origin !== REMOTE_ORIGIN) this.bus.publish(busChannels.doc(doc.name), frame(AWARENESS, update));
  }

  private receive(doc: SharedDoc, message: Uint8Array): void {
    if (this.loaded.get(doc.name) !== doc || message.byteLength < 2) return;
    const payload = message.slice(1);
    const kind = message[0];
    // The sender checked it before logging it; a message that does not apply is dropped,
    // and the store (read back on the next catch-up) holds the truth.
    const failed = (err: unknown) => console.error(`board ${doc.name}: a message from another node did not apply`, err);
    if (kind === AWARENESS) {
      try {
        awarenessProtocol.applyAwarenessUpdate(doc.awareness, payload, REMOTE_ORIGIN);
      } catch (err) {
        failed(err);
      }
    } else if (kind === UPDATE) {
      doc.run(() => (this.loaded.get(doc.name) === doc ? doc.remote(payload) : undefined)).catch(failed);
    }
  }

  private catchUp(doc: SharedDoc): void {
    doc.run(() => (this.loaded.get(doc.name) === doc ? doc.catchUp() : undefined)).catch((err: unknown) => {
      console.error(`board ${doc.name}: catching up from the store failed`, err);
    });
  }
}
