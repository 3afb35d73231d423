import fc from 'fast-check';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import WebSocket from 'ws';
import { addNote } from '@kenes/shared';

/** y-websocket message types and sync kinds the server speaks. */
export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_QUERY_AWARENESS = 3;

export function frame(type: number, ...parts: Array<(enc: encoding.Encoder) => void>): Uint8Array {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, type);
  for (const write of parts) write(enc);
  return encoding.toUint8Array(enc);
}

/** A sync "update" message carrying `update`. */
export const updateMessage = (update: Uint8Array) =>
  frame(MESSAGE_SYNC, (e) => encoding.writeVarUint(e, syncProtocol.messageYjsUpdate), (e) => encoding.writeVarUint8Array(e, update));

/** Sync step 1 from an empty document: the server answers with step 2, which shows the socket is alive. */
export const probe = () => frame(MESSAGE_SYNC, (e) => syncProtocol.writeSyncStep1(e, new Y.Doc()));

/** A real update that would add a note: any cut of it must be refused, never half-applied. */
export function noteUpdate(): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = 31337;
  addNote(doc, { id: 'intruder', text: 'Should never land', color: 'pink', authorId: 'x', authorName: 'Intruder', stageId: 's1', createdAt: 1 });
  return Y.encodeStateAsUpdate(doc);
}

/** A real update outside the notes (a root map of its own), as a base to damage. */
export function scratchUpdate(): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = 424242;
  const m = doc.getMap('scratch');
  m.set('k', 'value');
  m.set('n', 42);
  doc.getText('scratch-text').insert(0, 'abc');
  return Y.encodeStateAsUpdate(doc);
}

/** An update inserting a string longer than a note may hold. */
export function longTextUpdate(length: number): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = 515151;
  doc.getMap('notes').set('long', 'w'.repeat(length));
  return Y.encodeStateAsUpdate(doc);
}

export type Outcome = { closed: { code: number; reason: string } } | { alive: true };

/**
 * Open a board socket, send `message` and then a probe: the server either closes the
 * socket (code and reason) or answers the probe (alive).
 */
export function sendOnce(url: string, message: Uint8Array): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    let done = false;
    const finish = (outcome: Outcome) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(outcome);
      if (ws.readyState === ws.OPEN) ws.close();
    };
    const timer = setTimeout(() => reject(new Error('the board socket neither answered nor closed')), 10_000);
    ws.on('error', () => undefined);
    ws.on('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    ws.on('open', () => {
      ws.send(message);
      ws.send(probe());
    });
    ws.on('message', (data: ArrayBuffer) => {
      const bytes = new Uint8Array(data);
      // [0 sync][1 step 2]: an answer to a step 1, so the socket lives.
      if (bytes[0] === MESSAGE_SYNC && bytes[1] === syncProtocol.messageYjsSyncStep2) finish({ alive: true });
    });
    ws.on('close', (code, reason) => finish({ closed: { code, reason: reason.toString() } }));
  });
}

/** Bytes with a few of them replaced, the framing kept: valid-looking, with junk inside. */
export const damaged = (base: Uint8Array) =>
  fc
    .array(fc.tuple(fc.nat({ max: base.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 })
    .map((edits) => {
      const copy = base.slice();
      for (const [at, value] of edits) copy[at] = value;
      return copy;
    });
