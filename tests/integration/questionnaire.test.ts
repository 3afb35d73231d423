import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUESTIONNAIRE, type BallotDef, type CountResults, type TextResults } from '@kenes/shared';
import type { SessionClient } from '@kenes/shared/client';
import { startServer, type TestServer } from '../helpers/server.js';
import { newFacilitator, newTeacher, type Facilitator, type Teacher } from '../helpers/people.js';
import { waitFor } from '../helpers/wait.js';

let server: TestServer;
let fac: Facilitator;
let teachers: Teacher[] = [];

beforeAll(async () => {
  server = await startServer();
  fac = await newFacilitator(server.url, { title: 'Анкета для педагогов', template: 'questionnaire', locale: 'ru' });
  teachers = await Promise.all(Array.from({ length: 20 }, (_, i) => newTeacher(server.url, fac.created.code, `Педагог ${i + 1}`)));
}, 60_000);

afterAll(async () => {
  for (const t of teachers) t.client.close();
  fac?.client.close();
  await server?.kill('SIGTERM');
});

const ballotOf = (c: SessionClient, id: string): BallotDef | undefined => c.state?.ballots.find((b) => b.id === id);

async function open(id: string): Promise<void> {
  expect((await fac.client.command({ type: 'ballot.open', ballotId: id })).ok).toBe(true);
  for (const t of teachers) await waitFor(() => ballotOf(t.client, id)?.status === 'open', `${t.name} sees ${id} open`);
}

async function revealed<T>(id: string): Promise<T> {
  expect((await fac.client.command({ type: 'ballot.close', ballotId: id })).ok).toBe(true);
  expect((await fac.client.command({ type: 'ballot.reveal', ballotId: id })).ok).toBe(true);
  return (await waitFor(() => ballotOf(teachers[0]!.client, id)?.results, `${id} revealed`)) as T;
}

describe('the questionnaire of Appendix 1 with 20 teachers', () => {
  it('starts with every question as an anonymous draft, in the session language', () => {
    const ballots = fac.client.state!.ballots;
    expect(ballots).toHaveLength(QUESTIONNAIRE.questions.length);
    expect(ballots.every((b) => b.status === 'draft' && b.privacy === 'anonymous')).toBe(true);
    expect(ballots.find((b) => b.id === 'q-difference')!.title).toContain(QUESTIONNAIRE.questions[5]!.text.ru);
  });

  it('reports counts and percentages per answer: 13 of 20 → 65 %', async () => {
    await open('q-difference');
    const choice = (i: number) => (i < 13 ? 'synonyms' : i < 17 ? 'practice-theory' : i < 19 ? 'deeper' : 'other');
    const acks = await Promise.all(teachers.map((t, i) => t.client.answer('q-difference', { kind: 'single', option: choice(i) })));
    expect(acks.every((a) => a.ok)).toBe(true);
    const r = await revealed<CountResults>('q-difference');
    expect(r.voters).toBe(20);
    const row = (id: string) => r.options.find((o) => o.optionId === id)!;
    expect(row('synonyms')).toMatchObject({ count: 13, rank: 1 });
    expect(Math.round(row('synonyms').share * 100)).toBe(65);
    expect(Math.round(row('practice-theory').share * 100)).toBe(20);
    expect(Math.round(row('deeper').share * 100)).toBe(10);
    expect(Math.round(row('other').share * 100)).toBe(5);
  });

  it('lists the open answers', async () => {
    await open('q-difficulties');
    const acks = await Promise.all(
      teachers.slice(0, 5).map((t, i) => t.client.answer('q-difficulties', { kind: 'text', text: `Нехватка времени ${i + 1}` })),
    );
    expect(acks.every((a) => a.ok)).toBe(true);
    const r = await revealed<TextResults>('q-difficulties');
    expect([...r.answers].sort()).toEqual([1, 2, 3, 4, 5].map((n) => `Нехватка времени ${n}`));
  });
});
