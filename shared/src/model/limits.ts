/** Bounds every payload is checked against, on the server and in forms. */
export const LIMITS = {
  name: 60,
  title: 200,
  note: 1000,
  instructions: 4000,
  caseText: 20000,
  groupName: 60,
  solution: 1000,
  reason: 2000,
  summary: 8000,
  decisions: 30,
  maxGroups: 50,
  maxStages: 30,
  maxPlannedMin: 600,
  maxTimerMs: 10 * 3600_000,
  maxDots: 20,
  /** A single y-websocket message; larger ones close the connection. */
  yjsMessageBytes: 1 << 20,
  /** Notes on one board; an update that would add more is refused (`board_full`). */
  boardNotes: 500,
  /** A board's stored state (snapshot + logged updates); an update past it is refused (`too_large`). */
  boardBytes: 4 << 20,
} as const;
