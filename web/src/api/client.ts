/**
 * The typed API client. Paths, parameters, bodies and responses come from `types.ts`, which the
 * build generates from the server's OpenAPI document; a call to a path or with a body the server
 * does not declare does not compile.
 */
import type { Paths } from './types';

type Method = 'get' | 'post' | 'put' | 'delete' | 'patch';
type Op<P extends keyof Paths, M extends Method> = Paths[P] extends Record<M, infer O> ? O : never;
type PathsWith<M extends Method> = { [P in keyof Paths]: Paths[P] extends Record<M, unknown> ? P : never }[keyof Paths];
type Field<O, F extends string> = O extends Record<F, infer T> ? T : never;
type Empty = Record<string, never>;

export type Response<P extends keyof Paths, M extends Method> = Field<Op<P, M>, 'response'>;

export type CallOptions<O> = (Field<O, 'params'> extends Empty ? { params?: Empty } : { params: Field<O, 'params'> }) & {
  query?: Field<O, 'query'>;
  body?: Field<O, 'body'>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
};

/** A failed call: the HTTP status and the server's error code and message (or a network failure, status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ClientOptions {
  base?: string;
  token: () => string | null;
  /** Called on 401 (token unknown or revoked), before the error is thrown. */
  onUnauthorized?: () => void;
  fetch?: typeof fetch;
}

/** Fills `{id}` segments from `params` (encoded). */
export function fillPath(path: string, params: Record<string, string> | undefined): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = params?.[name];
    if (v === undefined) throw new Error(`missing path parameter ${name}`);
    return encodeURIComponent(v);
  });
}

export function queryString(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export function createClient(o: ClientOptions) {
  const doFetch = o.fetch ?? ((...a: Parameters<typeof fetch>) => fetch(...a));
  async function call(method: Method, path: string, opts: { params?: Record<string, string>; query?: Record<string, unknown>; body?: unknown; headers?: Record<string, string>; signal?: AbortSignal } = {}): Promise<unknown> {
    const headers: Record<string, string> = { accept: 'application/json', ...(opts.headers ?? {}) };
    const token = o.token();
    if (token) headers.authorization = `Bearer ${token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    let res: globalThis.Response;
    try {
      res = await doFetch(`${o.base ?? ''}${fillPath(path, opts.params)}${queryString(opts.query)}`, {
        method: method.toUpperCase(),
        headers,
        ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') throw e;
      throw new ApiError(0, 'network', e instanceof Error ? e.message : String(e));
    }
    if (res.status === 204) return undefined;
    const text = await res.text();
    let data: unknown = undefined;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      data = text;
    }
    if (!res.ok) {
      const err = (typeof data === 'object' && data !== null ? data : {}) as { error?: string; message?: string; issues?: { path: string; message: string }[] };
      if (res.status === 401) o.onUnauthorized?.();
      throw new ApiError(res.status, err.error ?? `http_${res.status}`, err.message ?? `${res.status} ${res.statusText}`, err.issues ?? []);
    }
    return data;
  }
  return {
    get: <P extends PathsWith<'get'>>(path: P, ...[opts]: OptArgs<Op<P, 'get'>>) => call('get', path, opts as never) as Promise<Response<P, 'get'>>,
    post: <P extends PathsWith<'post'>>(path: P, ...[opts]: OptArgs<Op<P, 'post'>>) => call('post', path, opts as never) as Promise<Response<P, 'post'>>,
    put: <P extends PathsWith<'put'>>(path: P, ...[opts]: OptArgs<Op<P, 'put'>>) => call('put', path, opts as never) as Promise<Response<P, 'put'>>,
    patch: <P extends PathsWith<'patch'>>(path: P, ...[opts]: OptArgs<Op<P, 'patch'>>) => call('patch', path, opts as never) as Promise<Response<P, 'patch'>>,
    delete: <P extends PathsWith<'delete'>>(path: P, ...[opts]: OptArgs<Op<P, 'delete'>>) => call('delete', path, opts as never) as Promise<Response<P, 'delete'>>,
  };
}

/** Options are optional unless the path has parameters. */
type OptArgs<O> = Field<O, 'params'> extends Empty ? [opts?: CallOptions<O>] : [opts: CallOptions<O>];

export type ApiClient = ReturnType<typeof createClient>;
