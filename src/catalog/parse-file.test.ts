import { describe, expect, it } from 'vitest';
import { ErrorCode, TesseraError, ValidationError, type ValidationIssue } from '../lib/errors.js';
import { catalogWith } from './builtin.js';
import { MAX_CATALOG_FILE_BYTES, parseCatalogFile } from './parse-file.js';

/** A valid user file: one new chip citing its own source. Line numbers below refer to it. */
const good = `sources:
  - key: U1
    description: https://example.com/x100 (our lab's measurement)
chips:
  - id: acme-x100
    vendor: metax
    names: { en: Acme X100, zh: 测试 X100 }
    aliases: [x100]
    memoryGiB: { value: 64, source: U1, confidence: declared }
    tdpW:
      value: 350
      source: U1
      confidence: declared
`;

function issues(text: string, name = 'extra.yaml'): ValidationIssue[] {
  try {
    catalogWith([parseCatalogFile(text, name)]);
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).issues;
  }
  throw new Error('expected a validation error');
}

describe('parseCatalogFile', () => {
  it('merges a valid YAML file with the built-in catalog', () => {
    const catalog = catalogWith([parseCatalogFile(good, 'extra.yaml')]);
    expect(catalog.resolve('x100').tdpW).toEqual({ value: 350, source: 'U1', confidence: 'declared' });
    expect(catalog.resolve('h20').id).toBe('nvidia-h20');
    expect(catalog.source('U1')?.description).toContain('lab');
  });

  it('reads JSON too, as a bare list of records', () => {
    const json = JSON.stringify([{ id: 'acme-j1', vendor: 'biren', names: { en: 'J1' }, memoryGiB: { value: 32, source: 'B1', confidence: 'press' } }]);
    expect(catalogWith([parseCatalogFile(json, 'extra.json')]).get('acme-j1').memoryGiB.value).toBe(32);
  });

  it('bad input: a figure of the wrong type names file, line, record and field', () => {
    expect(issues(good.replace('value: 350', 'value: "350 W"'))).toEqual([
      { file: 'extra.yaml', line: 11, recordId: 'acme-x100', path: '/tdpW/value', message: 'must be a number or null (unknown), got "350 W"' },
    ]);
  });

  it('bad input: a negative figure', () => {
    expect(issues(good.replace('value: 350', 'value: -350'))[0]).toMatchObject({ line: 11, path: '/tdpW/value', message: expect.stringContaining('greater than 0, got -350') });
  });

  it('bad input: a zero figure', () => {
    expect(issues(good.replace('value: 64', 'value: 0'))[0]).toMatchObject({ line: 9, path: '/memoryGiB/value', message: expect.stringContaining('got 0') });
  });

  it('bad input: a NaN figure (YAML .nan)', () => {
    expect(issues(good.replace('value: 350', 'value: .nan'))[0]).toMatchObject({ line: 11, path: '/tdpW/value', message: expect.stringContaining('got NaN') });
  });

  it('bad input: an unknown confidence', () => {
    expect(issues(good.replace('confidence: declared }', 'confidence: rumour }'))[0]).toMatchObject({
      line: 9,
      recordId: 'acme-x100',
      path: '/memoryGiB/confidence',
      message: 'confidence "rumour" is not one of: datasheet, press, derived, declared, unknown',
    });
  });

  it('bad input: a known figure without a source', () => {
    expect(issues(good.replace('      source: U1\n', ''))[0]).toMatchObject({ line: 10, path: '/tdpW/source', message: expect.stringContaining('a known figure needs a source') });
  });

  it('bad input: an unknown source key', () => {
    expect(issues(good.replace('source: U1, confidence', 'source: U9, confidence'))[0]).toMatchObject({
      line: 9,
      path: '/memoryGiB/source',
      message: expect.stringContaining('source key "U9" is not in the source list'),
    });
  });

  it('bad input: a duplicate id (a built-in chip)', () => {
    expect(issues(good.replace('id: acme-x100', 'id: nvidia-h20'))[0]).toMatchObject({
      file: 'extra.yaml',
      line: 5,
      recordId: 'nvidia-h20',
      path: '/id',
      message: 'duplicate id "nvidia-h20": already used as the id of nvidia-h20 in src/catalog/data/nvidia.ts',
    });
  });

  it('bad input: a duplicate alias (a built-in alias)', () => {
    expect(issues(good.replace('aliases: [x100]', 'aliases: [ppu]'))[0]).toMatchObject({
      line: 8,
      path: '/aliases/0',
      message: 'duplicate alias "ppu": already used as the alias of thead-ppu in src/catalog/data/thead.ts',
    });
  });

  it('bad input: an id that is not kebab-case', () => {
    expect(issues(good.replace('id: acme-x100', 'id: Acme X100'))[0]).toMatchObject({ line: 5, recordId: 'Acme X100', path: '/id', message: expect.stringContaining('must be kebab-case') });
  });

  it('bad input: a misspelt field', () => {
    expect(issues(good.replace('memoryGiB:', 'memoryGB:'))[0]).toMatchObject({ line: 9, path: '/memoryGB', message: expect.stringContaining('unknown field') });
  });

  it('bad input: a YAML syntax error gives its line', () => {
    expect(issues(good.replace('aliases: [x100]', 'aliases: [x100'))).toEqual([
      expect.objectContaining({ file: 'extra.yaml', line: expect.any(Number), path: '', message: expect.stringMatching(/^YAML syntax error: /) }),
    ]);
    expect(issues('chips:\n  - id: a\n    id: b\n')[0]?.message).toMatch(/^YAML syntax error: .*unique/i);
  });

  it('bad input: a JSON syntax error', () => {
    expect(issues('[{"id": "acme-a",}', 'extra.json')[0]).toMatchObject({ file: 'extra.json', line: 1, message: expect.stringMatching(/^JSON syntax error: /) });
  });

  it.each([
    ['empty', ''],
    ['blank', '  \n\n'],
    ['comments only', '# nothing here\n'],
  ])('bad input: an %s file', (_name, text) => {
    expect(issues(text)).toEqual([{ file: 'extra.yaml', path: '', message: 'the file is empty; expected a list of chip records, or an object with a `chips` list' }]);
  });

  it('bad input: a file over 10 MB is refused before parsing', () => {
    const huge = `# ${'x'.repeat(MAX_CATALOG_FILE_BYTES)}\n`;
    let error: unknown;
    try {
      parseCatalogFile(huge, 'huge.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TesseraError);
    expect((error as TesseraError).code).toBe(ErrorCode.tooLarge);
    expect((error as TesseraError).message).toBe('huge.yaml is 10.0 MB; catalog files are limited to 10 MB');
  });

  it('bad input: an alias bomb is refused, not expanded', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    expect(issues(lines.join('\n'))[0]?.message).toMatch(/^YAML error: .*alias/i);
  });

  it('bad input: wrong top-level shapes', () => {
    expect(issues('42')[0]?.message).toContain('expected a list of chip records');
    expect(issues('chips: 3')[0]).toMatchObject({ path: '/chips', message: '`chips` must be a list of chip records' });
    expect(issues('chipz: []')[0]).toMatchObject({ line: 1, path: '/chipz', message: expect.stringContaining('unknown top-level field "chipz"') });
    expect(issues('sources: []')[0]).toMatchObject({ message: 'the `chips` list is missing' });
  });

  it('bad input: several broken records report every problem with its own line', () => {
    const two = `- id: acme-a
  vendor: nvidiaa
  names: { en: A }
- id: acme-b
  vendor: nvidia
  names: { en: B }
  tdpW: { value: 300, confidence: unknown }
`;
    expect(issues(two).map((i) => [i.line, i.recordId, i.path])).toEqual([
      [2, 'acme-a', '/vendor'],
      [7, 'acme-b', '/tdpW/confidence'],
    ]);
  });
});
