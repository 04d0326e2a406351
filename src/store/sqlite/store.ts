/**
 * SQLite backend (better-sqlite3): the embedded default, one file, WAL so readers never block the
 * writer. better-sqlite3 is synchronous; a mutex keeps one transaction at a time on the connection.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { SqlConn, SqlDriver, TxMode } from '../sql/driver.js';
import { Mutex } from '../sql/mutex.js';
import { SqlStore } from '../sql/sql-store.js';
import { migrations } from './migrations.js';

export const defaultSqlitePath = './data/tessera.db';
/** How long a statement waits for another connection's write lock. */
const busyTimeoutMs = 5000;
/** Most write transactions sharing one commit. */
const groupCommitMax = 128;

class SqliteDriver implements SqlDriver {
  readonly dialect = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly mutex = new Mutex();
  private readonly stmts = new Map<string, Database.Statement>();
  private readonly conn: SqlConn;
  private readonly pending: { fn: (c: SqlConn) => Promise<unknown>; resolve: (v: unknown) => void; reject: (e: unknown) => void }[] = [];
  private drainScheduled = false;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a crash of the process loses nothing committed; a power cut may lose the last transactions.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    this.db.pragma('foreign_keys = ON');
    const stmt = (sql: string): Database.Statement => {
      let s = this.stmts.get(sql);
      if (!s) {
        s = this.db.prepare(sql);
        this.stmts.set(sql, s);
      }
      return s;
    };
    this.conn = {
      all: async <T>(sql: string, params: unknown[] = []) => {
        const s = stmt(sql);
        return (s.reader ? s.all(...params) : (s.run(...params), [])) as T[];
      },
      get: async <T>(sql: string, params: unknown[] = []) => {
        const s = stmt(sql);
        return (s.reader ? s.get(...params) : (s.run(...params), undefined)) as T | undefined;
      },
      run: async (sql: string, params: unknown[] = []) => {
        const s = stmt(sql);
        if (s.reader) {
          s.all(...params);
          return 0;
        }
        return s.run(...params).changes;
      },
    };
  }

  all<T>(sql: string, params?: unknown[]): Promise<T[]> {
    return this.mutex.run(() => this.conn.all<T>(sql, params));
  }
  get<T>(sql: string, params?: unknown[]): Promise<T | undefined> {
    return this.mutex.run(() => this.conn.get<T>(sql, params));
  }
  run(sql: string, params?: unknown[]): Promise<number> {
    return this.mutex.run(() => this.conn.run(sql, params));
  }

  tx<T>(fn: (c: SqlConn) => Promise<T>, mode: TxMode = 'write'): Promise<T> {
    if (mode === 'snapshot') {
      return this.mutex.run(async () => {
        this.db.exec('BEGIN');
        try {
          const out = await fn(this.conn);
          this.db.exec('COMMIT');
          return out;
        } catch (e) {
          if (this.db.inTransaction) this.db.exec('ROLLBACK');
          throw e;
        }
      });
    }
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ fn: fn as (c: SqlConn) => Promise<unknown>, resolve: resolve as (v: unknown) => void, reject });
      if (!this.drainScheduled) {
        this.drainScheduled = true;
        // Wait one turn of the event loop so that writes arriving together commit together.
        setImmediate(() => void this.drain());
      }
    });
  }

  /**
   * Group commit: the write transactions queued since the last turn run in one SQLite transaction,
   * each inside its own savepoint (a failing one rolls back alone and gets its error), and all are
   * answered only after the one COMMIT, so nothing is acknowledged before it is durable. The
   * commit, not the statements, is what costs; sharing it is what lets submissions scale.
   */
  private async drain(): Promise<void> {
    this.drainScheduled = false;
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, groupCommitMax);
      await this.mutex.run(async () => {
        const results: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
        try {
          await this.beginImmediate();
          for (const item of batch) {
            this.db.exec('SAVEPOINT tx');
            try {
              const value = await item.fn(this.conn);
              this.db.exec('RELEASE tx');
              results.push({ ok: true, value });
            } catch (error) {
              this.db.exec('ROLLBACK TO tx');
              this.db.exec('RELEASE tx');
              results.push({ ok: false, error });
            }
          }
          this.db.exec('COMMIT');
        } catch (e) {
          if (this.db.inTransaction) this.db.exec('ROLLBACK');
          for (const item of batch) item.reject(e);
          return;
        }
        batch.forEach((item, i) => {
          const r = results[i]!;
          if (r.ok) item.resolve(r.value);
          else item.reject(r.error);
        });
      });
    }
  }

  /**
   * Takes the write lock without sleeping in SQLite's busy handler: better-sqlite3 is synchronous, so
   * that sleep would stall this thread's event loop (every request, not just this write) while another
   * connection (the scheduling worker) writes. A busy attempt is retried after a timer instead, every
   * 1-2 ms (a failed attempt costs microseconds), so the API takes the lock in the worker's pauses
   * between its write chunks rather than sleeping through them.
   */
  private async beginImmediate(): Promise<void> {
    const deadline = performance.now() + busyTimeoutMs;
    this.db.pragma('busy_timeout = 0');
    try {
      for (let wait = 1; ; wait = Math.min(wait * 2, 2)) {
        try {
          this.db.exec('BEGIN IMMEDIATE');
          return;
        } catch (e) {
          if ((e as { code?: string }).code !== 'SQLITE_BUSY' || performance.now() > deadline) throw e;
        }
        await new Promise((r) => setTimeout(r, wait));
      }
    } finally {
      this.db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    }
  }

  async lockEvents(): Promise<void> {
    // One writer at a time already: ids commit in order.
  }

  async close(): Promise<void> {
    await this.mutex.run(async () => this.db.close());
  }
}

export async function openSqliteStore(opts: { path?: string; now?: () => number } = {}): Promise<SqlStore> {
  const store = new SqlStore(new SqliteDriver(opts.path ?? defaultSqlitePath), opts.now);
  await store.init(migrations);
  return store;
}
