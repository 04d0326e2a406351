/**
 * Migrations whose SQL is the same for SQLite and PostgreSQL; each backend's list interleaves them
 * with its own by version. Never edit an applied one, add the next.
 */
import type { Migration } from './driver.js';

export const snapshotIndexMigration: Migration = {
  version: 2,
  name: 'covering index for the scheduling snapshot',
  // The loop lists waiting and running jobs by (id, version) every cycle and re-reads only the changed ones.
  sql: 'CREATE INDEX jobs_state_version ON jobs (state, id, version, not_before)',
};

/** Versions 4 onwards: serving (replica endpoints, token usage, per-service traffic and demand). */
export const servingMigrations: Migration[] = [
  {
    version: 4,
    name: 'replica endpoints and token usage',
    // Endpoints are keyed by job and carry the attempt they belong to, so a restarted replica's old URL is never served.
    sql: `CREATE TABLE replica_endpoints (job_id TEXT PRIMARY KEY, job_attempt INTEGER NOT NULL, url TEXT NOT NULL, simulated INTEGER NOT NULL, reported_at BIGINT NOT NULL);
CREATE TABLE token_usage (tenant TEXT NOT NULL, model TEXT NOT NULL, chip TEXT NOT NULL, requests BIGINT NOT NULL, errors BIGINT NOT NULL, prompt_tokens BIGINT NOT NULL, completion_tokens BIGINT NOT NULL, PRIMARY KEY (tenant, model, chip));`,
  },
  {
    version: 5,
    name: 'per-minute traffic, latency and SLO attainment per model and chip',
    // Histograms are JSON arrays of counts per the gateway's fixed latency bounds, so percentiles over any window add up exactly.
    sql: `CREATE TABLE service_traffic (model TEXT NOT NULL, chip TEXT NOT NULL, minute_ms BIGINT NOT NULL, requests BIGINT NOT NULL, errors BIGINT NOT NULL, slo_judged BIGINT NOT NULL, slo_met BIGINT NOT NULL, ttft_hist TEXT NOT NULL, tpot_hist TEXT NOT NULL, PRIMARY KEY (model, chip, minute_ms));
CREATE INDEX service_traffic_minute ON service_traffic (model, minute_ms);`,
  },
  {
    version: 6,
    name: 'per-minute traffic keyed by service',
    // Two services may serve one model (two tenants' services, say): their traffic and SLO attainment
    // must not mix. Rows from before carry no service ('') and no longer show on any service.
    sql: `CREATE TABLE service_traffic_v6 (service TEXT NOT NULL, model TEXT NOT NULL, chip TEXT NOT NULL, minute_ms BIGINT NOT NULL, requests BIGINT NOT NULL, errors BIGINT NOT NULL, slo_judged BIGINT NOT NULL, slo_met BIGINT NOT NULL, ttft_hist TEXT NOT NULL, tpot_hist TEXT NOT NULL, PRIMARY KEY (service, model, chip, minute_ms));
INSERT INTO service_traffic_v6 (service, model, chip, minute_ms, requests, errors, slo_judged, slo_met, ttft_hist, tpot_hist) SELECT '', model, chip, minute_ms, requests, errors, slo_judged, slo_met, ttft_hist, tpot_hist FROM service_traffic;
DROP TABLE service_traffic;
ALTER TABLE service_traffic_v6 RENAME TO service_traffic;
CREATE INDEX service_traffic_service_minute ON service_traffic (service, minute_ms);
CREATE INDEX service_traffic_minute_only ON service_traffic (minute_ms);`,
  },
  {
    version: 7,
    name: 'per-minute demand per service in the planner size cells',
    // Every gateway's demand (served or shed) reaches the store, so the leader's autoscaler plans on all of it.
    sql: `CREATE TABLE service_demand (service TEXT NOT NULL, model TEXT NOT NULL, minute_ms BIGINT NOT NULL, cells TEXT NOT NULL, PRIMARY KEY (service, model, minute_ms));
CREATE INDEX service_demand_minute ON service_demand (minute_ms);`,
  },
];
