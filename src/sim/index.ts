/**
 * The simulator: a discrete-event core driving the pure scheduler on a virtual clock (`core/`), trace
 * adapters (`traces/`), Gavel's round-based experiment on the LP policies (`gavel/`) and the HTML
 * report (`report/`).
 */
export * from './core/index.js';
export * from './traces/index.js';
export * from './gavel/index.js';
export * from './report/index.js';
