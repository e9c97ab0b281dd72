export * from './fixtures.js';
export * from './compare.js';
