/**
 * The little each backend must provide: run SQL (written once, with `?` placeholders) and run a
 * function inside one transaction. The domain logic above it is shared, so both backends behave
 * the same by construction and the conformance suite checks the rest.
 */
export interface SqlConn {
  all<T>(sql: string, params?: unknown[]): Promise<T[]>;
  get<T>(sql: string, params?: unknown[]): Promise<T | undefined>;
  /** Returns the number of rows changed. */
  run(sql: string, params?: unknown[]): Promise<number>;
}

export interface SqlDriver extends SqlConn {
  readonly dialect: 'sqlite' | 'postgres';
  /** Runs `fn` in one transaction; commits when it resolves, rolls back when it throws. */
  tx<T>(fn: (c: SqlConn) => Promise<T>, mode?: TxMode): Promise<T>;
  /** Inside a transaction: serialise event writers so event ids commit in id order (SSE resume never skips one). */
  lockEvents(c: SqlConn): Promise<void>;
  close(): Promise<void>;
}

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** `write` (default) or `snapshot`: a read-only transaction that sees one consistent state. */
export type TxMode = 'write' | 'snapshot';
