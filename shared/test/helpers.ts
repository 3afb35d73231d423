import type { Actor } from '../src/index.js';

/** Freeze a value and everything inside it, so any mutation by the code under test throws. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** A small seeded PRNG (mulberry32) so group splits are reproducible. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const FACILITATOR: Actor = { role: 'facilitator' };
export const SCREEN: Actor = { role: 'screen' };
export const teacher = (id: string, groupId: string | null): Actor => ({ role: 'participant', id, groupId });

export const MIN = 60_000;
