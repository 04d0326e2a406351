import { request, type Agent, type IncomingMessage, type ServerResponse } from 'node:http';
import { OpenAiError, OpenAiErrorType, sseErrorEvent } from '../openai/errors.js';
import { parseUsage, SseRelay } from './sse-relay.js';

export interface Upstream {
  host: string;
  port: number;
  agent: Agent;
  apiKey?: string;
}

export interface AttemptInput {
  upstream: Upstream;
  path: string;
  body: Buffer;
  stream: boolean;
  /** The gateway added `stream_options.include_usage`; drop the usage chunk before the client sees it. */
  dropUsageChunk: boolean;
  timeoutMs: number;
  requestId: string;
  /** Headers to add to the client response, computed when the response starts; `gatewayMs` of the result is the same measure. */
  headers: (upstreamMs: number) => Record<string, string>;
  /** The gateway's own time so far, excluding this attempt's wait on the backend. */
  gatewayMs: (upstreamMs: number) => number;
  /** Milliseconds clock (performance.now). */
  now: () => number;
  /** Called when the backend's first body byte arrives (its prefill is done). */
  onFirstByte?: () => void;
}

/** How one attempt ended. Only `retryable` outcomes have sent nothing to the client. */
export type AttemptResult =
  | { kind: 'ok'; status: number; promptTokens: number | null; completionTokens: number; ttftMs: number | null; tpotMs: number | null; gatewayMs: number }
  | { kind: 'retryable'; reason: string }
  | { kind: 'broken'; reason: string; completionTokens: number }
  | { kind: 'client-gone' };

/**
 * One try against one replica. Non-streaming answers are read whole before the client sees a
 * byte (they are small, and that keeps a failure mid-body retryable). Streams start towards the
 * client on the backend's first chunk and are relayed event by event; a backend that fails after
 * that ends the client's stream with an OpenAI-style error event, never a hang.
 */
export function attempt(input: AttemptInput, client: ServerResponse): Promise<AttemptResult> {
  return new Promise((resolve) => {
    const started = input.now();
    let settled = false;
    const finish = (r: AttemptResult): void => {
      if (settled) return;
      settled = true;
      client.off('close', onClientClose);
      resolve(r);
    };
    const headers: Record<string, string | number> = { 'content-type': 'application/json', 'content-length': input.body.length, 'x-request-id': input.requestId };
    if (input.upstream.apiKey) headers.authorization = `Bearer ${input.upstream.apiKey}`;
    const up = request({ host: input.upstream.host, port: input.upstream.port, method: 'POST', path: input.path, agent: input.upstream.agent, headers });
    const onClientClose = (): void => {
      if (!client.writableFinished) {
        up.destroy();
        finish({ kind: 'client-gone' });
      }
    };
    client.on('close', onClientClose);
    up.setTimeout(input.timeoutMs, () => up.destroy(new Error(`no answer from the backend within ${input.timeoutMs} ms`)));
    up.on('error', (e) => finish({ kind: 'retryable', reason: `connection error: ${e.message}` }));
    up.on('response', (res) => (input.stream && res.statusCode === 200 ? relayStream(res) : relayWhole(res)));
    up.end(input.body);

    function relayWhole(res: IncomingMessage): void {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => {
        if (chunks.length === 0) input.onFirstByte?.();
        chunks.push(c);
      });
      res.on('error', () => finish({ kind: 'retryable', reason: 'the backend cut its answer short' }));
      res.on('aborted', () => finish({ kind: 'retryable', reason: 'the backend cut its answer short' }));
      res.on('end', () => {
        if (settled) return;
        if (!res.complete) return finish({ kind: 'retryable', reason: 'the backend cut its answer short' });
        const status = res.statusCode ?? 502;
        if (status >= 500) return finish({ kind: 'retryable', reason: `the backend answered ${status}` });
        const body = chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks);
        const doneMs = input.now();
        const usage = status === 200 ? parseUsage(body.toString('utf8')) : null;
        client.writeHead(status, { 'content-type': res.headers['content-type'] ?? 'application/json', 'content-length': body.length, ...input.headers(doneMs - started) });
        client.end(body);
        const totalMs = doneMs - started;
        const n = usage?.completionTokens ?? 0;
        finish({ kind: 'ok', status, promptTokens: usage?.promptTokens ?? null, completionTokens: n, ttftMs: null, tpotMs: n > 0 ? totalMs / n : null, gatewayMs: input.gatewayMs(totalMs) });
      });
    }

    function relayStream(res: IncomingMessage): void {
      const relay = new SseRelay(input.dropUsageChunk);
      let firstAt: number | null = null;
      let gatewayAtFirst = 0;
      let lastAt = 0;
      let ended = false;
      res.on('data', (c: Buffer) => {
        if (settled) return;
        input.onFirstByte?.();
        const out = relay.push(c);
        if (out === '') return;
        const t = input.now();
        if (firstAt === null) {
          firstAt = t;
          gatewayAtFirst = input.gatewayMs(t - started);
          client.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...input.headers(t - started) });
        }
        lastAt = t;
        // A slow client pauses the backend's stream instead of piling chunks up in memory.
        if (!client.write(out)) {
          res.pause();
          client.once('drain', () => res.resume());
        }
      });
      const broken = (why: string): void => {
        if (settled || ended) return;
        if (firstAt === null) return finish({ kind: 'retryable', reason: why });
        client.end(sseErrorEvent(new OpenAiError(502, `The backend failed mid-stream (${why}); the response is incomplete.`, OpenAiErrorType.server, 'upstream_stream_broken')));
        finish({ kind: 'broken', reason: why, completionTokens: relay.chunks });
      };
      res.on('error', () => broken('connection lost'));
      res.on('aborted', () => broken('connection lost'));
      res.on('close', () => {
        if (!ended) broken('connection lost');
      });
      res.on('end', () => {
        if (!res.complete) return broken('connection lost');
        if (firstAt === null) return broken('empty stream');
        if (!relay.sawDone) return broken('stream ended without [DONE]');
        ended = true;
        const rest = relay.flush();
        client.end(rest);
        const n = relay.usage?.completionTokens ?? relay.chunks;
        finish({ kind: 'ok', status: 200, promptTokens: relay.usage?.promptTokens ?? null, completionTokens: n, ttftMs: firstAt - started, tpotMs: n > 1 ? (lastAt - firstAt) / (n - 1) : null, gatewayMs: gatewayAtFirst });
      });
    }
  });
}
