/**
 * One PostgreSQL server per test file, or a clear skip (a fail under CI=true, where the server must
 * be available) when it cannot start here.
 */
import { pgUnavailableReason, startPostgres, type PgServer } from './start-postgres.js';

export interface PgAvailability {
  /** Null when tests should run; else why they are skipped. */
  skipReason: string | null;
}

export function pgAvailability(): PgAvailability {
  const reason = pgUnavailableReason();
  if (reason && process.env.CI === 'true') throw new Error(`PostgreSQL tests cannot run under CI=true: ${reason}`);
  return { skipReason: reason };
}

let server: Promise<PgServer> | null = null;
let dbCounter = 0;

export function sharedPostgres(): Promise<PgServer> {
  server ??= startPostgres();
  return server;
}

export async function freshDatabase(): Promise<string> {
  const s = await sharedPostgres();
  return s.createDatabase(`t${process.pid}_${++dbCounter}`);
}

export async function stopSharedPostgres(): Promise<void> {
  if (server) await (await server).stop();
  server = null;
}
