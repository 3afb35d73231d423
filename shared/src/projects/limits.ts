/** Sizes projects, portfolios and files are bounded by; the schemas and the project rules check them. */
export const PROJECT_LIMITS = {
  title: 300,
  name: 120,
  text: 4000,
  reportText: 8000,
  unit: 30,
  /** Indicator values, baselines and targets stay within ±this. */
  value: 1e9,
  indicators: 30,
  milestones: 30,
  team: 50,
  reports: 100,
  attachmentsPerReport: 20,
  criteria: 12,
  /** The widest assessment scale (max − min). */
  scaleSpan: 100,
  comment: 2000,
  products: 200,
  certificates: 200,
  videos: 100,
  notesPerVideo: 200,
  selfRatings: 500,
  url: 2000,
  fileName: 200,
  /** One upload. */
  fileBytes: 10 * 1024 * 1024,
  /** Everything one account has uploaded. */
  accountBytes: 200 * 1024 * 1024,
} as const;
