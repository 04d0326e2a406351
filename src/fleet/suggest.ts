/** "Did you mean" suggestions for mistyped ids (chip ids, cluster ids). */

/** Levenshtein distance, bounded: returns `max + 1` as soon as the distance must exceed `max`. */
export function editDistance(a: string, b: string, max = Number.MAX_SAFE_INTEGER): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length] ?? max + 1;
}

/**
 * Up to `limit` candidates close to `input`: a candidate that contains the input (or the input's
 * model part, `br104` in `biren-br104`) first, then those within a small edit distance.
 */
export function closeMatches(input: string, candidates: readonly string[], limit = 3): string[] {
  const key = input.trim().toLowerCase();
  if (key === '') return [];
  const scored: { id: string; score: number }[] = [];
  for (const id of candidates) {
    const lower = id.toLowerCase();
    const tail = lower.split('-').slice(1).join('-');
    if (lower.includes(key) || key.includes(lower) || (tail !== '' && key.includes(tail))) {
      scored.push({ id, score: 0 });
      continue;
    }
    const max = Math.max(1, Math.floor(key.length / 3));
    const d = Math.min(editDistance(key, lower, max), tail === '' ? max + 1 : editDistance(key, tail, max));
    if (d <= max) scored.push({ id, score: d });
  }
  // Only the nearest candidates: a typo one edit away should not bring three-edit neighbours along.
  const best = Math.min(...scored.map((s) => s.score));
  const near = scored.filter((s) => s.score <= best + 1).sort((a, b) => a.score - b.score || a.id.localeCompare(b.id));
  return [...new Set(near.map((s) => s.id))].slice(0, limit);
}
