/**
 * The event stream against a real control plane over HTTP: events arrive in order, and when the
 * connection drops the stream reconnects by itself, resuming after the last id it saw (no event
 * lost, none repeated).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlane, type TestPlane } from '../../../src/server/test-support.js';
import type { Event } from '../api/types';
import { startEventStream, type LiveStatus } from './event-stream';

let plane: TestPlane;
let base: string;

beforeAll(async () => {
  plane = await testPlane();
  await plane.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = plane.app.server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});

afterAll(async () => {
  await plane.close();
});

const submit = async (name: string): Promise<void> => {
  await plane.app.inject({ method: 'POST', url: '/api/v1/jobs', headers: plane.auth(plane.tokens.admin), payload: { name, kind: 'batch', command: ['x'], resources: { count: 1 } } });
};

const until = async (cond: () => boolean, ms = 10_000): Promise<void> => {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > ms) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('startEventStream', () => {
  it('reconnects after a dropped connection and resumes after the last event id', async () => {
    const got: Event[] = [];
    const statuses: LiveStatus['kind'][] = [];
    const calls: { lastEventId: string | null }[] = [];
    const controllers: AbortController[] = [];
    // A fetch that lets the test cut the live connection, as a proxy or a network blip would.
    const cuttable: typeof fetch = async (input, init) => {
      const headers = new Headers(init?.headers);
      calls.push({ lastEventId: headers.get('last-event-id') });
      const c = new AbortController();
      controllers.push(c);
      init?.signal?.addEventListener('abort', () => c.abort());
      return fetch(`${base}${String(input)}`, { ...init, signal: c.signal });
    };
    const stop = startEventStream({ url: '/api/v1/events', token: () => plane.tokens.admin, afterId: 0, fetch: cuttable, minDelayMs: 50, onEvent: (e) => got.push(e), onStatus: (s) => statuses.push(s.kind) });
    try {
      await submit('before-drop');
      await until(() => got.some((e) => e.type === 'job.submitted' && e.data.name === 'before-drop'));
      const lastBefore = got[got.length - 1]!.id;
      controllers[0]!.abort();
      await until(() => statuses.includes('waiting'));
      await submit('after-drop');
      await until(() => got.some((e) => e.type === 'job.submitted' && e.data.name === 'after-drop'));
      expect(calls.length).toBeGreaterThanOrEqual(2);
      expect(calls[0]!.lastEventId).toBeNull();
      expect(Number(calls[1]!.lastEventId)).toBe(lastBefore);
      const ids = got.map((e) => e.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(statuses.filter((s) => s === 'open').length).toBeGreaterThanOrEqual(2);
    } finally {
      stop();
    }
  });

  it('stops on a refused token and says so', async () => {
    let unauthorized = false;
    const stop = startEventStream({ url: '/api/v1/events', token: () => 'nope', afterId: 0, fetch: (i, init) => fetch(`${base}${String(i)}`, init), onEvent: () => undefined, onStatus: () => undefined, onUnauthorized: () => (unauthorized = true) });
    await until(() => unauthorized);
    stop();
    expect(unauthorized).toBe(true);
  });
});
