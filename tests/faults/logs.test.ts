import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { addNote, groupBoardId, readNotes } from '@kenes/shared';
import { fetchMinutes, SessionClient } from '@kenes/shared/client';
import { startServer, type TestServer } from '../helpers/server.js';
import { board, newFacilitator, newTeacher } from '../helpers/people.js';
import { waitFor } from '../helpers/wait.js';
import { captureOutput, exited } from './output.js';
import { updateMessage } from '../helpers/yjs-messages.js';

const servers: TestServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.kill();
});

describe('logs with LOG=1', () => {
  it('are JSON lines that tell what happened, and never carry a token, a name or a note', async () => {
    const server = await startServer({ env: { LOG: '1' } });
    servers.push(server);
    const output = captureOutput(server);
    const { url } = server;

    const fac = await newFacilitator(url, { locale: 'en', title: 'Logged session', facilitator: 'Dana Facilitatorova' });
    const code = fac.created.code;
    const aigerim = await newTeacher(url, code, 'Aigerim Secretname');
    const bolat = await newTeacher(url, code, 'Bolat Hiddenname');
    expect((await fac.client.command({ type: 'participant.move', participantId: aigerim.participantId, groupId: 'g1' })).ok).toBe(true);
    expect((await fac.client.command({ type: 'participant.move', participantId: bolat.participantId, groupId: 'g1' })).ok).toBe(true);
    await waitFor(() => aigerim.client.me?.groupId === 'g1' && bolat.client.me?.groupId === 'g1', 'grouped');

    // A refused command, a co-facilitator link, notes on a board, a refused board update.
    expect(await aigerim.client.command({ type: 'timer.start' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const invite = await fac.client.invite();
    if (!invite.ok) throw new Error('invite refused');
    const writer = board(url, fac.created.id, groupBoardId('g1'), aigerim.token);
    const reader = board(url, fac.created.id, groupBoardId('g1'), bolat.token);
    await Promise.all([writer.synced, reader.synced]);
    const noteText = 'Confidential note about a pupil';
    addNote(writer.doc, { id: 'n1', text: noteText, color: 'yellow', authorId: aigerim.participantId, authorName: aigerim.name, stageId: 's1', createdAt: 1 });
    await waitFor(() => readNotes(reader.doc).length === 1, 'note relayed');
    const long = new Y.Doc();
    long.getMap('notes').set('x', 'q'.repeat(5000));
    const refusedClose = await new Promise<{ code: number; reason: string }>((resolve) => {
      const ws = new WebSocket(`${url.replace('http', 'ws')}/yjs/${fac.created.id}/${groupBoardId('g1')}?token=${bolat.token}`);
      ws.on('open', () => ws.send(updateMessage(Y.encodeStateAsUpdate(long))));
      ws.on('close', (c, r) => resolve({ code: c, reason: r.toString() }));
    });
    expect(refusedClose).toEqual({ code: 1008, reason: 'too_large' });

    // Tokens in a header, in a query string (where they never belong) and in a forged handshake.
    const md = await fetchMinutes(url, code, fac.created.facilitatorToken);
    expect(md).toContain('Logged session');
    expect((await fetch(`${url}/api/sessions/${code}?token=${bolat.token}`)).status).toBe(200);
    const forgedToken = 'F'.repeat(12) + 'orgedTokenValue1234';
    const forged = new SessionClient({ url, code, token: forgedToken });
    await waitFor(() => forged.status === 'refused', 'forged token refused');
    forged.close();

    writer.close();
    reader.close();
    for (const c of [fac.client, aigerim.client, bolat.client]) c.close();
    await waitFor(() => output().includes('"socket disconnected"'), 'disconnects logged');
    await server.kill('SIGTERM');
    expect(await exited(server)).toBe(0);

    const text = output();
    const secrets = [fac.created.facilitatorToken, aigerim.token, bolat.token, invite.token, forgedToken, aigerim.name, bolat.name, 'Dana Facilitatorova', noteText];
    for (const secret of secrets) expect(text, 'a secret reached the logs').not.toContain(secret);

    const lines = text.split('\n').filter((l) => l.trim() !== '');
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const said = (msg: string) => entries.filter((e) => e.msg === msg);
    expect(said('socket connected').length).toBeGreaterThanOrEqual(3);
    expect(said('socket disconnected').length).toBeGreaterThanOrEqual(3);
    expect(said('socket refused')).toContainEqual(expect.objectContaining({ code: 'unauthorized' }));
    expect(said('request refused')).toContainEqual(expect.objectContaining({ on: 'command', type: 'timer.start', code: 'forbidden', role: 'participant' }));
    expect(said('board connection closed')).toContainEqual(expect.objectContaining({ board: 'g', code: 1008, reason: 'too_large' }));
    const requests = said('incoming request').map((e) => (e.req as { url: string }).url);
    expect(requests).toContain(`/api/sessions/${code}?token=redacted`);
    expect(said('stopped')).toHaveLength(1);
    // No client address is kept.
    expect(text).not.toContain('remoteAddress');
  });
});
