/** One NTP-style exchange: client send time t0, server time t1, client receive time t3. */
export interface ClockSample {
  t0: number;
  t1: number;
  t3: number;
}

export function sampleOffset(s: ClockSample): { offset: number; rtt: number } {
  return { offset: s.t1 - (s.t0 + s.t3) / 2, rtt: s.t3 - s.t0 };
}

/**
 * Server clock minus client clock. Uses the samples with the lowest round trip
 * (the least queueing noise) and averages their offsets.
 */
export function estimateOffset(samples: ClockSample[], keep = 3): number {
  if (samples.length === 0) return 0;
  const measured = samples.map(sampleOffset).sort((a, b) => a.rtt - b.rtt);
  const best = measured.slice(0, Math.max(1, keep));
  return best.reduce((sum, m) => sum + m.offset, 0) / best.length;
}
