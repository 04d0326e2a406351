/** SQLite schema, as versioned migrations applied in order; never edit an applied one, add the next. */
import type { Migration } from '../sql/driver.js';
import { servingMigrations, snapshotIndexMigration } from '../sql/portable-migrations.js';
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
  snapshotIndexMigration,
  {
    version: 3,
    name: 'log lines keyed by node rank; per-rank exits of multi-node jobs',
    // Two ranks of one job used to share (job, attempt, seq) and overwrite each other; agents worked around it
    // with seq ranges of 100,000,000 per rank, which the copy below unfolds. The id orders lines by arrival
    // so all ranks read interleaved, and is the cursor a follower resumes after.
    sql: `CREATE TABLE job_log_lines (id INTEGER PRIMARY KEY AUTOINCREMENT, job_id TEXT NOT NULL, attempt INTEGER NOT NULL, node_rank INTEGER NOT NULL, node_id TEXT, seq INTEGER NOT NULL, stream TEXT NOT NULL, at BIGINT NOT NULL, text TEXT NOT NULL);
CREATE UNIQUE INDEX job_log_lines_key ON job_log_lines (job_id, attempt, node_rank, seq);
CREATE INDEX job_log_lines_read ON job_log_lines (job_id, attempt, id);
INSERT INTO job_log_lines (job_id, attempt, node_rank, node_id, seq, stream, at, text)
  SELECT job_id, attempt, seq / 100000000, NULL, seq % 100000000, stream, at, text FROM job_logs ORDER BY at, job_id, attempt, seq;
DROP TABLE job_logs;
CREATE TABLE job_rank_exits (job_id TEXT NOT NULL, attempt INTEGER NOT NULL, node_rank INTEGER NOT NULL, node_id TEXT NOT NULL, exit_code INTEGER NOT NULL, signal TEXT, at BIGINT NOT NULL, PRIMARY KEY (job_id, attempt, node_rank));`,
  },
  ...servingMigrations,
];
