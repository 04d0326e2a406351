/**
 * A route is declared once, with its schemas; the same declaration registers it on Fastify
 * (validation at the edge, access check) and produces its OpenAPI operation.
 */
import type { TSchema } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Access } from './auth.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

export interface RouteDef {
  method: Method;
  /** Fastify path syntax (`/api/v1/jobs/:id`). */
  url: string;
  summary: string;
  tag: string;
  access: Access;
  params?: TSchema;
  query?: TSchema;
  body?: TSchema;
  /** Status -> response schema (documentation only; responses are not filtered through it). */
  responses: Record<number, TSchema | string>;
  /** Content type of the success response when it is not JSON. */
  produces?: string;
  handler: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
}

export function route(def: RouteDef): RouteDef {
  return def;
}
