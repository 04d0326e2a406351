/** SQLite schema, as versioned migrations applied in order; never edit an applied one, add the next. */
import type { Migration } from '../sql/driver.js';
import { commonTables } from '../sql/schema.js';

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `${commonTables}
CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, at BIGINT NOT NULL, type TEXT NOT NULL, subject TEXT NOT NULL, tenant TEXT, data TEXT NOT NULL);
CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, at BIGINT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, subject TEXT NOT NULL, tenant TEXT, detail TEXT NOT NULL);
CREATE INDEX events_tenant ON events (tenant, id);`,
  },
  {
    version: 2,
    name: 'covering index for the scheduling snapshot',
    // The loop lists waiting and running jobs by (id, version) every cycle and re-reads only the changed ones.
    sql: 'CREATE INDEX jobs_state_version ON jobs (state, id, version, not_before)',
  },
];
