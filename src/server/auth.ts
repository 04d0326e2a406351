/**
 * Bearer-token authentication and role checks. Tokens are looked up by their SHA-256 hash.
 * Roles: admin (everything), operator (everything but tokens and tenants), member (only their
 * tenant's jobs, services and usage), agent (only the agent protocol, only for its own node).
 */
import type { FastifyRequest } from 'fastify';
import { TesseraError } from '../lib/errors.js';
import type { Actor, Role, Store, TokenRecord } from '../store/index.js';

export type Access = 'public' | readonly Role[];

export interface Principal extends Actor {
  token: TokenRecord;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

export const userRoles: readonly Role[] = ['admin', 'operator', 'member'];
export const staffRoles: readonly Role[] = ['admin', 'operator'];
export const adminOnly: readonly Role[] = ['admin'];
export const agentOnly: readonly Role[] = ['agent'];

export async function authenticate(store: Store, req: FastifyRequest, access: Access): Promise<void> {
  if (access === 'public') return;
  const header = req.headers.authorization;
  const m = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!m?.[1]) throw new TesseraError('unauthorized', 'missing bearer token (Authorization: Bearer <token>)');
  const token = await store.verifyToken(m[1]);
  if (!token) throw new TesseraError('unauthorized', 'unknown or revoked token');
  if (!access.includes(token.role)) {
    throw new TesseraError('forbidden', token.role === 'agent' ? 'agent tokens may only call the agent protocol' : `role ${token.role} may not call this endpoint`);
  }
  req.principal = { id: token.id, role: token.role, tenant: token.tenant, token };
}

export function principal(req: FastifyRequest): Principal {
  if (!req.principal) throw new TesseraError('unauthorized', 'not authenticated');
  return req.principal;
}

/** The tenant a caller is confined to: a member's own; staff see all (or the one they ask for). */
export function tenantScope(p: Principal, requested?: string): string | undefined {
  if (p.role === 'member') {
    if (requested !== undefined && requested !== p.tenant) throw new TesseraError('forbidden', `a member of tenant ${p.tenant} cannot act for tenant ${requested}`);
    return p.tenant ?? '\u0000no-tenant';
  }
  return requested;
}

/** True when the caller may see a record of `tenant`. Members get 404 (not 403) for others' records, so ids reveal nothing. */
export function canSee(p: Principal, tenant: string): boolean {
  return p.role !== 'member' || p.tenant === tenant;
}
