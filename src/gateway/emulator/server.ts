import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { readBody } from '../http/body.js';
import { badRequest, OpenAiError, OpenAiErrorType, sendError } from '../openai/errors.js';
import { API_PATHS, ApiKind, parseRequest, type ParsedRequest } from '../openai/request.js';
import { ChunkedPrefillEngine } from './chunked-engine.js';
import { EmulatedEngine, type InferenceEngine } from './engine.js';
import { completionText, embeddingVector } from './output.js';
import type { EmulatorTiming } from './timing.js';

/** Injected faults, for reliability tests and demos; all off by default. `random` is a seeded RNG in [0,1). */
export interface EmulatorFaults {
  /** Probability that a request gets a 500 before its first byte. */
  errorRate?: number;
  /** Probability that a streaming request's connection is cut after its first token. */
  abortRate?: number;
  random?: () => number;
}

export interface EmulatorOptions {
  model: string;
  chip: string;
  timing: EmulatorTiming;
  faults?: EmulatorFaults;
  maxBodyBytes?: number;
  /** Clock for `created` fields (seconds); injected for reproducible output. */
  nowSec?: () => number;
  /**
   * Chunked prefill with this token budget per step (prefill and decode share steps, as vLLM V1
   * and SGLang run by default); absent: prompts prefill one at a time beside decoding.
   */
  chunkedPrefillTokens?: number;
  /** Automatic prefix caching: keep each session's prompt and answer in a cache of this many tokens. */
  prefixCacheTokens?: number;
}

export interface RunningEmulator {
  server: Server;
  engine: InferenceEngine;
  url: string;
  port: number;
  /** Graceful close: stop accepting, let in-flight requests finish. */
  close(): Promise<void>;
  /** Abrupt stop, as if the process were killed: every open connection is cut at once. */
  kill(): Promise<void>;
}

/**
 * An OpenAI-compatible backend whose timing follows an EmulatorTiming: the same API as vLLM,
 * SGLang, MindIE or LMDeploy, so the gateway cannot tell it from a real engine.
 */
