import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addNote, groupBoardId, readNotes } from '@kenes/shared';
import { createApp } from '../../server/src/app.js';
import { configFromEnv } from '../../server/src/config.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { board, newFacilitator, newTeacher } from '../helpers/people.js';
import { waitFor } from '../helpers/wait.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.kill('SIGTERM');
});

/** Prometheus text → `name{labels}` → value. */
async function scrape(): Promise<Map<string, number>> {
  const res = await fetch(`${server.url}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  const samples = new Map<string, number>();
  for (const line of (await res.text()).split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    samples.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return samples;
}

describe('/readyz', () => {
  it('answers 200 while the store answers', async () => {
    const res = await fetch(`${server.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, failed: [] });
  });

  it('answers 503 naming the store when the store no longer answers, while /healthz stays 200', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kenes-ready-'));
    const app = await createApp(configFromEnv({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, LOG: 'silent' }));
    const base = `http://127.0.0.1:${app.port()}`;
    try {
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      app.store.close();
      const res = await fetch(`${base}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ ok: false, failed: ['store'] });
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('/metrics', () => {
  it('counts clients, boards, rooms, events, outcomes and fan-out, and names nobody', async () => {
    const fac = await newFacilitator(server.url, { locale: 'en', title: 'Metered' });
    const code = fac.created.code;
    const zarina = await newTeacher(server.url, code, 'Zarina Uniquename');
    const yerlan = await newTeacher(server.url, code, 'Yerlan Othername');
    expect((await fac.client.command({ type: 'participant.move', participantId: zarina.participantId, groupId: 'g1' })).ok).toBe(true);
    await waitFor(() => zarina.client.me?.groupId === 'g1', 'grouped');
    const notes = board(server.url, fac.created.id, groupBoardId('g1'), zarina.token);
    await notes.synced;
    addNote(notes.doc, { id: 'm1', text: 'Metered note', color: 'blue', authorId: zarina.participantId, authorName: zarina.name, stageId: 's1', createdAt: 1 });

    const before = await scrape();
    const counter = (m: Map<string, number>, key: string) => m.get(key) ?? 0;
    expect(before.get('kenes_socketio_clients')).toBe(3);
    expect(before.get('kenes_yjs_connections')).toBe(1);
    expect(before.get('kenes_rooms_loaded')).toBeGreaterThanOrEqual(1);
    expect(before.get('kenes_boards_loaded')).toBeGreaterThanOrEqual(1);

    expect((await fac.client.command({ type: 'stage.go', index: 1, from: 0 })).ok).toBe(true);
    expect(await fac.client.command({ type: 'stage.go', index: 2, from: 0 })).toMatchObject({ ok: false, error: { code: 'stale' } });
    expect(await yerlan.client.command({ type: 'timer.start' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await new Promise<void>((resolve) => yerlan.client.socket.emit('no.such.event', {}, () => resolve()));
    await fac.client.syncClock(2);

    const after = await scrape();
    const delta = (key: string) => counter(after, key) - counter(before, key);
    expect(delta('kenes_commands_total{type="stage.go",outcome="ok"}')).toBe(1);
    expect(delta('kenes_commands_total{type="stage.go",outcome="stale"}')).toBe(1);
    expect(delta('kenes_commands_total{type="timer.start",outcome="forbidden"}')).toBe(1);
    expect(delta('kenes_socket_events_received_total{event="command"}')).toBe(3);
    expect(delta('kenes_socket_events_received_total{event="other"}')).toBe(1);
    // Clients also sync their clocks by themselves on connecting, so at least these two.
    expect(delta('kenes_socket_events_received_total{event="time.ping"}')).toBeGreaterThanOrEqual(2);
    expect(delta('kenes_socket_event_outcomes_total{event="other",outcome="unknown_event"}')).toBe(1);
    // Only the accepted command was broadcast, so only it was timed.
    expect(delta('kenes_fanout_seconds_count')).toBe(1);
    expect(counter(after, 'kenes_fanout_seconds_bucket{le="+Inf"}')).toBe(counter(after, 'kenes_fanout_seconds_count'));
    expect(after.get('process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(after.get('process_resident_memory_bytes')).toBeGreaterThan(0);

    const text = await (await fetch(`${server.url}/metrics`)).text();
    for (const secret of [fac.created.facilitatorToken, zarina.token, yerlan.token, zarina.name, yerlan.name, zarina.participantId, fac.created.id, code, 'Metered note', 'no.such.event'])
      expect(text).not.toContain(secret);

    expect(readNotes(notes.doc)).toHaveLength(1);
    notes.close();
    for (const c of [fac.client, zarina.client, yerlan.client]) c.close();
    const gone = await (async () => {
      for (let i = 0; i < 100; i++) {
        const m = await scrape();
        if (m.get('kenes_socketio_clients') === 0 && m.get('kenes_yjs_connections') === 0) return m;
        await new Promise((r) => setTimeout(r, 50));
      }
      return null;
    })();
    expect(gone, 'clients and boards counted out once they leave').not.toBeNull();
    expect(counter(gone!, 'kenes_yjs_closes_total{code="1005",reason=""}') + counter(gone!, 'kenes_yjs_closes_total{code="1000",reason=""}')).toBeGreaterThanOrEqual(1);
  });
});
