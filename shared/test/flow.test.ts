import { describe, expect, it } from 'vitest';
import {
  applyCommand,
  createSessionState,
  normalizeState,
  projectedBallot,
  type Actor,
  type Allocation,
  type Command,
  type CommandContext,
  type CommandResult,
  type Participant,
  type SessionState,
  type TemplateId,
} from '../src/index.js';
import { deepFreeze, FACILITATOR, MIN, SCREEN, seeded, teacher } from './helpers.js';

const T0 = 1_700_000_000_000;

function fresh(template: TemplateId = 'case-method'): SessionState {
  return createSessionState({ id: 's1', code: 'K7M2QX', title: 'Кейс', locale: 'ru', template, now: T0 });
}

/** Run a command on a deep-frozen copy of the state: any mutation of the input throws. */
function run(state: SessionState, cmd: Command, actor: Actor = FACILITATOR, ctx: Partial<CommandContext> = {}): CommandResult {
  const frozen = deepFreeze(structuredClone(state));
  const before = structuredClone(frozen);
  const result = applyCommand(frozen, cmd, actor, { now: T0, ...ctx });
  expect(frozen).toEqual(before);
  return result;
}

/** Run a command that must succeed and return the new state. */
function must(state: SessionState, cmd: Command, actor: Actor = FACILITATOR, ctx: Partial<CommandContext> = {}): SessionState {
  const result = run(state, cmd, actor, ctx);
  if (!result.ok) throw new Error(`${cmd.type} failed: ${result.error}`);
  return result.state;
}

function errorOf(result: CommandResult): string | null {
  return result.ok ? null : result.error;
}

function people(n: number): Participant[] {
  return Array.from({ length: n }, (_, i) => ({ id: `p${i + 1}`, name: `Teacher ${i + 1}`, groupId: null, joinedAt: T0 }));
}

describe('createSessionState', () => {
  it('builds the eight case-method stages with the first one running', () => {
    const s = fresh('case-method');
    expect(s.stages.map((st) => st.key)).toEqual([
      'case.join',
      'case.read',
      'case.individual',
      'case.group',
      'case.present',
      'case.vote',
      'case.decide',
      'case.reflect',
    ]);
    expect(s.stages.map((st) => st.id)).toEqual(['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8']);
    expect(s.stages[0]!.visits).toEqual([{ startedAt: T0, endedAt: null }]);
    expect(s.stages.slice(1).every((st) => st.visits.length === 0)).toBe(true);
    expect(s.stageIndex).toBe(0);
    expect(s.timer).toEqual({ status: 'idle', durationMs: 5 * MIN });
    expect(s.groups.map((g) => g.id)).toEqual(['g1', 'g2', 'g3', 'g4']);
    expect(s.vote).toMatchObject({ status: 'idle', round: 0, results: null });
    expect(s.decision).toBeNull();
    expect(s.version).toBe(1);
  });

  it('builds the seven design-thinking stages with five groups', () => {
    const s = fresh('design-thinking');
    expect(s.stages.map((st) => st.key)).toEqual([
      'dt.opening',
      'dt.empathy',
      'dt.focus',
      'dt.ideation',
      'dt.prototype',
      'dt.test',
      'dt.closing',
    ]);
    expect(s.stages.map((st) => st.kind)).toEqual(['join', 'group', 'group', 'group', 'group', 'present', 'reflect']);
    expect(s.groups).toHaveLength(5);
    expect(s.timer).toEqual({ status: 'idle', durationMs: 10 * MIN });
  });
});

