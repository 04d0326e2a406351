import type { ServerResponse } from 'node:http';

/** OpenAI's error `type` values that clients (the openai SDKs, LangChain) branch on. */
export const OpenAiErrorType = {
  invalidRequest: 'invalid_request_error',
  authentication: 'authentication_error',
  permission: 'permission_error',
  notFound: 'not_found_error',
  rateLimit: 'rate_limit_error',
  server: 'server_error',
  overloaded: 'overloaded_error',
} as const;
export type OpenAiErrorType = (typeof OpenAiErrorType)[keyof typeof OpenAiErrorType];

export interface OpenAiErrorBody {
  error: { message: string; type: OpenAiErrorType; param: string | null; code: string | null };
}

/** A failure to report to an OpenAI client: HTTP status plus OpenAI's error shape. */
export class OpenAiError extends Error {
  /** Extra response headers (Retry-After). */
  headers: Record<string, string> = {};

  constructor(
    readonly status: number,
    message: string,
    readonly type: OpenAiErrorType,
    readonly code: string | null = null,
    readonly param: string | null = null,
  ) {
    super(message);
    this.name = 'OpenAiError';
  }

  withHeader(name: string, value: string): this {
    this.headers[name] = value;
    return this;
  }

  body(): OpenAiErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

export const badRequest = (message: string, param: string | null = null, code: string | null = 'invalid_value'): OpenAiError =>
  new OpenAiError(400, message, OpenAiErrorType.invalidRequest, code, param);

export function sendError(res: ServerResponse, err: OpenAiError, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const payload = JSON.stringify(err.body());
  res.writeHead(err.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...err.headers, ...headers });
  res.end(payload);
}

/** The SSE event that ends a stream which failed after its first byte: clients see an error, never a hang. */
export function sseErrorEvent(err: OpenAiError): string {
  return `data: ${JSON.stringify(err.body())}\n\n`;
}
