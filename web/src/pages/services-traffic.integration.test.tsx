// @vitest-environment jsdom
/**
 * The services page against a real control plane (in-process, SQLite store, real HTTP): traffic
 * buckets stored as the gateway stores them come back through `/services/{id}/traffic` and show
 * per chip, with the SLO attainment the buckets imply.
 */
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testPlane, type TestPlane } from '../../../src/server/test-support.js';
import { SessionProvider } from '../api/session';
import { I18nProvider } from '../i18n/i18n';
import { ServicesPage } from './services';

let plane: TestPlane;
let base: string;

beforeAll(async () => {
  plane = await testPlane();
  await plane.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = plane.app.server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});

afterEach(() => {
  cleanup();
  localStorage.clear();
});

afterAll(async () => {
  await plane.close();
});

const remote: typeof fetch = (input, init) => fetch(typeof input === 'string' && input.startsWith('/') ? base + input : input, init);

describe('services page traffic', () => {
  it('shows requests, p95 TTFT and SLO attainment per chip from the stored buckets', async () => {
    const res = await remote('/api/v1/services', { method: 'POST', headers: { authorization: `Bearer ${plane.tokens.admin}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'chat', model: { name: 'qwen2.5-7b' }, replicas: 0, slo: { ttftMsP99: 500, tpotMsP99: 50 } }) });
    expect(res.status).toBe(201);
    const service = ((await res.json()) as { id: string }).id;
    const minuteMs = Math.floor(Date.now() / 60_000) * 60_000;
    const hist = (at: number, count: number): number[] => Array.from({ length: 26 }, (_, i) => (i === at ? count : 0));
    // 8 requests on the H20 (TTFT bucket 7 = 20 ms, TPOT bucket 5 = 10 ms), 4 on the L20 with one error; 3 of the L20's 3 judged met the SLO, 6 of 8 on the H20.
    await plane.store.addServiceTraffic([
      { service, model: 'qwen2.5-7b', chip: 'nvidia-h20', minuteMs, requests: 8, errors: 0, sloJudged: 8, sloMet: 6, ttftHist: hist(7, 8), tpotHist: hist(5, 8) },
      { service, model: 'qwen2.5-7b', chip: 'nvidia-l20', minuteMs, requests: 4, errors: 1, sloJudged: 3, sloMet: 3, ttftHist: hist(9, 3), tpotHist: hist(6, 3) },
    ]);
    localStorage.setItem('tessera.token', plane.tokens.admin);
    render(
      <I18nProvider initial="en">
        <SessionProvider fetchImpl={remote}>
          <ServicesPage />
        </SessionProvider>
      </I18nProvider>,
    );
    await waitFor(() => expect(document.querySelector('tr[data-chip="nvidia-h20"]')).not.toBeNull(), { timeout: 5000 });
    const cells = (chip: string) => [...document.querySelectorAll(`tr[data-chip="${chip}"] td`)].map((td) => td.textContent);
    expect(cells('nvidia-h20').slice(2)).toEqual(['8', '0', '20', '10', '75%']);
    expect(cells('nvidia-l20').slice(2)).toEqual(['4', '1', '50', '15', '100%']);
    expect(cells('*').slice(2)).toEqual(['12', '1', '50', '15', '81.8%']);
    expect(screen.getByText('Last 15 minutes')).toBeTruthy();
  });
});
