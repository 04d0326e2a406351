/**
 * Tables whose DDL is the same in SQLite and PostgreSQL (TEXT, BIGINT, INTEGER, DOUBLE PRECISION,
 * partial indexes). Only auto-increment ids differ; each backend's migrations.ts adds those.
 * JSON lives in TEXT columns so both backends read and write it the same way.
 */
export const commonTables = `
CREATE TABLE tenants (id TEXT PRIMARY KEY, name TEXT NOT NULL, quota TEXT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);
CREATE TABLE queues (tenant TEXT NOT NULL, name TEXT NOT NULL, weight DOUBLE PRECISION NOT NULL, priority INTEGER NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (tenant, name));
CREATE TABLE tokens (id TEXT PRIMARY KEY, name TEXT NOT NULL, hash TEXT NOT NULL UNIQUE, role TEXT NOT NULL, tenant TEXT, node_id TEXT, created_at BIGINT NOT NULL, created_by TEXT NOT NULL, revoked_at BIGINT);
CREATE TABLE jobs (
  id TEXT PRIMARY KEY, tenant TEXT NOT NULL, queue TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL, state TEXT NOT NULL,
  priority INTEGER NOT NULL, spec TEXT NOT NULL, spec_hash TEXT NOT NULL, version INTEGER NOT NULL, attempt INTEGER NOT NULL,
  service_id TEXT, idem_key TEXT, cards INTEGER NOT NULL, milli INTEGER NOT NULL, chip TEXT, placements TEXT, reason TEXT, exit_code INTEGER, explain TEXT,
  submitted_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, not_before BIGINT, scheduled_at BIGINT, started_at BIGINT, finished_at BIGINT, acked_at BIGINT,
  run_ms BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX jobs_idem ON jobs (tenant, idem_key) WHERE idem_key IS NOT NULL;
CREATE INDEX jobs_state ON jobs (state);
CREATE INDEX jobs_tenant ON jobs (tenant, submitted_at);
CREATE INDEX jobs_service ON jobs (service_id) WHERE service_id IS NOT NULL;
CREATE TABLE nodes (
  id TEXT PRIMARY KEY, cluster TEXT NOT NULL, chip TEXT NOT NULL, rack TEXT NOT NULL, link_domain_size INTEGER NOT NULL, cards INTEGER NOT NULL,
  stacks TEXT NOT NULL, labels TEXT NOT NULL, state TEXT NOT NULL, schedulable INTEGER NOT NULL, simulated INTEGER NOT NULL,
  cpu_milli BIGINT, memory_mib BIGINT, agent_version TEXT, registered_at BIGINT NOT NULL, last_heartbeat_at BIGINT NOT NULL, telemetry TEXT
);
CREATE TABLE devices (node_id TEXT NOT NULL, idx INTEGER NOT NULL, uuid TEXT, healthy INTEGER NOT NULL, used_milli INTEGER NOT NULL, telemetry TEXT, PRIMARY KEY (node_id, idx),
  CHECK (used_milli >= 0 AND used_milli <= 1000));
CREATE TABLE allocations (job_id TEXT NOT NULL, attempt INTEGER NOT NULL, node_id TEXT NOT NULL, idx INTEGER NOT NULL, milli INTEGER NOT NULL, PRIMARY KEY (job_id, node_id, idx));
CREATE INDEX allocations_node ON allocations (node_id);
CREATE TABLE services (id TEXT PRIMARY KEY, tenant TEXT NOT NULL, name TEXT NOT NULL, spec TEXT NOT NULL, state TEXT NOT NULL, version INTEGER NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);
CREATE TABLE job_logs (job_id TEXT NOT NULL, attempt INTEGER NOT NULL, seq INTEGER NOT NULL, stream TEXT NOT NULL, at BIGINT NOT NULL, text TEXT NOT NULL, PRIMARY KEY (job_id, attempt, seq));
CREATE TABLE leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, epoch BIGINT NOT NULL, expires_at BIGINT NOT NULL);
`;
