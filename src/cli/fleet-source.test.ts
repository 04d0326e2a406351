import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinCatalog } from '../catalog/index.js';
import { isTesseraError } from '../lib/errors.js';
import { readTextFile, repoRoot, resolveFleet, sharedDir } from './fleet-source.js';
import { memoryIo } from './io.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-fleet-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function caught(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (isTesseraError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected an error');
}

describe('readTextFile', () => {
  it('refuses a file above the limit before reading it', () => {
    const path = join(dir, 'big.yaml');
    writeFileSync(path, 'x'.repeat(4096));
    expect(caught(() => readTextFile(path, 1024, 'fleet file'))).toEqual({
      code: 'too_large',
      message: `${path}: the fleet file is 4.0 KiB, above the 1.0 KiB limit; split it or group identical nodes into node groups`,
    });
  });

  it('a folder and a missing file are one sentence each', () => {
    mkdirSync(join(dir, 'sub'));
    expect(caught(() => readTextFile(join(dir, 'sub'), 1024, 'fleet file'))).toEqual({ code: 'invalid_input', message: `${join(dir, 'sub')} is a folder, not a fleet file` });
    expect(caught(() => readTextFile(join(dir, 'none.yaml'), 1024, 'fleet file'))).toEqual({ code: 'not_found', message: `No such fleet file: ${join(dir, 'none.yaml')}` });
  });
});

describe('resolveFleet', () => {
  const catalog = builtinCatalog();

  it('finds the repository root and the shared folder beside it', () => {
    expect(repoRoot()).toBe(new URL('../../', import.meta.url).pathname.replace(/\/$/, ''));
    expect(sharedDir(memoryIo({}))).toBe(join(repoRoot(), '..', 'shared'));
    expect(sharedDir(memoryIo({ TESSERA_SHARED_DIR: '/data/shared' }))).toBe('/data/shared');
  });

  it('a trace fleet whose data is missing names the path and the variable', () => {
    const io = memoryIo({ TESSERA_SHARED_DIR: join(dir, 'no-shared') });
    expect(caught(() => resolveFleet('openb', io, catalog)).message).toBe(
      `Fleet "openb" is imported from ${join(dir, 'no-shared', 'data/openb/openb_node_list_gpu_node.csv')}, which does not exist; set TESSERA_SHARED_DIR to the shared folder`,
    );
  });

  it('a path-like argument is a file even when it matches a built-in name', () => {
    writeFileSync(join(dir, 'demo.yaml'), 'name: mine\nclusters: [{id: a}]\nnodeGroups: [{id: g, cluster: a, chip: h20, servers: 1, cardsPerServer: 8}]\n');
    const resolved = resolveFleet('demo.yaml', memoryIo({}, dir), catalog);
    expect([resolved.kind, resolved.fleet.name, resolved.fleet.cards]).toEqual(['file', 'mine', 8]);
    expect(resolveFleet('demo', memoryIo({}, dir), catalog).kind).toBe('builtin');
  });

  it('a YAML file with a byte-order mark and CRLF line ends', () => {
    writeFileSync(join(dir, 'crlf.yaml'), '\ufeffname: w\r\nclusters: [{id: a}]\r\nnodeGroups:\r\n  - {id: g, cluster: a, chip: h20, servers: 2, cardsPerServer: 8}\r\n');
    expect(resolveFleet('crlf.yaml', memoryIo({}, dir), catalog).fleet.nodes.map((n) => n.id)).toEqual(['g-0', 'g-1']);
  });
});
