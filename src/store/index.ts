/**
 * The control plane's durable state: one `Store` interface in domain verbs, two backends
 * (SQLite, PostgreSQL) and `openStore` to pick one from a `--db` value.
 */
export * from './types.js';
export type { Store, SubmitOptions, TransitionOptions } from './store.js';
export { openStore } from './open.js';
export { openSqliteStore, defaultSqlitePath } from './sqlite/store.js';
export { openPostgresStore } from './postgres/store.js';
export { hashSecret } from './sql/sql-store.js';
