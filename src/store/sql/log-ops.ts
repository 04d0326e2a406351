/**
 * Log lines and per-rank exits, keyed by node rank so the ranks of a multi-node job never overwrite
 * each other's lines (each rank numbers its own chunks from 1). Every function runs in the caller's
 * connection or transaction.
 */
import type { LogChunk, LogQuery, LogRecord, RankExit } from '../types.js';
import type { SqlConn } from './driver.js';

type Row = Record<string, unknown>;

/** Stores the chunks not stored yet; a chunk resent after an outage is skipped, not doubled. Returns how many were new. */
export async function insertLogLines(c: SqlConn, at: number, jobId: string, attempt: number, from: { nodeRank: number; nodeId: string | null }, chunks: LogChunk[]): Promise<number> {
  let n = 0;
  for (const ch of chunks) {
    n += await c.run(
      'INSERT INTO job_log_lines (job_id, attempt, node_rank, node_id, seq, stream, at, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (job_id, attempt, node_rank, seq) DO NOTHING',
      [jobId, attempt, from.nodeRank, from.nodeId, ch.seq, ch.stream, at, ch.text],
    );
  }
  return n;
}

export async function selectLogLines(c: SqlConn, jobId: string, q: LogQuery): Promise<LogRecord[]> {
  const attempt = q.attempt ?? (await c.get<{ a: number | null }>('SELECT MAX(attempt) AS a FROM job_log_lines WHERE job_id = ?', [jobId]))?.a ?? null;
  if (attempt === null) return [];
  const rank = q.nodeRank === undefined ? '' : 'AND node_rank = ?';
  const params: unknown[] = [jobId, Number(attempt), q.after, ...(q.nodeRank === undefined ? [] : [q.nodeRank]), q.limit];
  const rows = await c.all<Row>(`SELECT id, job_id, attempt, node_rank, node_id, seq, stream, at, text FROM job_log_lines WHERE job_id = ? AND attempt = ? AND id > ? ${rank} ORDER BY id LIMIT ?`, params);
  return rows.map((r) => ({
    jobId: String(r.job_id),
    attempt: Number(r.attempt),
    nodeRank: Number(r.node_rank),
    nodeId: r.node_id === null || r.node_id === undefined ? null : String(r.node_id),
    cursor: Number(r.id),
    seq: Number(r.seq),
    stream: String(r.stream) as LogRecord['stream'],
    atMs: Number(r.at),
    text: String(r.text),
  }));
}

/** Records a rank's exit once (a resent report keeps the first) and returns every exit of the attempt so far. */
export async function upsertRankExit(c: SqlConn, at: number, jobId: string, attempt: number, e: Omit<RankExit, 'atMs'>): Promise<RankExit[]> {
  await c.run('INSERT INTO job_rank_exits (job_id, attempt, node_rank, node_id, exit_code, signal, at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (job_id, attempt, node_rank) DO NOTHING', [
    jobId,
    attempt,
    e.nodeRank,
    e.nodeId,
    e.exitCode,
    e.signal,
    at,
  ]);
  return selectRankExits(c, jobId, attempt);
}

export async function selectRankExits(c: SqlConn, jobId: string, attempt: number): Promise<RankExit[]> {
  const rows = await c.all<Row>('SELECT node_rank, node_id, exit_code, signal, at FROM job_rank_exits WHERE job_id = ? AND attempt = ? ORDER BY node_rank', [jobId, attempt]);
  return rows.map((r) => ({ nodeRank: Number(r.node_rank), nodeId: String(r.node_id), exitCode: Number(r.exit_code), signal: r.signal === null || r.signal === undefined ? null : String(r.signal), atMs: Number(r.at) }));
}
