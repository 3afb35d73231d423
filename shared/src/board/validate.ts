import * as Y from 'yjs';
import { LIMITS } from '../model/limits.js';

export type UpdateProblem = 'malformed' | 'too_large';

/**
 * Check a board update before it touches a document: it must decode, and no
 * piece of text it inserts may exceed a note's length.
 */
export function checkBoardUpdate(update: Uint8Array): UpdateProblem | null {
  if (update.byteLength > LIMITS.yjsMessageBytes) return 'too_large';
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  try {
    decoded = Y.decodeUpdate(update);
  } catch {
    return 'malformed';
  }
  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) continue;
    const content = struct.content;
    if (content instanceof Y.ContentString && content.str.length > LIMITS.note) return 'too_large';
    if (content instanceof Y.ContentAny && content.arr.some((v) => typeof v === 'string' && v.length > LIMITS.note))
      return 'too_large';
  }
  return null;
}