describe('stage.go', () => {
  it('moves to the next stage, closing the old visit and opening a new one', () => {
    const s = must(fresh(), { type: 'stage.go', index: 1, from: 0 }, FACILITATOR, { now: T0 + 7 * MIN });
    expect(s.stageIndex).toBe(1);
    expect(s.stages[0]!.visits).toEqual([{ startedAt: T0, endedAt: T0 + 7 * MIN }]);
    expect(s.stages[1]!.visits).toEqual([{ startedAt: T0 + 7 * MIN, endedAt: null }]);
    expect(s.timer).toEqual({ status: 'idle', durationMs: 10 * MIN });
  });

  it('goes back to an earlier stage as a second visit', () => {
    let s = must(fresh(), { type: 'stage.go', index: 1 }, FACILITATOR, { now: T0 + 7 * MIN });
    s = must(s, { type: 'stage.go', index: 0, from: 1 }, FACILITATOR, { now: T0 + 9 * MIN });
    expect(s.stageIndex).toBe(0);
    expect(s.stages[0]!.visits).toEqual([
      { startedAt: T0, endedAt: T0 + 7 * MIN },
      { startedAt: T0 + 9 * MIN, endedAt: null },
    ]);
    expect(s.stages[1]!.visits).toEqual([{ startedAt: T0 + 7 * MIN, endedAt: T0 + 9 * MIN }]);
    expect(s.timer).toEqual({ status: 'idle', durationMs: 5 * MIN });
  });

  it('jumps over stages without visiting them', () => {
    const s = must(fresh(), { type: 'stage.go', index: 6 }, FACILITATOR, { now: T0 + MIN });
    expect(s.stageIndex).toBe(6);
    expect(s.stages.slice(1, 6).every((st) => st.visits.length === 0)).toBe(true);
    expect(s.stages[6]!.visits).toEqual([{ startedAt: T0 + MIN, endedAt: null }]);
  });

  it('resets a running timer to the new stage’s planned time', () => {
    let s = must(fresh(), { type: 'timer.start' }, FACILITATOR, { now: T0 });
    expect(s.timer.status).toBe('running');
    s = must(s, { type: 'stage.go', index: 3 }, FACILITATOR, { now: T0 + MIN });
    expect(s.timer).toEqual({ status: 'idle', durationMs: 25 * MIN });
  });

  it('refuses a change made from a stage that is no longer current', () => {
    const s = must(fresh(), { type: 'stage.go', index: 1 });
    expect(errorOf(run(s, { type: 'stage.go', index: 2, from: 0 }))).toBe('stale');
  });

  it('refuses stages that do not exist', () => {
    const s = fresh();
    expect(errorOf(run(s, { type: 'stage.go', index: 8 }))).toBe('invalid_stage');
    expect(errorOf(run(s, { type: 'stage.go', index: -1 }))).toBe('invalid_stage');
    expect(errorOf(run(s, { type: 'stage.go', index: 1.5 }))).toBe('invalid_stage');
  });
});

describe('stage.edit', () => {
  it('sets a trimmed title, clears it back to the template’s, and changes planned time', () => {
    let s = must(fresh(), { type: 'stage.edit', index: 2, title: '  Анализ фактов  ', plannedMin: 12 });
    expect(s.stages[2]).toMatchObject({ title: 'Анализ фактов', plannedMin: 12 });
    s = must(s, { type: 'stage.edit', index: 2, title: '   ' });
    expect(s.stages[2]!.title).toBeNull();
    expect(s.stages[2]!.plannedMin).toBe(12);
  });

  it('updates the idle timer when the current stage’s planned time changes', () => {
    const s = must(fresh(), { type: 'stage.edit', index: 0, plannedMin: 8 });
    expect(s.timer).toEqual({ status: 'idle', durationMs: 8 * MIN });
  });

  it('leaves a running timer alone', () => {
    const running = must(fresh(), { type: 'timer.start' });
    const s = must(running, { type: 'stage.edit', index: 0, plannedMin: 8 });
    expect(s.timer).toEqual(running.timer);
  });

  it('refuses a stage that does not exist', () => {
    expect(errorOf(run(fresh(), { type: 'stage.edit', index: 9, title: 'x' }))).toBe('invalid_stage');
  });
});

describe('who may do what', () => {
  const facilitatorOnly: Command[] = [
    { type: 'stage.go', index: 1 },
    { type: 'timer.start' },
    { type: 'groups.split', count: 2 },
    { type: 'participant.move', participantId: 'p1', groupId: 'g2' },
    { type: 'vote.open' },
    { type: 'vote.reveal' },
    { type: 'decision.record', optionId: null, title: 'x', reason: 'y' },
    { type: 'case.set', case: { title: 'x', situation: '', questions: '' } },
  ];

  it.each(facilitatorOnly)('refuses $type from a teacher', (cmd) => {
    expect(errorOf(run(fresh(), cmd, teacher('p1', 'g1')))).toBe('forbidden');
  });

  it.each([...facilitatorOnly, { type: 'group.solution', groupId: 'g1', text: 'x' } as Command])(
    'refuses $type from the projector',
    (cmd) => {
      expect(errorOf(run(fresh(), cmd, SCREEN))).toBe('forbidden');
    },
  );
});

