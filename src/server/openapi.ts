/** The OpenAPI 3 document, generated from the same route declarations and TypeBox schemas that validate requests. */
import type { TSchema } from '@sinclair/typebox';
import type { RouteDef } from './route.js';
import { ErrorSchema, EventSchema, JobSchema, NodeSchema, TenantSchema } from './schemas.js';

const components: TSchema[] = [ErrorSchema, JobSchema, NodeSchema, TenantSchema, EventSchema];

/** Strips TypeBox's symbol keys and turns `$ref: 'Job'` into a component reference. */
function clean(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(clean);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === '$id') continue;
    if (k === '$ref' && typeof v === 'string') out[k] = `#/components/schemas/${v}`;
    else out[k] = clean(v);
  }
  return out;
}

function asRef(schema: TSchema): unknown {
  return typeof schema.$id === 'string' ? { $ref: `#/components/schemas/${schema.$id}` } : clean(schema);
}

function parameters(where: 'path' | 'query', schema: TSchema | undefined): unknown[] {
  if (!schema || typeof schema.properties !== 'object') return [];
  const required = new Set<string>(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  return Object.entries(schema.properties as Record<string, TSchema>).map(([name, s]) => ({ name, in: where, required: where === 'path' || required.has(name), schema: clean(s) }));
}

export function openApiDocument(routes: RouteDef[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.url.replace(/:([A-Za-z]+)/g, '{$1}');
    const op: Record<string, unknown> = {
      summary: r.summary,
      tags: [r.tag],
      operationId: `${r.method.toLowerCase()}${path.replace(/[^A-Za-z0-9]+/g, '_')}`,
      parameters: [...parameters('path', r.params), ...parameters('query', r.query)],
      responses: Object.fromEntries(
        Object.entries(r.responses).map(([status, s]) => [
          status,
          typeof s === 'string' ? { description: s } : { description: Number(status) < 300 ? 'OK' : 'Error', content: { [Number(status) < 300 && r.produces ? r.produces.split(',')[0]!.trim() : 'application/json']: { schema: asRef(s) } } },
        ]),
      ),
    };
    if (r.access !== 'public') op.security = [{ bearer: [] }];
    if (r.access !== 'public') op.description = `Roles: ${r.access.join(', ')}`;
    if (r.body) op.requestBody = { required: !(Symbol.for('TypeBox.Optional') in r.body), content: { 'application/json': { schema: clean(r.body) } } };
    paths[path] = { ...(paths[path] ?? {}), [r.method.toLowerCase()]: op };
  }
  return {
    openapi: '3.0.3',
    info: { title: 'Tessera control plane', version, description: 'One control plane over mixed AI accelerators. Authenticate with `Authorization: Bearer <token>`.' },
    servers: [{ url: '/' }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } }, schemas: Object.fromEntries(components.map((s) => [String(s.$id), clean(s)])) },
    paths,
  };
}
