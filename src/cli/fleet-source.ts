/**
 * Resolves a fleet argument for the CLI: a built-in name (`unicom-2025`, `demo`), a trace fleet
 * imported from the shared data folder (`openb`, `alibaba-2026`, `pai-2020`), or a YAML/JSON file.
 * This is where the file I/O for fleets lives; the fleet core stays pure.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Catalog } from '../catalog/catalog.js';
import {
  builtinFleetDoc,
  builtinFleets,
  expandFleet,
  fleetTooLarge,
  findBuiltinFleet,
  importBuiltinFleet,
  MAX_CSV_BYTES,
  MAX_FLEET_FILE_BYTES,
  parseFleet,
  type CsvFleetImport,
  type Fleet,
} from '../fleet/index.js';
import { invalid, notFound } from '../lib/errors.js';
import type { CliIo } from './io.js';

export interface ResolvedFleet {
  fleet: Fleet;
  /** `builtin:<name>`, the CSV path of a trace fleet, or the fleet file's path as given. */
  origin: string;
  kind: 'builtin' | 'trace' | 'file';
  /** For trace fleets: rows read and machines left out. */
  import?: CsvFleetImport;
}

/** The repository root: the nearest folder above this module with Tessera's package.json. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && /"name"\s*:\s*"tessera"/.test(readFileSync(pkg, 'utf8'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

/** `TESSERA_SHARED_DIR` if set, else `<repo root>/../shared`. */
export function sharedDir(io: CliIo): string {
  const fromEnv = io.env.TESSERA_SHARED_DIR;
  return fromEnv ? resolve(io.cwd, fromEnv) : resolve(repoRoot(), '..', 'shared');
}

/** Reads a text file with a size limit checked before reading, and errors in one sentence. */
export function readTextFile(path: string, maxBytes: number, what: string): string {
  let size: number;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw invalid(`${path} is a folder, not a ${what}`);
    size = stat.size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw notFound(`No such ${what}: ${path}`);
    if ((e as NodeJS.ErrnoException).code === 'EACCES') throw invalid(`Cannot read ${path}: permission denied`);
    throw e;
  }
  if (size > maxBytes) throw what === 'fleet file' ? fleetTooLarge(path, size, maxBytes) : fleetTooLarge(path, size, maxBytes, what, 'split it');
  return readFileSync(path, 'utf8');
}

function looksLikePath(arg: string): boolean {
  return arg.includes('/') || arg.includes('\\') || /\.(ya?ml|json)$/i.test(arg);
}

/** Resolves and expands a fleet argument; every failure is a TesseraError with one clear sentence. */
export function resolveFleet(arg: string, io: CliIo, catalog: Catalog): ResolvedFleet {
  const builtin = looksLikePath(arg) ? undefined : findBuiltinFleet(arg);
  if (builtin?.kind === 'data') {
    return { fleet: expandFleet(builtinFleetDoc(builtin.name, catalog)), origin: `builtin:${builtin.name}`, kind: 'builtin' };
  }
  if (builtin?.kind === 'csv') {
    const path = join(sharedDir(io), builtin.dataPath);
    if (!existsSync(path)) {
      throw notFound(`Fleet "${builtin.name}" is imported from ${path}, which does not exist; set TESSERA_SHARED_DIR to the shared folder`);
    }
    const imported = importBuiltinFleet(builtin.name, readTextFile(path, MAX_CSV_BYTES, 'node list'), catalog);
    return { fleet: expandFleet(imported.doc), origin: path, kind: 'trace', import: imported };
  }
  const path = isAbsolute(arg) ? arg : resolve(io.cwd, arg);
  if (!looksLikePath(arg) && !existsSync(path)) {
    throw notFound(`No built-in fleet or file named "${arg}". Built-in fleets: ${builtinFleets.map((f) => f.name).join(', ')}.`);
  }
  const text = readTextFile(path, MAX_FLEET_FILE_BYTES, 'fleet file');
  return { fleet: expandFleet(parseFleet(text, arg, catalog)), origin: arg, kind: 'file' };
}
