export * from './decay.js';
export * from './schedule.js';
export * from './trainer.js';
