import { describe, expect, it } from 'vitest';
import { applyCommand, applyDiff, createSessionState, diffState, sameValue, type Command, type SessionState } from '../src/index.js';
import { FACILITATOR, MIN } from './helpers.js';

const T0 = Date.UTC(2025, 2, 12, 4, 0);
const wire = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/** A session driven through commands a facilitator gives, every state kept. */
function walk(commands: Command[]): SessionState[] {
  let s = createSessionState({ id: 's1', code: 'K7M2QX', title: 'Критерии успеха', facilitator: 'Сапарова Айгерим', locale: 'ru', template: 'case-method', now: T0 });
  const states = [s];
  commands.forEach((cmd, i) => {
    const r = applyCommand(s, cmd, FACILITATOR, { now: T0 + i * MIN, present: () => [], ballots: () => [{ g1: 2 }] });
    if (!r.ok) throw new Error(`${cmd.type}: ${r.error}`);
    s = r.state;
    states.push(s);
  });
  return states;
}

const COMMANDS: Command[] = [
  { type: 'groups.split', count: 3 },
  ...[1, 2, 3, 4].map((index): Command => ({ type: 'stage.go', index })),
  { type: 'stage.edit', index: 2, title: 'Анализ', instructions: 'Выпишите факты' },
  { type: 'group.rename', groupId: 'g2', name: 'Ақжол' },
  { type: 'group.add', name: 'Жаңа топ' },
  { type: 'timer.start' },
  { type: 'timer.pause' },
  { type: 'ballot.create', ballot: { id: 'b1', kind: 'single', title: 'Формат', options: [{ id: 'a', label: 'Кейс' }, { id: 'b', label: 'Форсайт' }] } },
  { type: 'ballot.open', ballotId: 'b1' },
  { type: 'stage.go', index: 2 },
  { type: 'group.solution', groupId: 'g1', text: 'Критерии на каждом уроке' },
  { type: 'vote.open' },
  { type: 'vote.reveal' },
  { type: 'ballot.delete', ballotId: 'b1' },
];

describe('state patches', () => {
  it('take every state of a session to the next one exactly, element patches included', () => {
    const states = walk(COMMANDS);
    for (let i = 1; i < states.length; i++) {
      const [before, after] = [states[i - 1]!, states[i]!];
      // Through JSON, as a patch travels: an undefined value would vanish on the way.
      const diff = wire(diffState(before, after));
      expect(wire({ ...applyDiff(before, diff), version: after.version }), COMMANDS[i - 1]!.type).toEqual(wire(after));
      // States read back from storage share no objects with the ones held: compared by value, the result is the same.
      const copy = structuredClone(before);
      expect(wire({ ...applyDiff(copy, wire(diffState(copy, after, sameValue))), version: after.version })).toEqual(wire(after));
    }
  });

  it('send a stage change as the visits of the two stages it touched, not the whole agenda', () => {
    const states = walk([{ type: 'stage.go', index: 1 }, { type: 'stage.go', index: 2 }]);
    const diff = diffState(states[1]!, states[2]!);
    expect(diff.set.stages).toBeUndefined();
    expect(diff.items!.stages!.fields).toEqual({ 1: { visits: states[2]!.stages[1]!.visits }, 2: { visits: states[2]!.stages[2]!.visits } });
    expect(diff.set.stageIndex).toBe(2);
    const whole = JSON.stringify({ set: { stageIndex: 2, timer: states[2]!.timer, stages: states[2]!.stages } }).length;
    expect(JSON.stringify(diff).length).toBeLessThan(whole / 4);
  });

  it('send an array whole when most of it changed, and leave the input state untouched', () => {
    const states = walk([{ type: 'groups.split', count: 1 }, { type: 'groups.split', count: 3 }]);
    const [before, after] = [states[1]!, states[2]!];
    const frozen = JSON.stringify(before);
    const diff = diffState(before, after);
    expect(diff.set.groups).toEqual(after.groups);
    applyDiff(before, diff);
    expect(JSON.stringify(before)).toBe(frozen);
  });

  it('replace an element whole when a field was dropped or became undefined, so no old value lingers', () => {
    const [base] = walk([]);
    const stages = base!.stages;
    const dropped = { ...stages[0]! } as Partial<(typeof stages)[0]>;
    delete dropped.instructions;
    const undef = { ...stages[1]!, title: undefined } as unknown as (typeof stages)[1];
    const after = { ...base!, stages: [dropped as (typeof stages)[0], undef, ...stages.slice(2)] };
    const diff = wire(diffState(base!, after));
    expect(Object.keys(diff.items!.stages!.at)).toEqual(['0', '1']);
    expect(wire(applyDiff(base!, diff))).toEqual(wire(after));
  });
});
