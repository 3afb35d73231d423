/** The general ballot engine: model, answer checks and tallies (pure; zod schemas live in ./schemas.ts, server only). */
export * from './types.js';
export * from './define.js';
export * from './check.js';
export * from './tally.js';
export * from './delphi.js';
export * from './ngt.js';
