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

class SqliteDriver implements SqlDriver {
  readonly dialect = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly mutex = new Mutex();
  private readonly stmts = new Map<string, Database.Statement>();
  private readonly conn: SqlConn;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a crash of the process loses nothing committed; a power cut may lose the last transactions.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
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
    return this.mutex.run(async () => {
      this.db.exec(mode === 'write' ? 'BEGIN IMMEDIATE' : 'BEGIN');
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
