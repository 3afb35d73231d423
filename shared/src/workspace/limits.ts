/** Sizes a workspace's records are bounded by; the schemas and the meeting rules check them. */
export const WORKSPACE_LIMITS = {
  login: 64,
  name: 120,
  password: 200,
  passwordMin: 8,
  title: 300,
  organisation: 300,
  place: 200,
  text: 4000,
  summary: 2000,
  members: 200,
  itemsPerMeeting: 50,
  speakersPerItem: 100,
  decisionsPerItem: 50,
  guests: 100,
  invitationUses: 500,
  invitationDays: 90,
} as const;
