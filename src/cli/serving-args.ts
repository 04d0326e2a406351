/** Arguments shared by the serving commands (`plan serving`, `sim routing`): traces, SLOs, numbers. */
import { resolve } from 'node:path';
import { invalid } from '../lib/errors.js';
import { parseTraceCsv, type TraceRequest } from '../plan/serving/index.js';
import { readTextFile, sharedDir } from './fleet-source.js';
import type { CliIo } from './io.js';

const MAX_TRACE_BYTES = 64 * 1024 * 1024;

/** A serving trace CSV by path, or a shared one by name ('splitwise:conv', 'splitwise:code'). */
export function readServingTrace(t: string, io: CliIo): TraceRequest[] {
  const named = /^splitwise:(conv|code)$/.exec(t);
  const path = named ? resolve(sharedDir(io), 'data', 'vidur', 'traces', `splitwise_${named[1]}.csv`) : resolve(io.cwd, t);
  return parseTraceCsv(readTextFile(path, MAX_TRACE_BYTES, 'traffic trace'), t);
}

export function parseSlo(s: string): { ttftMs: number; tpotMs: number } {
  const kv = keyValues(s, '--slo');
  const ttft = kv.get('ttft');
  const tpot = kv.get('tpot');
  if (ttft === undefined || tpot === undefined) throw invalid(`--slo needs both ttft and tpot in milliseconds, e.g. ttft=1000,tpot=50; got '${s}'.`);
  return { ttftMs: num(ttft, '--slo ttft'), tpotMs: num(tpot, '--slo tpot') };
}

export function keyValues(s: string, flag: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const part of s.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw invalid(`${flag} entries look like key=value, got '${part}'.`);
    m.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return m;
}

export function num(s: string, flag: string, allowZero = false): number {
  const v = Number(s);
  if (s.trim() === '' || !Number.isFinite(v) || v < 0 || (!allowZero && v === 0)) throw invalid(`${flag} must be a positive number, got '${s}'.`);
  return v;
}

export function int(s: string, flag: string, allowZero = false): number {
  const v = num(s, flag, allowZero);
  if (!Number.isInteger(v)) throw invalid(`${flag} must be a whole number, got '${s}'.`);
  return v;
}
