/**
 * The built console (web/dist) held in memory with a gzipped copy of each file: a few hundred kB,
 * read once at start. Hashed assets are cached forever; index.html is revalidated so a new build
 * is picked up on reload.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export interface StaticFile {
  body: Buffer;
  gzip: Buffer | null;
  type: string;
  immutable: boolean;
}

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** The repository root: the nearest folder above this module with Tessera's package.json. */
export function repoRoot(from = dirname(fileURLToPath(import.meta.url))): string | null {
  let dir = from;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'tessera') return dir;
      } catch {
        // An unreadable package.json is not ours; keep climbing.
      }
    }
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/** TESSERA_CONSOLE_DIR, else <repo>/web/dist. */
export function consoleDir(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.TESSERA_CONSOLE_DIR) return env.TESSERA_CONSOLE_DIR;
  const root = repoRoot();
  return root ? join(root, 'web', 'dist') : null;
}

/** Every file under `dir` by URL path (`/index.html`, `/assets/index-ab12.js`); empty when the console is not built. */
export function loadStaticFiles(dir: string | null): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  if (!dir || !existsSync(join(dir, 'index.html'))) return files;
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else {
        const body = readFileSync(path);
        const type = types[extname(name)] ?? 'application/octet-stream';
        const compressible = /text|javascript|json|svg/.test(type) && body.length > 512;
        const url = '/' + relative(dir, path).split(sep).join('/');
        files.set(url, { body, gzip: compressible ? gzipSync(body, { level: 9 }) : null, type, immutable: url.startsWith('/assets/') });
      }
    }
  };
  walk(dir);
  return files;
}
