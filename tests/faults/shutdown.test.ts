import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addNote, groupBoardId, readNotes, type Allocation } from '@kenes/shared';
import { startServer, type TestServer } from '../helpers/server.js';
import { board, newFacilitator, newTeacher } from '../helpers/people.js';
import { waitFor } from '../helpers/wait.js';
import { exited } from './output.js';

const servers: TestServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.kill();
});

describe('SIGTERM mid-session', () => {
  it('stops gracefully: not ready, sockets told to go away, commands in flight answered, exit 0, everything there after the restart', async () => {
    const first = await startServer({ env: { SHUTDOWN_DRAIN_MS: '800' } });
    servers.push(first);
    const { url, port, dataDir } = first;
    const fac = await newFacilitator(url, { locale: 'ru', title: 'Плановая остановка' });
    const code = fac.created.code;
    const teachers = await Promise.all(['Айгерим', 'Болат', 'Вера'].map((n) => newTeacher(url, code, n)));
    for (const t of teachers) expect((await fac.client.command({ type: 'participant.move', participantId: t.participantId, groupId: 'g1' })).ok).toBe(true);
    await waitFor(() => teachers.every((t) => t.client.me?.groupId === 'g1'), 'grouped');

    const [a, b] = teachers as [(typeof teachers)[0], (typeof teachers)[0]];
    const writer = board(url, fac.created.id, groupBoardId('g1'), a.token);
    const reader = board(url, fac.created.id, groupBoardId('g1'), b.token);
    await Promise.all([writer.synced, reader.synced]);
    for (let i = 0; i < 30; i++) addNote(writer.doc, { id: `n${i}`, text: `Заметка ${i}`, color: 'yellow', authorId: a.participantId, authorName: a.name, stageId: 's3', createdAt: i });
    await waitFor(() => readNotes(reader.doc).length === 30, 'notes relayed');

    expect((await fac.client.command({ type: 'group.solution', groupId: 'g1', text: 'Решение' })).ok).toBe(true);
    expect((await fac.client.command({ type: 'group.solution', groupId: 'g2', text: 'Другое' })).ok).toBe(true);
    expect((await fac.client.command({ type: 'vote.open' })).ok).toBe(true);
    await waitFor(() => teachers.every((t) => t.client.state?.vote.status === 'open'), 'vote open');
    const ballots: Allocation[] = [{ g1: 2 }, { g2: 1, g1: 1 }, { g2: 2 }];
    for (const [i, t] of teachers.entries()) expect((await t.client.vote(ballots[i]!)).ok).toBe(true);
    const duration = fac.client.state!.timer.durationMs;

    const closes: { code: number; reason: string }[] = [];
    writer.provider.on('connection-close', (e) => e && closes.push({ code: e.code, reason: e.reason }));
    const ioReasons: string[] = [];
    fac.client.socket.on('disconnect', (reason) => ioReasons.push(reason));

    // Commands in flight as the signal arrives: each must count exactly once, whichever server answers it.
    const burst = Array.from({ length: 30 }, () => fac.client.command({ type: 'timer.add', ms: 1000 }));
    const signalled = Date.now();
    first.process.kill('SIGTERM');

    // The signal takes a moment to arrive; within the drain period /readyz turns 503 while the process lives on.
    let ready = await fetch(`${url}/readyz`);
    while (ready.status === 200 && Date.now() - signalled < 500) ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ ok: false, failed: ['shutting_down'] });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);

    expect(await exited(first)).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(10_000);
    // Socket.IO clients saw the transport go (so they reconnect by themselves), boards a 1001.
    expect(ioReasons[0]).toBe('transport close');
    expect(closes[0]).toEqual({ code: 1001, reason: 'going_away' });
    // The store was closed cleanly: its write-ahead log folded into the database.
    const wal = join(dataDir, 'kenes.db-wal');
    expect(!existsSync(wal) || statSync(wal).size === 0).toBe(true);

    const second = await startServer({ dataDir, port });
    servers.push(second);
    const acks = await Promise.all(burst);
    expect(acks.every((x) => x.ok)).toBe(true);
    await waitFor(() => fac.client.status === 'online' && teachers.every((t) => t.client.status === 'online'), 'everyone back', 15_000);
    const state = await waitFor(() => (fac.client.state?.timer.durationMs === duration + 30_000 ? fac.client.state : null), 'timer with 30 additions');
    expect(state.vote.status).toBe('open');
    for (const [i, t] of teachers.entries()) await waitFor(() => JSON.stringify(t.client.ballot) === JSON.stringify(ballots[i]), `${t.name}'s ballot`);
    await waitFor(() => fac.client.ballotsCast === 3 || null, 'ballot count');

    const fresh = board(second.url, fac.created.id, groupBoardId('g1'), fac.created.facilitatorToken);
    await fresh.synced;
    expect(readNotes(fresh.doc).map((n) => n.text).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `Заметка ${i}`).sort());
    await waitFor(() => writer.provider.wsconnected, 'the writer reconnects', 15_000);

    expect((await fac.client.command({ type: 'vote.close' })).ok).toBe(true);
    expect((await fac.client.command({ type: 'vote.reveal' })).ok).toBe(true);
    const results = await waitFor(() => fac.client.state?.vote.results, 'results');
    expect(results.voters).toBe(3);
    expect(results.ranking.find((r) => r.optionId === 'g1')!.votes).toBe(3);
    expect(results.ranking.find((r) => r.optionId === 'g2')!.votes).toBe(3);

    for (const c of [writer, reader, fresh]) c.close();
    for (const t of teachers) t.client.close();
    fac.client.close();
  });
});
