/** Statistics for expert assessment and voting: pure functions, no dependencies. */
export * from './descriptive.js';
export * from './ranks.js';
export * from './correlation.js';
export * from './gamma.js';
export * from './chisquare.js';
export * from './kendall.js';
export * from './fleiss.js';
export * from './borda.js';
export * from './majority.js';
export * from './interpret.js';
export * from './outliers.js';
