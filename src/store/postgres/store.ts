/**
 * PostgreSQL backend (pg): for several control planes on one database (hot standby, HA).
 * SQL is written once with `?` placeholders and numbered here. BIGINT comes back as a number
 * (epoch milliseconds and counters stay far below 2^53).
 */
import pg from 'pg';
import type { SqlConn, SqlDriver, TxMode } from '../sql/driver.js';
import { SqlStore } from '../sql/sql-store.js';
import { migrations } from './migrations.js';

const types = {
  getTypeParser: ((oid: number, format?: string) => {
    if (oid === 20 || oid === 1700) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as 'text');
  }) as typeof pg.types.getTypeParser,
};

const numbered = new Map<string, string>();
function toPg(sql: string): string {
  let out = numbered.get(sql);
  if (out === undefined) {
    let i = 0;
    out = sql.replace(/\?/g, () => `$${++i}`);
    numbered.set(sql, out);
  }
  return out;
}

function conn(q: (text: string, values: unknown[]) => Promise<pg.QueryResult>): SqlConn {
  return {
    all: async <T>(sql: string, params: unknown[] = []) => (await q(toPg(sql), params)).rows as T[],
    get: async <T>(sql: string, params: unknown[] = []) => (await q(toPg(sql), params)).rows[0] as T | undefined,
    run: async (sql: string, params: unknown[] = []) => (await q(toPg(sql), params)).rowCount ?? 0,
  };
}

class PostgresDriver implements SqlDriver {
  readonly dialect = 'postgres' as const;
  private readonly pool: pg.Pool;
  private readonly top: SqlConn;

  constructor(url: string, max: number) {
    this.pool = new pg.Pool({ connectionString: url, max, types });
    // An idle client that loses its server must not crash the process; the next query reports it.
    this.pool.on('error', () => undefined);
    this.top = conn((text, values) => this.pool.query(text, values));
  }

  all<T>(sql: string, params?: unknown[]): Promise<T[]> {
    return this.top.all<T>(sql, params);
  }
  get<T>(sql: string, params?: unknown[]): Promise<T | undefined> {
    return this.top.get<T>(sql, params);
  }
  run(sql: string, params?: unknown[]): Promise<number> {
    return this.top.run(sql, params);
  }

  async tx<T>(fn: (c: SqlConn) => Promise<T>, mode: TxMode = 'write'): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query(mode === 'snapshot' ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN');
      const out = await fn(conn((text, values) => client.query(text, values)));
      await client.query('COMMIT');
      return out;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  async lockEvents(c: SqlConn): Promise<void> {
    // bigserial ids are handed out at insert, not at commit; holding this lock to commit makes them commit in order.
    await c.get('SELECT pg_advisory_xact_lock(7246002)');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

export async function openPostgresStore(opts: { url: string; now?: () => number; poolSize?: number }): Promise<SqlStore> {
  const store = new SqlStore(new PostgresDriver(opts.url, opts.poolSize ?? 10), opts.now);
  await store.init(migrations);
  return store;
}
