export * from './chromium.js';
export * from './compare.js';
export * from './core-checks.js';
export * from './cross-backend.js';
export * from './fixtures.js';
export * from './matrix.js';
export * from './random-model.js';
export * from './runner.js';
