/** The structured expert interview: guide, themes, answers and their summary (pure; zod schemas live in ./schemas.ts, server only). */
export * from './types.js';
export * from './guide.js';
export * from './answers.js';
export * from './summary.js';
export * from './reduce.js';
export * from './events.js';
