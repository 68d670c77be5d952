export * from './faults.js';
export * from './counters.js';
