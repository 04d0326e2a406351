/**
 * Server-sent events over fetch (EventSource cannot send an Authorization header): parses the
 * stream, remembers the last id, and reconnects with backoff, resuming with Last-Event-ID.
 */
import type { Event } from '../api/types';

export type LiveStatus = { kind: 'connecting' } | { kind: 'open' } | { kind: 'waiting'; retryInMs: number };

export interface StreamOptions {
  url: string;
  token: () => string | null;
  afterId: number;
  onEvent(e: Event): void;
  onStatus(s: LiveStatus): void;
  /** Called on 401: the token stopped working; the stream ends. */
  onUnauthorized?(): void;
  fetch?: typeof fetch;
  minDelayMs?: number;
  maxDelayMs?: number;
}

/** Splits an SSE text buffer into complete messages; returns them and the incomplete rest. */
export function parseSse(buffer: string): { messages: { id?: string; event?: string; data: string }[]; rest: string } {
  const messages: { id?: string; event?: string; data: string }[] = [];
  const parts = buffer.replace(/\r\n/g, '\n').split('\n\n');
  const rest = parts.pop() ?? '';
  for (const block of parts) {
    const m: { id?: string; event?: string; data: string } = { data: '' };
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':') || line === '') continue;
      const i = line.indexOf(':');
      const field = i < 0 ? line : line.slice(0, i);
      const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
      if (field === 'data') data.push(value);
      else if (field === 'id') m.id = value;
      else if (field === 'event') m.event = value;
    }
    if (data.length === 0) continue;
    m.data = data.join('\n');
    messages.push(m);
  }
  return { messages, rest };
}

/** Starts the stream; the returned function stops it for good. */
export function startEventStream(o: StreamOptions): () => void {
  let stopped = false;
  let lastId = o.afterId;
  let controller: AbortController | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let failures = 0;
  const doFetch = o.fetch ?? ((...a: Parameters<typeof fetch>) => fetch(...a));

  const connect = async (): Promise<void> => {
    if (stopped) return;
    o.onStatus({ kind: 'connecting' });
    controller = new AbortController();
    try {
      const token = o.token();
      const res = await doFetch(`${o.url}?after=${lastId}`, {
        headers: { accept: 'text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}), ...(lastId > 0 ? { 'last-event-id': String(lastId) } : {}) },
        signal: controller.signal,
      });
      if (res.status === 401) {
        o.onUnauthorized?.();
        return;
      }
      if (!res.ok || !res.body) throw new Error(`event stream answered ${res.status}`);
      o.onStatus({ kind: 'open' });
      failures = 0;
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        const { messages, rest } = parseSse(buffer);
        buffer = rest;
        for (const m of messages) {
          try {
            const e = JSON.parse(m.data) as Event;
            if (typeof e.id === 'number' && e.id > lastId) lastId = e.id;
            o.onEvent(e);
          } catch {
            // A message that is not an event (a comment, a future format) is skipped.
          }
        }
      }
    } catch (e) {
      if (stopped) return;
      void e;
    }
    if (stopped) return;
    failures++;
    const delay = Math.min(o.maxDelayMs ?? 15_000, (o.minDelayMs ?? 1000) * 2 ** Math.min(failures - 1, 4));
    o.onStatus({ kind: 'waiting', retryInMs: delay });
    timer = setTimeout(() => void connect(), delay);
  };
  void connect();
  return () => {
    stopped = true;
    controller?.abort();
    if (timer) clearTimeout(timer);
  };
}