describe('groups', () => {
  it('splits the present teachers into balanced groups', () => {
    const result = run(fresh(), { type: 'groups.split', count: 3 }, FACILITATOR, {
      present: () => people(10),
      random: seeded(42),
    });
    if (!result.ok) throw new Error(result.error);
    expect(result.state.groups.map((g) => g.id)).toEqual(['g1', 'g2', 'g3']);
    expect(result.dissolved).toEqual(['g4']);
    expect(result.state.groupMode).toBe('assigned');
    const assign = result.assign ?? [];
    expect(assign.map(([p]) => p).sort()).toEqual(people(10).map((p) => p.id).sort());
    const sizes = ['g1', 'g2', 'g3'].map((g) => assign.filter(([, to]) => to === g).length);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(10);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  it('splits the same way for the same seed, and differently for another', () => {
    const split = (seed: number) => {
      const r = run(fresh(), { type: 'groups.split', count: 4 }, FACILITATOR, { present: () => people(12), random: seeded(seed) });
      return r.ok ? r.assign : null;
    };
    expect(split(7)).toEqual(split(7));
    expect(split(7)).not.toEqual(split(8));
  });

  it('adds new groups after the existing ones when splitting into more', () => {
    const r = run(fresh(), { type: 'groups.split', count: 6 }, FACILITATOR, { present: () => [], random: seeded(1) });
    if (!r.ok) throw new Error(r.error);
    expect(r.state.groups.map((g) => g.id)).toEqual(['g1', 'g2', 'g3', 'g4', 'g5', 'g6']);
    expect(r.dissolved).toEqual([]);
  });

  it('moves one teacher to another group or out of all groups', () => {
    const to = run(fresh(), { type: 'participant.move', participantId: 'p1', groupId: 'g2' });
    expect(to.ok && to.assign).toEqual([['p1', 'g2']]);
    const out = run(fresh(), { type: 'participant.move', participantId: 'p1', groupId: null });
    expect(out.ok && out.assign).toEqual([['p1', null]]);
    expect(errorOf(run(fresh(), { type: 'participant.move', participantId: 'p1', groupId: 'g9' }))).toBe('unknown_group');
  });

  it('lets only a group’s members mark its solution', () => {
    const s = must(fresh(), { type: 'group.solution', groupId: 'g1', text: '  Критерии успеха  ' }, teacher('p1', 'g1'));
    expect(s.groups[0]!.solution).toBe('Критерии успеха');
    expect(errorOf(run(fresh(), { type: 'group.solution', groupId: 'g1', text: 'x' }, teacher('p2', 'g2')))).toBe('not_in_group');
    expect(errorOf(run(fresh(), { type: 'group.solution', groupId: 'g1', text: 'x' }, teacher('p3', null)))).toBe('not_in_group');
    const byFacilitator = must(s, { type: 'group.solution', groupId: 'g1', text: '  ' });
    expect(byFacilitator.groups[0]!.solution).toBeNull();
  });
});

describe('voting', () => {
  function withSolutions(): SessionState {
    let s = must(fresh(), { type: 'group.solution', groupId: 'g1', text: 'Критерии успеха' });
    s = must(s, { type: 'group.rename', groupId: 'g2', name: 'Новаторы' });
    return must(s, { type: 'group.solution', groupId: 'g2', text: 'Взаимопосещение' });
  }

  it('opens a round over the groups that marked a solution', () => {
    const s = must(withSolutions(), { type: 'vote.open' });
    expect(s.vote.status).toBe('open');
    expect(s.vote.round).toBe(1);
    expect(s.vote.options).toEqual([
      { id: 'g1', label: 'Критерии успеха', groupName: '#1' },
      { id: 'g2', label: 'Взаимопосещение', groupName: 'Новаторы' },
    ]);
  });

  it('refuses to open a vote with nothing to vote on', () => {
    expect(errorOf(run(fresh(), { type: 'vote.open' }))).toBe('no_options');
  });

  it('closes, then reveals the counted ballots', () => {
    const open = must(withSolutions(), { type: 'vote.open' });
    const closed = must(open, { type: 'vote.close' });
    expect(closed.vote.status).toBe('closed');
    expect(errorOf(run(closed, { type: 'vote.close' }))).toBe('vote_not_open');
    const ballots: Allocation[] = [{ g1: 2, g2: 1 }, { g1: 1 }, {}];
    const revealed = must(closed, { type: 'vote.reveal' }, FACILITATOR, { ballots: () => ballots });
    expect(revealed.vote.status).toBe('revealed');
    expect(revealed.vote.results).toEqual({
      voters: 2,
      dots: 4,
      tieForFirst: false,
      ranking: [
        { optionId: 'g1', votes: 3, share: 0.75, rank: 1 },
        { optionId: 'g2', votes: 1, share: 0.25, rank: 2 },
      ],
    });
  });

  it('cannot reveal a vote that never opened', () => {
    expect(errorOf(run(withSolutions(), { type: 'vote.reveal' }))).toBe('vote_not_open');
  });

  it('records the decision with its reason, trimmed and timed', () => {
    const open = must(withSolutions(), { type: 'vote.open' });
    const s = must(
      open,
      { type: 'decision.record', optionId: 'g1', title: ' Ввести критерии успеха ', reason: ' Больше голосов ' },
      FACILITATOR,
      { now: T0 + 80 * MIN },
    );
    expect(s.decision).toEqual({
      optionId: 'g1',
      title: 'Ввести критерии успеха',
      reason: 'Больше голосов',
      recordedAt: T0 + 80 * MIN,
    });
    expect(errorOf(run(open, { type: 'decision.record', optionId: 'g7', title: 'x', reason: '' }))).toBe('unknown_option');
  });
});

describe('versions', () => {
  it('go up by one on every accepted command and not on a refused one', () => {
    const s1 = fresh();
    const s2 = must(s1, { type: 'stage.go', index: 1 });
    const s3 = must(s2, { type: 'timer.start' });
    expect([s1.version, s2.version, s3.version]).toEqual([1, 2, 3]);
    const refused = run(s3, { type: 'stage.go', index: 99 });
    expect(refused.ok).toBe(false);
    expect(refused).not.toHaveProperty('state');
  });
});

describe('the protocol particulars', () => {
  it('are edited field by field, trimmed, with blank decisions dropped', () => {
    let s = must(fresh(), { type: 'protocol.edit', protocol: { organisation: ' Школа-лицей №8 ', number: '3' } });
    s = must(s, { type: 'protocol.edit', protocol: { place: 'Астана', decisions: [' Внедрить кейс-метод ', '  ', 'Провести открытый урок'] } });
    expect(s.protocol).toEqual({
      organisation: 'Школа-лицей №8',
      place: 'Астана',
      number: '3',
      summary: '',
      decisions: ['Внедрить кейс-метод', 'Провести открытый урок'],
    });
  });

  it('may be edited by facilitators only', () => {
    const r = run(fresh(), { type: 'protocol.edit', protocol: { summary: 'x' } }, teacher('p1', null));
    expect(errorOf(r)).toBe('forbidden');
  });

  it('are filled in for sessions stored before they existed', () => {
    const { protocol: _gone, ...old } = fresh();
    expect(normalizeState(old as SessionState).protocol).toEqual({ organisation: '', place: '', number: '', summary: '', decisions: [] });
  });
});

describe('the ballot on the projector', () => {
  const spec = (id: string) => ({ id, kind: 'single' as const, title: id, options: [{ id: 'o1', label: 'A' }, { id: 'o2', label: 'B' }] });

  it('is the one the facilitator chose, else the most recent past its draft', () => {
    let s = must(fresh(), { type: 'ballot.create', ballot: spec('first') });
    s = must(s, { type: 'ballot.create', ballot: spec('second') });
    expect(projectedBallot(s)).toBeNull();
    s = must(s, { type: 'ballot.open', ballotId: 'first' });
    s = must(s, { type: 'ballot.open', ballotId: 'second' });
    expect(projectedBallot(s)?.id).toBe('second');
    s = must(s, { type: 'screen.ballot', ballotId: 'first' });
    expect(projectedBallot(s)?.id).toBe('first');
    s = must(s, { type: 'screen.ballot', ballotId: null });
    expect(projectedBallot(s)?.id).toBe('second');
  });

  it('must be a ballot of the session', () => {
    expect(errorOf(run(fresh(), { type: 'screen.ballot', ballotId: 'nope' }))).toBe('unknown_ballot');
  });
});