export function createEmulator(opts: EmulatorOptions): { server: Server; engine: InferenceEngine; sockets: Set<Socket> } {
  const engineOpts = opts.prefixCacheTokens ? { prefixCacheTokens: opts.prefixCacheTokens } : {};
  const engine: InferenceEngine = opts.chunkedPrefillTokens !== undefined ? new ChunkedPrefillEngine(opts.timing, opts.chunkedPrefillTokens, undefined, engineOpts) : new EmulatedEngine(opts.timing, undefined, engineOpts);
  const limit = opts.maxBodyBytes ?? 8 * 1024 * 1024;
  const now = opts.nowSec ?? (() => Math.floor(Date.now() / 1000));
  const random = opts.faults?.random ?? Math.random;
  let seq = 0;
  const sockets = new Set<Socket>();

  const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    void handle(req, res).catch((e: unknown) => {
      sendError(res, e instanceof OpenAiError ? e : new OpenAiError(500, 'The emulator failed.', OpenAiErrorType.server, 'internal_error'));
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.setNoDelay(true);
    s.on('close', () => sockets.delete(s));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method === 'GET' && (path === '/health' || path === '/healthz')) {
      json(res, 200, { status: 'ok', ...engine.stats() });
      return;
    }
    if (req.method === 'GET' && path === '/v1/models') {
      json(res, 200, { object: 'list', data: [{ id: opts.model, object: 'model', created: now(), owned_by: 'tessera-emulator', tessera: { chip: opts.chip, timing: opts.timing.source, maxBatch: opts.timing.maxBatch, kvCapacityTokens: opts.timing.kvCapacityTokens } }] });
      return;
    }
    const kind = API_PATHS[path];
    if (!kind) throw new OpenAiError(404, `Unknown path ${path}.`, OpenAiErrorType.notFound, 'unknown_url');
    if (req.method !== 'POST') throw new OpenAiError(405, `Use POST for ${path}.`, OpenAiErrorType.invalidRequest, 'method_not_allowed');
    const parsed = parseRequest(kind, await readBody(req, limit));
    if (parsed.model !== opts.model) throw new OpenAiError(404, `The model '${parsed.model}' does not exist on this backend (it serves '${opts.model}').`, OpenAiErrorType.notFound, 'model_not_found', 'model');
    if (!engine.fits(parsed.promptTokens, parsed.maxTokens)) {
      throw badRequest(`This request needs ${parsed.promptTokens + parsed.maxTokens} tokens of context (prompt ${parsed.promptTokens} + max_tokens ${parsed.maxTokens}), more than the backend holds (${opts.timing.maxContextTokens ?? opts.timing.kvCapacityTokens}).`, 'messages', 'context_length_exceeded');
    }
    if (opts.faults?.errorRate && random() < opts.faults.errorRate) throw new OpenAiError(500, 'Injected backend failure.', OpenAiErrorType.server, 'injected_failure');
    seq += 1;
    const id = `${kind === ApiKind.chat ? 'chatcmpl' : kind === ApiKind.completion ? 'cmpl' : 'emb'}-${seq}`;
    if (kind === ApiKind.embedding) return embed(res, parsed);
    const abort = !!opts.faults?.abortRate && random() < opts.faults.abortRate;
    return parsed.stream ? streamGen(req, res, parsed, id, abort) : generate(req, res, parsed, id, abort);
  }

  function usage(p: ParsedRequest, completion: number): Record<string, number> {
    return { prompt_tokens: p.promptTokens, completion_tokens: completion, total_tokens: p.promptTokens + completion };
  }

  function generate(req: IncomingMessage, res: ServerResponse, p: ParsedRequest, id: string, abort: boolean): Promise<void> {
    return new Promise((resolve) => {
      const handle = engine.submit({
        promptTokens: p.promptTokens,
        outputTokens: p.maxTokens,
        prefixKey: p.sessionKey,
        onToken: () => undefined,
        onDone: () => {
          if (abort) {
            res.socket?.destroy();
            resolve();
            return;
          }
          const text = completionText(0, p.maxTokens);
          const choice = p.kind === ApiKind.chat ? { index: 0, message: { role: 'assistant', content: text }, finish_reason: 'length' } : { index: 0, text, finish_reason: 'length', logprobs: null };
          json(res, 200, { id, object: p.kind === ApiKind.chat ? 'chat.completion' : 'text_completion', created: now(), model: opts.model, choices: [choice], usage: usage(p, p.maxTokens) });
          resolve();
        },
      });
      res.on('close', () => {
        handle.cancel();
        resolve();
      });
      req.on('aborted', () => handle.cancel());
    });
  }

  function streamGen(_req: IncomingMessage, res: ServerResponse, p: ParsedRequest, id: string, abort: boolean): Promise<void> {
    return new Promise((resolve) => {
      const created = now();
      const object = p.kind === ApiKind.chat ? 'chat.completion.chunk' : 'text_completion';
      const chunk = (choices: unknown[], extra: Record<string, unknown> = {}): string => `data: ${JSON.stringify({ id, object, created, model: opts.model, choices, ...extra })}\n\n`;
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      res.flushHeaders();
      const handle = engine.submit({
        promptTokens: p.promptTokens,
        outputTokens: p.maxTokens,
        prefixKey: p.sessionKey,
        onToken: (i) => {
          const piece = completionText(i, 1);
          const last = i === p.maxTokens - 1;
          const finish = last ? 'length' : null;
          const choice = p.kind === ApiKind.chat ? { index: 0, delta: i === 0 ? { role: 'assistant', content: piece } : { content: piece }, finish_reason: finish } : { index: 0, text: piece, finish_reason: finish, logprobs: null };
          res.write(chunk([choice]));
          if (abort && i === 0) {
            handle.cancel();
            res.socket?.destroy();
          }
        },
        onDone: () => {
          if (p.includeUsage) res.write(chunk([], { usage: usage(p, p.maxTokens) }));
          res.end('data: [DONE]\n\n');
          resolve();
        },
      });
      res.on('close', () => {
        handle.cancel();
        resolve();
      });
    });
  }

  function embed(res: ServerResponse, p: ParsedRequest): Promise<void> {
    return new Promise((resolve) => {
      const handle = engine.submit({
        promptTokens: p.promptTokens,
        outputTokens: 1,
        onToken: () => undefined,
        onDone: () => {
          const data = p.inputTokens.map((_, i) => ({ object: 'embedding', index: i, embedding: embeddingVector(i) }));
          json(res, 200, { object: 'list', data, model: opts.model, usage: { prompt_tokens: p.promptTokens, total_tokens: p.promptTokens } });
          resolve();
        },
      });
      res.on('close', () => {
        handle.cancel();
        resolve();
      });
    });
  }

  return { server, engine, sockets };
}

/** Starts an emulator on 127.0.0.1 (port 0 = any free port). */
export async function startEmulator(opts: EmulatorOptions & { port?: number; host?: string }): Promise<RunningEmulator> {
  const { server, engine, sockets } = createEmulator(opts);
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const close = (): Promise<void> =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
  return {
    server,
    engine,
    url: `http://${host}:${port}`,
    port,
    close,
    kill: async () => {
      engine.stopAll();
      for (const s of sockets) s.destroy();
      await close();
    },
  };
}

function json(res: ServerResponse, status: number, value: unknown): void {
  if (res.writableEnded || res.destroyed) return;
  const payload = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}
