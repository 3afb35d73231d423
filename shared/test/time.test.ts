import { describe, expect, it } from 'vitest';
import {
  addTime,
  estimateOffset,
  formatRemaining,
  pauseTimer,
  remainingMs,
  resetTimer,
  resumeTimer,
  sampleOffset,
  startTimer,
  type ClockSample,
} from '../src/index.js';

describe('timer', () => {
  it('counts down from start and never goes below zero', () => {
    const t = startTimer(60_000, 1_000);
    expect(t).toEqual({ status: 'running', durationMs: 60_000, endsAt: 61_000 });
    expect(remainingMs(t, 1_000)).toBe(60_000);
    expect(remainingMs(t, 31_000)).toBe(30_000);
    expect(remainingMs(t, 90_000)).toBe(0);
  });

  it('holds its remaining time while paused and carries on from there', () => {
    const paused = pauseTimer(startTimer(60_000, 1_000), 31_000);
    expect(paused).toEqual({ status: 'paused', durationMs: 60_000, remainingMs: 30_000 });
    expect(remainingMs(paused!, 500_000)).toBe(30_000);
    const resumed = resumeTimer(paused!, 100_000);
    expect(resumed).toEqual({ status: 'running', durationMs: 60_000, endsAt: 130_000 });
    expect(remainingMs(resumed!, 120_000)).toBe(10_000);
  });

  it('refuses to pause what is not running or resume what is not paused', () => {
    expect(pauseTimer(resetTimer(60_000), 0)).toBeNull();
    expect(resumeTimer(startTimer(60_000, 0), 10)).toBeNull();
    expect(resumeTimer(resetTimer(60_000), 10)).toBeNull();
  });

  it('adds time in every state', () => {
    expect(addTime(resetTimer(60_000), 30_000, 0)).toEqual({ status: 'idle', durationMs: 90_000 });
    expect(addTime({ status: 'paused', durationMs: 60_000, remainingMs: 5_000 }, 60_000, 0)).toEqual({
      status: 'paused',
      durationMs: 120_000,
      remainingMs: 65_000,
    });
    const running = startTimer(60_000, 0);
    expect(remainingMs(addTime(running, 60_000, 30_000), 30_000)).toBe(90_000);
  });

  it('restarts from the added amount once time has already run out', () => {
    const expired = startTimer(60_000, 0);
    const t = addTime(expired, 60_000, 100_000);
    expect(remainingMs(t, 100_000)).toBe(60_000);
  });

  it('resets to idle with the given duration', () => {
    expect(resetTimer(300_000)).toEqual({ status: 'idle', durationMs: 300_000 });
    expect(remainingMs(resetTimer(300_000), 123)).toBe(300_000);
  });
});

describe('formatRemaining', () => {
  it.each([
    [0, '0:00'],
    [-5_000, '0:00'],
    [1, '0:01'],
    [999, '0:01'],
    [1_000, '0:01'],
    [1_001, '0:02'],
    [59_999, '1:00'],
    [61_000, '1:01'],
    [12 * 60_000 + 5_000, '12:05'],
    [3_600_000, '1:00:00'],
    [3_725_000, '1:02:05'],
  ])('shows %i ms as %s (rounding up, so 0:00 means time is up)', (ms, text) => {
    expect(formatRemaining(ms)).toBe(text);
  });
});

describe('clock offset', () => {
  const TRUE_OFFSET = 5_000;

  /** One exchange with the given one-way delays; the server clock runs TRUE_OFFSET ahead. */
  function sample(t0: number, up: number, down: number): ClockSample {
    return { t0, t1: t0 + up + TRUE_OFFSET, t3: t0 + up + down };
  }

  it('reads the offset and round trip of one exchange', () => {
    expect(sampleOffset(sample(1_000, 20, 20))).toEqual({ offset: TRUE_OFFSET, rtt: 40 });
    expect(sampleOffset(sample(1_000, 300, 20))).toEqual({ offset: TRUE_OFFSET + 140, rtt: 320 });
  });

  it('trusts the quickest exchanges over congested ones', () => {
    const congested = Array.from({ length: 12 }, (_, i) => sample(i * 1_000, 200 + i * 50, 20));
    const quick = [sample(20_000, 10, 12), sample(21_000, 12, 10), sample(22_000, 11, 11)];
    const samples = [...congested.slice(0, 6), ...quick, ...congested.slice(6)];
    const naive = samples.map(sampleOffset).reduce((sum, s) => sum + s.offset, 0) / samples.length;
    expect(Math.abs(naive - TRUE_OFFSET)).toBeGreaterThan(100);
    expect(Math.abs(estimateOffset(samples) - TRUE_OFFSET)).toBeLessThanOrEqual(1);
  });

  it('uses only the single best sample when asked to keep one', () => {
    const samples = [sample(0, 400, 10), sample(1_000, 5, 5), sample(2_000, 100, 10)];
    expect(estimateOffset(samples, 1)).toBe(TRUE_OFFSET);
  });

  it('assumes no offset without samples', () => {
    expect(estimateOffset([])).toBe(0);
  });
});
