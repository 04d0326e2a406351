import { badRequest } from './errors.js';
import { estimateTokens } from './tokens.js';

export const ApiKind = { chat: 'chat', completion: 'completion', embedding: 'embedding' } as const;
export type ApiKind = (typeof ApiKind)[keyof typeof ApiKind];

export const API_PATHS: Record<string, ApiKind> = {
  '/v1/chat/completions': ApiKind.chat,
  '/v1/completions': ApiKind.completion,
  '/v1/embeddings': ApiKind.embedding,
};

/** What the gateway and the emulator need to know about a request, read once from its body. */
export interface ParsedRequest {
  kind: ApiKind;
  model: string;
  stream: boolean;
  /** The client asked for a usage chunk at the end of the stream. */
  includeUsage: boolean;
  /** Estimated prompt tokens (inputs of an embedding request). */
  promptTokens: number;
  /** Embedding inputs, one estimate each. */
  inputTokens: number[];
  /** Requested output tokens; default 16 (OpenAI's completions default) when absent. */
  maxTokens: number;
  /** Session key for affinity: `user`, else a hash prefix of the first message. */
  sessionKey: string | null;
  body: Record<string, unknown>;
}

export const DEFAULT_MAX_TOKENS = 16;

/** Parses and validates an OpenAI request body; throws OpenAiError (400) naming the offending field. */
export function parseRequest(kind: ApiKind, raw: Buffer): ParsedRequest {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw badRequest('The request body is not valid JSON.', null, 'invalid_json');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('The request body must be a JSON object.', null, 'invalid_json');
  const b = body as Record<string, unknown>;
  if (typeof b.model !== 'string' || b.model === '') throw badRequest("'model' is required and must be a non-empty string.", 'model', 'missing_required_parameter');
  const stream = b.stream === undefined || b.stream === null ? false : b.stream;
  if (typeof stream !== 'boolean') throw badRequest("'stream' must be a boolean.", 'stream');
  const so = b.stream_options as Record<string, unknown> | undefined | null;
  const includeUsage = stream && typeof so === 'object' && so !== null && so.include_usage === true;

  let text = '';
  let inputTokens: number[] = [];
  if (kind === ApiKind.chat) {
    if (!Array.isArray(b.messages) || b.messages.length === 0) throw badRequest("'messages' must be a non-empty array.", 'messages', 'missing_required_parameter');
    b.messages.forEach((m, i) => {
      if (typeof m !== 'object' || m === null) throw badRequest(`'messages[${i}]' must be an object.`, `messages[${i}]`);
      const msg = m as Record<string, unknown>;
      if (typeof msg.role !== 'string') throw badRequest(`'messages[${i}].role' must be a string.`, `messages[${i}].role`);
      text += contentText(msg.content, `messages[${i}].content`);
    });
  } else if (kind === ApiKind.completion) {
    const p = b.prompt;
    if (typeof p === 'string') text = p;
    else if (Array.isArray(p) && p.every((x) => typeof x === 'string')) text = (p as string[]).join('');
    else throw badRequest("'prompt' must be a string or an array of strings.", 'prompt', 'missing_required_parameter');
  } else {
    const inp = b.input;
    const items = typeof inp === 'string' ? [inp] : Array.isArray(inp) && inp.length > 0 && inp.every((x) => typeof x === 'string') ? (inp as string[]) : null;
    if (!items) throw badRequest("'input' must be a string or a non-empty array of strings.", 'input', 'missing_required_parameter');
    inputTokens = items.map(estimateTokens);
  }

  let maxTokens = DEFAULT_MAX_TOKENS;
  const mt = b.max_completion_tokens ?? b.max_tokens;
  if (kind !== ApiKind.embedding && mt !== undefined && mt !== null) {
    if (typeof mt !== 'number' || !Number.isInteger(mt) || mt < 1) throw badRequest("'max_tokens' must be a positive integer.", b.max_completion_tokens !== undefined ? 'max_completion_tokens' : 'max_tokens');
    maxTokens = mt;
  }
  if (kind === ApiKind.embedding) maxTokens = 0;
  const promptTokens = kind === ApiKind.embedding ? inputTokens.reduce((a, x) => a + x, 0) : estimateTokens(text);
  const user = typeof b.user === 'string' && b.user !== '' ? b.user : null;
  return { kind, model: b.model, stream: kind === ApiKind.embedding ? false : stream, includeUsage, promptTokens, inputTokens, maxTokens, sessionKey: user ?? sessionOf(text), body: b };
}

function contentText(content: unknown, param: string): string {
  if (content === undefined || content === null) return '';
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part, i) => {
        if (typeof part !== 'object' || part === null) throw badRequest(`'${param}[${i}]' must be an object.`, `${param}[${i}]`);
        const t = (part as Record<string, unknown>).text;
        return typeof t === 'string' ? t : '';
      })
      .join('');
  }
  throw badRequest(`'${param}' must be a string or an array of content parts.`, param);
}

/** Requests that share their first 256 characters (a system prompt, a conversation's start) share a prefix cache. */
function sessionOf(text: string): string | null {
  if (text.length < 32) return null;
  return fnv1a(text.slice(0, 256));
}

export function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16);
}
