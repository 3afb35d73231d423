import { afterAll, describe, expect, it } from 'vitest';
import { addNote, groupBoardId, personalBoardId, readNotes } from '@kenes/shared';
import { fetchMinutes } from '@kenes/shared/client';
import { startServer, type TestServer } from '../helpers/server.js';
import { board, newFacilitator, newTeacher } from '../helpers/people.js';
import { waitFor } from '../helpers/wait.js';

const servers: TestServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.kill();
});

describe('a server killed with SIGKILL mid-session', () => {
  it('loses nothing acknowledged, and open clients carry on by themselves', async () => {
    const first = await startServer();
    servers.push(first);
    const { url, port, dataDir } = first;
    const fac = await newFacilitator(url, { locale: 'kk', title: 'Білім беру серіктестігі' });
    const code = fac.created.code;
    const teachers = await Promise.all(['Әлия', 'Нұрлан', 'Құралай', 'Өмір'].map((n) => newTeacher(url, code, n)));
    await fac.client.command({ type: 'groups.split', count: 2 });
    await waitFor(() => teachers.every((t) => t.client.me?.groupId), 'groups');
    await fac.client.command({ type: 'stage.go', index: 3, from: 0 });

    // Notes on a group board and a personal board, each seen by another client (so the server had them).
    const t0 = teachers[0]!;
    const gid = t0.client.me!.groupId!;
    const mate = teachers.find((t) => t !== t0 && t.client.me!.groupId === gid)!;
    const writer = board(url, t0.sessionId, groupBoardId(gid), t0.token);
    const reader = board(url, mate.sessionId, groupBoardId(gid), mate.token);
    await Promise.all([writer.synced, reader.synced]);
    for (let i = 0; i < 20; i++) addNote(writer.doc, { id: `g${i}`, text: `Қадам ${i}`, color: 'green', authorId: t0.participantId, authorName: t0.name, stageId: 's4', createdAt: i });
    await waitFor(() => readNotes(reader.doc).length === 20, 'mate sees 20 notes');
    const mine = board(url, t0.sessionId, personalBoardId(t0.participantId), t0.token);
    await mine.synced;
    addNote(mine.doc, { id: 'p1', text: 'Жеке ой', color: 'yellow', authorId: t0.participantId, authorName: t0.name, stageId: 's4', createdAt: 1 });

    await fac.client.command({ type: 'group.solution', groupId: 'g1', text: 'Бірінші шешім' });
    await fac.client.command({ type: 'group.solution', groupId: 'g2', text: 'Екінші шешім' });
    await fac.client.command({ type: 'stage.go', index: 5, from: 3 });
    await fac.client.command({ type: 'vote.open' });
    await fac.client.command({ type: 'timer.start', durationMs: 600_000 });
    const endsAt = (fac.client.state!.timer as { endsAt: number }).endsAt;
    await waitFor(() => teachers.every((t) => t.client.state?.vote.status === 'open'), 'vote open');
    const acks = await Promise.all(teachers.map((t, i) => t.client.vote(i % 2 ? { g2: 2, g1: 1 } : { g1: 2 })));
    expect(acks.every((a) => a.ok)).toBe(true);
    const versionBefore = fac.client.state!.version;

    await first.kill('SIGKILL');
    await waitFor(() => fac.client.status === 'offline', 'facilitator notices the drop');
    // A command sent while the server is down is retried until it is acknowledged.
    const pendingAdd = fac.client.command({ type: 'timer.add', ms: 60_000 });

    const second = await startServer({ dataDir, port });
    servers.push(second);
    await waitFor(() => fac.client.status === 'online' && teachers.every((t) => t.client.status === 'online'), 'everyone reconnects', 15_000);
    expect((await pendingAdd).ok).toBe(true);

    const state = await waitFor(() => (fac.client.state!.version > versionBefore ? fac.client.state : null), 'fresh state');
    expect(state.stageIndex).toBe(5);
    expect(state.vote.status).toBe('open');
    expect(state.timer).toMatchObject({ status: 'running', endsAt: endsAt + 60_000 });
    for (const t of teachers) expect(t.client.state!.stageIndex).toBe(5);
    // Each teacher gets their own ballot back, and the facilitator the count.
    await waitFor(() => teachers.every((t) => t.client.ballot !== null), 'ballots restored');
    expect(teachers[0]!.client.ballot).toEqual({ g1: 2 });
    expect(teachers[1]!.client.ballot).toEqual({ g2: 2, g1: 1 });

    // The boards reconnect and hold every note.
    await waitFor(() => writer.provider.wsconnected && reader.provider.wsconnected, 'boards reconnect', 15_000);
    const fresh = board(second.url, mate.sessionId, groupBoardId(gid), mate.token);
    await fresh.synced;
    expect(readNotes(fresh.doc)).toHaveLength(20);
    // Writing carries on after the restart.
    addNote(writer.doc, { id: 'after', text: 'Қайта қосылғаннан кейін', color: 'blue', authorId: t0.participantId, authorName: t0.name, stageId: 's4', createdAt: 99 });
    await waitFor(() => readNotes(fresh.doc).some((n) => n.id === 'after'), 'a note written after the restart arrives');

    await fac.client.command({ type: 'vote.close' });
    await fac.client.command({ type: 'vote.reveal' });
    const results = await waitFor(() => fac.client.state?.vote.results, 'results');
    expect(results.voters).toBe(4);
    expect(results.ranking.find((r) => r.optionId === 'g1')!.votes).toBe(6);
    expect(results.ranking.find((r) => r.optionId === 'g2')!.votes).toBe(4);

    const md = await fetchMinutes(second.url, code, fac.created.facilitatorToken);
    expect(md.split('\n')[0]).toBe('# Хаттама');
    expect(md).toContain('Қадам 19');
    expect(md).toContain('Жеке ой');

    for (const b of [writer, reader, mine, fresh]) b.close();
    for (const t of teachers) t.client.close();
    fac.client.close();
  });
});
