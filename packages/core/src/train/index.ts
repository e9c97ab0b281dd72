export * from './decay.js';
export * from './schedule.js';
export * from './settings.js';
export * from './state.js';
export * from './trainer.js';
