export * from './errors.js';
export * from './rng.js';
export * from './stats.js';
