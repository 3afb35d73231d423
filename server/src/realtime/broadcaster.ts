/**
 * Where control-state messages go. The Socket.IO implementation sends to rooms;
 * with a Redis adapter the same calls reach every node.
 */
export interface Broadcaster {
  /** Every screen of the session: facilitators, teachers, the projector. */
  toSession(sessionId: string, event: string, payload: unknown): void;
  /** Facilitators and the projector (they see the roster). */
  toStaff(sessionId: string, event: string, payload: unknown): void;
  /** Facilitators only (vote progress). */
  toFacilitators(sessionId: string, event: string, payload: unknown): void;
  /** Every tab of one teacher. */
  toParticipant(sessionId: string, participantId: string, event: string, payload: unknown): void;
}

export const channels = {
  session: (id: string) => `s:${id}`,
  staff: (id: string) => `s:${id}:staff`,
  facilitators: (id: string) => `s:${id}:fac`,
  participant: (id: string, pid: string) => `s:${id}:p:${pid}`,
};
