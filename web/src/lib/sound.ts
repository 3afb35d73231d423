/**
 * The time-up chime, synthesised with the Web Audio API (no audio file to load).
 * Browsers keep an AudioContext suspended until a user gesture, so pages call
 * unlockAudio() from a click before the first chime can be heard.
 */
let ctx: AudioContext | null = null;

export function unlockAudio(): void {
  try {
    ctx ??= new AudioContext();
    if (ctx.state === 'suspended') void ctx.resume();
  } catch {
    // No Web Audio: the visual cue still shows.
  }
}

/** Unlock on the first click or key press anywhere on the page. */
export function unlockOnFirstGesture(): () => void {
  const handler = () => {
    unlockAudio();
    remove();
  };
  const remove = () => {
    window.removeEventListener('pointerdown', handler);
    window.removeEventListener('keydown', handler);
  };
  window.addEventListener('pointerdown', handler);
  window.addEventListener('keydown', handler);
  return remove;
}

function tone(at: number, freq: number, length: number): void {
  if (!ctx) return;
  const osc = ctx.createOscillator();
  const gain = ctx.createGain();
  osc.type = 'sine';
  osc.frequency.setValueAtTime(freq, at);
  // A soft attack and an exponential tail: a chime, not a click.
  gain.gain.setValueAtTime(0.0001, at);
  gain.gain.exponentialRampToValueAtTime(0.25, at + 0.03);
  gain.gain.exponentialRampToValueAtTime(0.0001, at + length);
  osc.connect(gain).connect(ctx.destination);
  osc.start(at);
  osc.stop(at + length + 0.05);
}

/** Two soft tones, high then low. */
export function chime(): void {
  if (!ctx || ctx.state !== 'running') return;
  const now = ctx.currentTime + 0.02;
  tone(now, 880, 0.45);
  tone(now + 0.38, 660, 0.7);
}
