import { invalid } from '../../lib/errors.js';
import type { TraceRequest } from './buckets.js';

/** Vidur/Splitwise trace CSV: arrived_at (s), num_prefill_tokens, num_decode_tokens. */
export function parseTraceCsv(text: string, file: string): TraceRequest[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  const col = (names: string[]): number => header.findIndex((h) => names.includes(h));
  const a = col(['arrived_at', 'arrival_time', 'timestamp']);
  const i = col(['num_prefill_tokens', 'input_tokens', 'prompt_tokens']);
  const o = col(['num_decode_tokens', 'output_tokens', 'completion_tokens']);
  if (a < 0 || i < 0 || o < 0) throw invalid(`${file}: the trace needs columns arrived_at, num_prefill_tokens and num_decode_tokens; its header is '${lines[0] ?? ''}'.`);
  return lines.slice(1).map((line, k) => {
    const cells = line.split(',');
    const v = (c: number, what: string): number => {
      const x = Number(cells[c]);
      if (!Number.isFinite(x) || x < 0) throw invalid(`${file}:${k + 2}: ${what} must be a number >= 0, got '${cells[c] ?? ''}'.`);
      return x;
    };
    return { arrivedAtSec: v(a, header[a] ?? 'arrival'), inputTokens: Math.max(1, v(i, header[i] ?? 'input')), outputTokens: Math.max(1, v(o, header[o] ?? 'output')) };
  });
}
