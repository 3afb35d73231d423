export * from './session.js';
export * from './board.js';
export * from './http.js';
export * from './templates.js';
export * from './ids.js';
export * from './workspace.js';
export * from './project-documents.js';
export * from './projects.js';
