import type { TimerState } from '../model/types.js';

/** Milliseconds left on a timer at server time `now`; never negative. */
export function remainingMs(timer: TimerState, now: number): number {
  switch (timer.status) {
    case 'idle':
      return timer.durationMs;
    case 'paused':
      return Math.max(0, timer.remainingMs);
    case 'running':
      return Math.max(0, timer.endsAt - now);
  }
}

export function startTimer(durationMs: number, now: number): TimerState {
  return { status: 'running', durationMs, endsAt: now + durationMs };
}

export function pauseTimer(timer: TimerState, now: number): TimerState | null {
  if (timer.status !== 'running') return null;
  return { status: 'paused', durationMs: timer.durationMs, remainingMs: remainingMs(timer, now) };
}

export function resumeTimer(timer: TimerState, now: number): TimerState | null {
  if (timer.status !== 'paused') return null;
  return { status: 'running', durationMs: timer.durationMs, endsAt: now + timer.remainingMs };
}

/** Add time; a timer that already ran out starts again from the added amount. */
export function addTime(timer: TimerState, ms: number, now: number): TimerState {
  switch (timer.status) {
    case 'idle':
      return { status: 'idle', durationMs: timer.durationMs + ms };
    case 'paused':
      return { ...timer, durationMs: timer.durationMs + ms, remainingMs: timer.remainingMs + ms };
    case 'running':
      return { ...timer, durationMs: timer.durationMs + ms, endsAt: Math.max(timer.endsAt, now) + ms };
  }
}

export function resetTimer(durationMs: number): TimerState {
  return { status: 'idle', durationMs };
}

/** "12:05" or "1:02:05"; rounds up so a timer shows 0:00 only when time is up. */
export function formatRemaining(ms: number): string {
  const total = Math.ceil(Math.max(0, ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
