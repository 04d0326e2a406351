import { describe, expect, it } from 'vitest';
import { ValidationError } from '../lib/errors.js';
import { loadCatalog, type CatalogFileInput } from './load.js';
import { testSources, validRecord } from './test-records.js';

function issuesOf(files: CatalogFileInput[]): { file?: string; recordId?: string; path: string; message: string }[] {
  try {
    loadCatalog(files, { sources: testSources });
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).issues;
  }
  throw new Error('expected the catalog to be rejected');
}

/** Applies `mutate` to a fresh valid record and returns the issues of loading it. */
function broken(mutate: (r: Record<string, unknown>) => void): ReturnType<typeof issuesOf> {
  const r = validRecord();
  mutate(r);
  return issuesOf([{ file: 'user.yaml', records: [r] }]);
}

const peakOf = (r: Record<string, unknown>): Record<string, Record<string, unknown>> => r.densePeak as Record<string, Record<string, unknown>>;

describe('loadCatalog', () => {
  it('loads a valid record and resolves its id and alias', () => {
    const catalog = loadCatalog([{ file: 'user.yaml', records: [validRecord()] }], { sources: testSources });
    expect(catalog.get('acme-x100').names.zh).toBe('测试 X100');
    expect(catalog.resolve('X100').id).toBe('acme-x100');
    expect(catalog.source('X1')?.description).toContain('example.com');
  });

  it('fills absent optional parts with unknown figures and empty lists, never a number', () => {
    const minimal = { id: 'acme-min', vendor: 'metax', names: { en: 'Acme Min' } };
    const chip = loadCatalog([{ file: 'user.yaml', records: [minimal] }], { sources: testSources }).get('acme-min');
    expect(chip.memoryGiB).toEqual({ value: null, confidence: 'unknown' });
    expect(chip.densePeak.bf16Tflops.value).toBeNull();
    expect(chip.names.zh).toBe('Acme Min');
    expect(chip.software.stack).toBe('unknown');
    expect(chip.prices).toEqual([]);
  });

  it('collects every issue of every record, not only the first', () => {
    const a = validRecord('acme-a', ['a1']);
    (a.memoryGiB as Record<string, unknown>).value = -1;
    const b = validRecord('acme-b', ['b1']);
    b.vendor = 'acme';
    peakOf(b).int8Tops!.source = 'Q9';
    const issues = issuesOf([{ file: 'user.yaml', records: [a, b] }]);
    expect(issues.map((i) => `${i.recordId} ${i.path}`)).toEqual(['acme-a /memoryGiB/value', 'acme-b /vendor', 'acme-b /densePeak/int8Tops/source']);
  });

  it('rejects a figure of the wrong type with the field path', () => {
    const issues = broken((r) => ((r.memoryGiB as Record<string, unknown>).value = '96'));
    expect(issues).toEqual([{ file: 'user.yaml', recordId: 'acme-x100', path: '/memoryGiB/value', message: 'must be a number or null (unknown), got "96"' }]);
  });

  it.each([
    ['negative', -5, 'got -5'],
    ['zero', 0, 'got 0'],
    ['NaN', Number.NaN, 'got NaN'],
    ['infinite', Number.POSITIVE_INFINITY, 'got Infinity'],
  ])('rejects a %s figure', (_name, value, got) => {
    const issues = broken((r) => (peakOf(r).bf16Tflops!.value = value));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ recordId: 'acme-x100', path: '/densePeak/bf16Tflops/value' });
    expect(issues[0]?.message).toContain(`must be a finite number greater than 0, ${got}`);
  });

  it('rejects an unknown confidence and lists the allowed ones', () => {
    const issues = broken((r) => (peakOf(r).bf16Tflops!.confidence = 'guess'));
    expect(issues[0]).toMatchObject({ path: '/densePeak/bf16Tflops/confidence', message: 'confidence "guess" is not one of: datasheet, press, derived, declared, unknown' });
  });

  it('keeps unknown and null together: null needs "unknown", a value cannot be "unknown"', () => {
    expect(broken((r) => (r.tdpW = { value: null, confidence: 'press' }))[0]?.message).toContain('an unknown figure has confidence "unknown"');
    expect(broken((r) => (r.tdpW = { value: 300, confidence: 'unknown' }))[0]?.message).toContain('cannot have confidence "unknown"');
  });

  it('requires a source on a known figure, and every key must exist', () => {
    expect(broken((r) => delete (r.memoryGiB as Record<string, unknown>).source)[0]).toMatchObject({
      path: '/memoryGiB/source',
      message: 'a known figure needs a source (a key from the source list, e.g. "N1" or "N1,N2")',
    });
    expect(broken((r) => ((r.memoryGiB as Record<string, unknown>).source = 'X1,Z9'))[0]?.message).toContain('source key "Z9" is not in the source list');
  });

  it('requires a derivation note and a primary reason for conflicts', () => {
    expect(broken((r) => delete (r.cardsPerServer as Record<string, unknown>).note)[0]).toMatchObject({ path: '/cardsPerServer/note' });
    expect(broken((r) => delete (r.tdpW as Record<string, unknown>).primaryReason)[0]).toMatchObject({ path: '/tdpW/primaryReason' });
    expect(broken((r) => ((r.tdpW as { alternatives: Record<string, unknown>[] }).alternatives[0]!.value = null))[0]?.path).toBe('/tdpW/alternatives/0/confidence');
  });

  it('rejects ids that are not kebab-case and aliases with spaces', () => {
    expect(broken((r) => (r.id = 'Acme_X100'))[0]).toMatchObject({ recordId: 'Acme_X100', path: '/id' });
    expect(broken((r) => (r.aliases = ['x 100']))[0]).toMatchObject({ path: '/aliases/0' });
  });

  it('rejects unknown fields (typos) and missing required ones', () => {
    const typo = broken((r) => {
      r.memoryGB = 96;
    });
    expect(typo[0]).toMatchObject({ path: '/memoryGB', message: 'unknown field (check the spelling; see the chip record schema)' });
    const missing = broken((r) => delete r.vendor);
    expect(missing[0]).toMatchObject({ path: '/vendor', message: 'required field is missing' });
  });

  it('rejects duplicate ids and aliases across files, naming the first owner', () => {
    const issues = issuesOf([
      { file: 'a.yaml', records: [validRecord('acme-x100', ['x100'])] },
      { file: 'b.yaml', records: [validRecord('acme-x100', ['x200']), validRecord('acme-x300', ['x100'])] },
    ]);
    expect(issues).toEqual([
      { file: 'b.yaml', recordId: 'acme-x100', path: '/id', message: 'duplicate id "acme-x100": already used as the id of acme-x100 in a.yaml' },
      { file: 'b.yaml', recordId: 'acme-x300', path: '/aliases/0', message: 'duplicate alias "x100": already used as the alias of acme-x100 in a.yaml' },
    ]);
  });

  it("rejects an alias that is another chip's id", () => {
    const issues = issuesOf([{ file: 'a.yaml', records: [validRecord('acme-a', ['a1']), validRecord('acme-b', ['acme-a'])] }]);
    expect(issues).toEqual([{ file: 'a.yaml', recordId: 'acme-b', path: '/aliases/0', message: 'duplicate alias "acme-a": already used as the id of acme-a in a.yaml' }]);
  });

  it('rejects nested alternatives and an alternative without a source', () => {
    const nested = broken((r) => ((r.tdpW as { alternatives: Record<string, unknown>[] }).alternatives[0]!.alternatives = []));
    expect(nested[0]).toMatchObject({ path: '/tdpW/alternatives/0/alternatives', message: expect.stringContaining('unknown field') });
    const unsourced = broken((r) => delete (r.tdpW as { alternatives: Record<string, unknown>[] }).alternatives[0]!.source);
    expect(unsourced[0]).toMatchObject({ path: '/tdpW/alternatives/0/source' });
  });

  it('rejects a record that is not an object', () => {
    expect(issuesOf([{ file: 'a.yaml', records: [42] }])[0]).toMatchObject({ recordId: '#1', path: '', message: 'a chip record must be an object, got 42' });
  });

  it('validates prices: a positive amount with a source, never unknown', () => {
    const issues = broken((r) => (r.prices = [{ kind: 'rent', cnyPerHour: 0, source: 'X1', confidence: 'press' }]));
    expect(issues[0]).toMatchObject({ path: '/prices/0/cnyPerHour' });
  });

  it('lets a file add its own source keys, and rejects redefining one', () => {
    const r = validRecord();
    (r.memoryGiB as Record<string, unknown>).source = 'U1';
    const ok = loadCatalog([{ file: 'u.yaml', records: [r], sources: [{ key: 'U1', description: 'my lab measurement' }] }], { sources: testSources });
    expect(ok.source('U1')?.description).toBe('my lab measurement');
    const issues = issuesOf([{ file: 'u.yaml', records: [], sources: [{ key: 'X1', description: 'again' }] }]);
    expect(issues[0]).toMatchObject({ file: 'u.yaml', path: '/sources/0/key', message: 'source key "X1" is already defined' });
  });
});
