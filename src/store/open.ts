/** Opens the backend a `--db` value names: `postgres://...` or `postgresql://...`, else a SQLite file path. */
import { join } from 'node:path';
import { openPostgresStore } from './postgres/store.js';
import { openSqliteStore } from './sqlite/store.js';
import type { Store } from './store.js';

export async function openStore(opts: { db?: string; dataDir?: string; now?: () => number }): Promise<Store> {
  const db = opts.db;
  if (db && /^postgres(ql)?:\/\//.test(db)) return openPostgresStore({ url: db, ...(opts.now ? { now: opts.now } : {}) });
  const path = db ?? join(opts.dataDir ?? './data', 'tessera.db');
  return openSqliteStore({ path, ...(opts.now ? { now: opts.now } : {}) });
}
