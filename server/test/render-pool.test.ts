import { afterAll, describe, expect, it } from 'vitest';
import { applyCommand, buildMinutes, createSessionState, groupBoardId, type Command, type MinutesModel, type NoteView, type Participant, type SessionState } from '@kenes/shared';
import { renderMinutesPdf } from '../src/export/pdf.js';
import { RenderPool } from '../src/export/render-pool.js';

const T0 = Date.UTC(2025, 2, 12, 4, 0);

function apply(state: SessionState, cmd: Command): SessionState {
  const r = applyCommand(state, cmd, { role: 'facilitator' }, { now: T0, present: () => [] });
  if (!r.ok) throw new Error(`${cmd.type}: ${r.error}`);
  return r.state;
}

/** A long protocol: six groups, 150 notes each, so rendering it takes a noticeable while. */
function longMinutes(): MinutesModel {
  let state = createSessionState({ id: 's1', code: 'K7M2QX', title: 'Қалыптастырушы бағалау', facilitator: 'Сапарова Айгерим', locale: 'kk', template: 'case-method', now: T0 });
  state = apply(state, { type: 'groups.split', count: 6 });
  for (const index of [1, 2, 3, 4]) state = apply(state, { type: 'stage.go', index });
  const people: Participant[] = state.groups.map((g, i) => ({ id: `p${i}`, name: `Әсел Қасымова ${i}`, groupId: g.id, joinedAt: T0 }));
  const boards = state.groups.map((g, gi) => ({
    boardId: groupBoardId(g.id),
    notes: Array.from({ length: 150 }, (_, i): NoteView => ({
      id: `n${gi}-${i}`,
      text: `Ұсыныс ${i}: оқушылармен бірге табыс критерийлерін құрастыру, Өзін-өзі бағалау парағын енгізу және кері байланыс беру`,
      color: 'yellow',
      authorId: `p${gi}`,
      authorName: `Әсел Қасымова ${gi}`,
      stageId: state.stages[3]!.id,
      createdAt: T0 + i,
      area: '',
      clusterId: null,
      reactions: [],
      x: 0,
      y: 0,
      fromGroup: null,
      subject: null,
    })),
  }));
  return buildMinutes({ state, participants: people, boards, generatedAt: T0, timeZone: 'Asia/Almaty' });
}

const model = longMinutes();
const pool = new RenderPool({ size: 1 });
afterAll(() => pool.close());

/** The longest wait between ticks of a 5 ms timer while `work` runs: how long the event loop was held. */
async function longestStall(work: () => Promise<unknown>): Promise<{ stall: number; took: number }> {
  let last = performance.now();
  let stall = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    stall = Math.max(stall, now - last);
    last = now;
  }, 5);
  const started = performance.now();
  try {
    await work();
  } finally {
    clearInterval(tick);
  }
  const end = performance.now();
  // A hold that lasted to the end of the work ends here, with no tick after it.
  return { stall: Math.max(stall, end - last), took: end - started };
}

describe('the render pool', () => {
  it('renders a PDF and a Word file in a worker thread', async () => {
    const [pdf, docx] = await Promise.all([pool.render('pdf', model), pool.render('docx', model)]);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.toString('latin1').match(/\/Type \/Page\b/g)?.length ?? 0).toBeGreaterThan(5);
    expect(docx.subarray(0, 2).toString()).toBe('PK');
  });

  it('leaves the event loop free while it renders, where rendering in place holds it', async () => {
    await pool.render('pdf', model); // the worker is up and warm
    const inPlace = await longestStall(() => renderMinutesPdf(model));
    const inWorker = await longestStall(() => pool.render('pdf', model));
    // In place, the loop waits out most of the drawing; in the worker it keeps ticking.
    expect(inPlace.stall).toBeGreaterThan(inPlace.took / 2);
    expect(inWorker.stall).toBeLessThan(inPlace.stall / 2);
  });

  it('queues more jobs than workers and answers each', async () => {
    const files = await Promise.all([0, 1, 2, 3].map((i) => pool.render(i % 2 ? 'docx' : 'pdf', model)));
    expect(files.map((f) => f.subarray(0, 2).toString())).toEqual(['%P', 'PK', '%P', 'PK']);
  });

  it('refuses work once closed', async () => {
    const own = new RenderPool();
    const first = own.render('docx', model);
    await own.close();
    await expect(first).resolves.toBeInstanceOf(Buffer);
    await expect(own.render('pdf', model)).rejects.toThrow(/closed/);
  });
});
