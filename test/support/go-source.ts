import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Finds Go's `src/math/rand/rng.go` on this machine: `TESSERA_GO_SOURCE`, else a Debian
 * `golang-*-src` package (`/usr/share/go-*`, `/usr/lib/go-*`), else `/usr/local/go`.
 * `.ci/run` installs `golang-1.19-src`, so under CI=true the replay tests never skip.
 */
export function findGoRandSource(env: Record<string, string | undefined> = process.env): string | undefined {
  if (env.TESSERA_GO_SOURCE) return env.TESSERA_GO_SOURCE;
  const roots: string[] = ['/usr/local/go'];
  for (const base of ['/usr/share', '/usr/lib']) {
    try {
      for (const d of readdirSync(base)) if (/^go(-[\d.]+)?$/.test(d)) roots.push(join(base, d));
    } catch {
      // folder absent: nothing to find there
    }
  }
  return roots.map((r) => join(r, 'src/math/rand/rng.go')).find((p) => existsSync(p));
}
