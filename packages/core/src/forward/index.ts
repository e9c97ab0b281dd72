export * from './assemble.js';
export * from './attention.js';
export * from './constants.js';
export * from './lifecycle.js';
export * from './prepare.js';
