import { describe, expect, it } from 'vitest';
import { applyCommand, createSessionState, type Command, type CommandContext, type SessionState } from '../src/index.js';
import { FACILITATOR, teacher } from './helpers.js';

const fresh = (): SessionState => createSessionState({ id: 's', code: 'K7M2QX', title: 't', locale: 'en', template: 'design-thinking', now: 1 });
const groups: Record<string, string | null> = { alice: 'g1', bob: 'g1', carol: 'g2', dana: null };
const ctx: CommandContext = { now: 2, groupOf: (id) => groups[id] };
const run = (cmd: Command, actor = FACILITATOR, s = fresh()) => applyCommand(s, cmd, actor, ctx);

describe('board commands', () => {
  it('gives a group role only to a member of that group', () => {
    const ok = run({ type: 'group.role', groupId: 'g1', role: 'speaker', participantId: 'bob' }, teacher('alice', 'g1'));
    expect(ok.ok && ok.state.groups[0]!.roles).toEqual({ speaker: 'bob' });
    expect(run({ type: 'group.role', groupId: 'g1', role: 'scribe', participantId: 'carol' })).toEqual({ ok: false, error: 'unknown_participant' });
    expect(run({ type: 'group.role', groupId: 'g1', role: 'scribe', participantId: 'nobody' })).toEqual({ ok: false, error: 'unknown_participant' });
    expect(run({ type: 'group.role', groupId: 'g1', role: 'scribe', participantId: 'alice' }, teacher('carol', 'g2'))).toEqual({ ok: false, error: 'not_in_group' });
  });

  it('asks the server to reveal once per private stage, and to publish for the group’s members', () => {
    const first = run({ type: 'stage.reveal', index: 3 });
    expect(first).toMatchObject({ ok: true, effects: [{ kind: 'reveal', stageId: 's4' }] });
    expect(run({ type: 'stage.reveal', index: 3 }, FACILITATOR, first.ok ? first.state : fresh())).toEqual({ ok: false, error: 'already_revealed' });
    expect(run({ type: 'stage.reveal', index: 1 })).toEqual({ ok: false, error: 'already_revealed' });
    expect(run({ type: 'board.publish', groupId: 'g1', noteIds: ['n1'] }, teacher('alice', 'g1'))).toMatchObject({
      ok: true,
      effects: [{ kind: 'publish', groupId: 'g1', noteIds: ['n1'] }],
    });
    expect(run({ type: 'board.publish', groupId: 'g1', noteIds: ['n1'] }, teacher('carol', 'g2'))).toEqual({ ok: false, error: 'not_in_group' });
  });
});
