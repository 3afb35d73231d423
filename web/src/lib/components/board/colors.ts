import type { NoteColor } from '@kenes/shared';

/** Pale enough for dark text at AA contrast, distinct enough to tell apart on a projector. */
export const NOTE_BACKGROUNDS: Record<NoteColor, string> = {
  yellow: '#fef08a',
  green: '#bbf7d0',
  blue: '#bfdbfe',
  pink: '#fbcfe8',
  purple: '#e9d5ff',
  orange: '#fed7aa',
};
