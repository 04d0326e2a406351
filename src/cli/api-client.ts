/**
 * A small client for the control plane's REST API, used by the CLI's jobs, nodes, tenants and
 * tokens commands. Server errors come back as TesseraErrors with the server's sentence, so the
 * CLI prints `error: <what the server said>`.
 */
import type { Command } from 'commander';
import { ErrorCode, TesseraError, ValidationError, type ValidationIssue } from '../lib/errors.js';
import type { CliIo } from './io.js';

export const defaultServer = 'http://127.0.0.1:8080';

const codeByStatus: Record<number, ErrorCode> = {
  400: ErrorCode.invalidInput,
  401: ErrorCode.unauthorized,
  403: ErrorCode.forbidden,
  404: ErrorCode.notFound,
  409: ErrorCode.conflict,
  413: ErrorCode.tooLarge,
  422: ErrorCode.infeasible,
  503: ErrorCode.unavailable,
};

export class ApiClient {
  constructor(
    readonly server: string,
    private readonly token: string | undefined,
  ) {}

  async request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
    let res: Response;
    try {
      res = await fetch(`${this.server}${path}`, {
        method,
        headers: { ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      throw new TesseraError(ErrorCode.unavailable, `cannot reach the control plane at ${this.server} (${cause?.code ?? cause?.message ?? (e as Error).message})`);
    }
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      parsed = { message: text.slice(0, 200) };
    }
    if (!res.ok) {
      const err = (parsed ?? {}) as { message?: string; issues?: ValidationIssue[] };
      const message = err.message ?? `HTTP ${res.status}`;
      if (res.status === 400 && err.issues && err.issues.length > 0) throw new ValidationError(message, err.issues);
      if (res.status === 401 && !this.token) throw new TesseraError(ErrorCode.unauthorized, `${message}; give --token or set TESSERA_TOKEN`);
      throw new TesseraError(codeByStatus[res.status] ?? ErrorCode.internal, `${message} (HTTP ${res.status})`);
    }
    return { status: res.status, body: parsed as T };
  }

  async get<T>(path: string): Promise<T> {
    return (await this.request<T>('GET', path)).body;
  }
}

/** Adds --server and --token to a command. */
export function withConnection(cmd: Command): Command {
  return cmd.option('--server <url>', `control plane URL (env TESSERA_SERVER, default ${defaultServer})`).option('--token <token>', 'API token (env TESSERA_TOKEN)');
}

export function clientFrom(opts: { server?: string; token?: string }, io: CliIo): ApiClient {
  const server = (opts.server ?? io.env.TESSERA_SERVER ?? defaultServer).replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s]+$/.test(server)) throw new TesseraError(ErrorCode.invalidInput, `--server must be an http(s) URL, not '${server}'`);
  return new ApiClient(server, opts.token ?? io.env.TESSERA_TOKEN);
}

/** "3m", "2h" style age of an epoch-ms time. */
export function age(ms: number | null | undefined, nowMs = Date.now()): string {
  if (ms === null || ms === undefined) return '-';
  const s = Math.max(0, Math.round((nowMs - ms) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  if (s < 172_800) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86_400)}d`;
}

export function query(params: Record<string, string | number | undefined>): string {
  const q = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  return q ? `?${q}` : '';
}
