import { describe, expect, it } from 'vitest';
import { openApiToTs, schemaToTs } from './openapi-to-ts.js';

describe('schemaToTs', () => {
  it.each([
    [{ type: 'string' }, 'string'],
    [{ type: 'integer' }, 'number'],
    [{ anyOf: [{ type: 'string' }, { type: 'null' }] }, 'string | null'],
    [{ const: 'Running' }, '"Running"'],
    [{ type: 'array', items: { anyOf: [{ const: 'a' }, { const: 'b' }] } }, '("a" | "b")[]'],
    [{ $ref: '#/components/schemas/Job' }, 'Job'],
    [{ type: 'object', patternProperties: { '^(.*)$': { type: 'integer' } } }, 'Record<string, number>'],
    [{ type: 'object', properties: {}, additionalProperties: true }, 'Record<string, unknown>'],
  ])('%j -> %s', (schema, ts) => {
    expect(schemaToTs(schema)).toBe(ts);
  });
  it('marks optional members and quotes odd keys', () => {
    expect(schemaToTs({ type: 'object', required: ['a'], properties: { a: { type: 'string' }, 'b-c': { type: 'number', description: 'why' } } })).toBe('{\n  a: string;\n  /** why */\n  "b-c"?: number;\n}');
  });
});

describe('openApiToTs', () => {
  it('writes components and a Paths map with params, query, body and the 2xx response', () => {
    const out = openApiToTs(
      {
        info: { version: '1' },
        components: { schemas: { Job: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } } } },
        paths: {
          '/jobs/{id}': {
            post: {
              summary: 'Cancel',
              parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }, { name: 'force', in: 'query', schema: { type: 'boolean' } }],
              requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { reason: { type: 'string' } } } } } },
              responses: { '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Job' } } } }, '404': { description: 'x' } },
            },
            delete: { responses: { '204': { description: 'gone' } } },
          },
        },
      },
      'test',
    );
    expect(out).toContain('export interface Job {\n  id: string;\n}');
    expect(out).toContain('  "/jobs/{id}": {\n    /** Cancel */\n    post: {\n      params: { id: string };\n      query: { force?: boolean };');
    expect(out).toContain('      response: Job;');
    expect(out).toMatch(/delete: \{\n\s+params: Record<string, never>;\n\s+query: Record<string, never>;\n\s+body: never;\n\s+response: void;/);
  });
  it('refuses something that is not an OpenAPI document', () => {
    expect(() => openApiToTs({ nope: true }, 'test')).toThrow(/no paths/);
  });
});
