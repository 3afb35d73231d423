import type { Assignment } from './reduce.js';

/** Shuffle teachers, then deal them round-robin so group sizes differ by at most one. */
export function balancedAssignment(participantIds: string[], groupIds: string[], random: () => number): Assignment[] {
  if (groupIds.length === 0) return participantIds.map((id) => [id, null]);
  const ids = [...participantIds];
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  }
  return ids.map((id, i) => [id, groupIds[i % groupIds.length]!]);
}
