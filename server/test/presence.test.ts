import { describe, expect, it } from 'vitest';
import { NODE_EXPIRES_MS, Presence } from '../src/cluster/presence.js';

describe('who is online through other nodes', () => {
  it('follows changes as they happen and the full announcements', () => {
    let now = 0;
    const p = new Presence(() => now);
    p.change('nodeB', 's1', 'ann', true);
    p.change('nodeB', 's1', 'bob', true);
    expect(p.online('s1', 'ann')).toBe(true);
    expect(p.online('s2', 'ann')).toBe(false);
    p.change('nodeB', 's1', 'ann', false);
    expect(p.online('s1', 'ann')).toBe(false);
    // A missed change is put right by the next announcement, which names who it touched.
    const touched = p.announce('nodeB', { s1: ['ann'] });
    expect(touched).toEqual(expect.arrayContaining([{ sessionId: 's1', participantId: 'bob' }, { sessionId: 's1', participantId: 'ann' }]));
    expect(p.online('s1', 'ann') && !p.online('s1', 'bob')).toBe(true);
  });

  it('counts a teacher online while any node has them', () => {
    const p = new Presence(() => 0);
    p.change('nodeA', 's1', 'ann', true);
    p.change('nodeB', 's1', 'ann', true);
    p.change('nodeA', 's1', 'ann', false);
    expect(p.online('s1', 'ann')).toBe(true);
  });

  it('forgets a node not heard from in time, and only that one', () => {
    let now = 0;
    const p = new Presence(() => now);
    p.announce('killed', { s1: ['ann', 'bob'] });
    now = NODE_EXPIRES_MS - 1000;
    p.announce('alive', { s1: ['cem'] });
    now = NODE_EXPIRES_MS + 1;
    const gone = p.expire();
    expect(gone.map((t) => t.participantId).sort()).toEqual(['ann', 'bob']);
    expect(p.online('s1', 'ann')).toBe(false);
    expect(p.online('s1', 'cem')).toBe(true);
  });
});
