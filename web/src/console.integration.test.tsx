// @vitest-environment jsdom
/**
 * The console in jsdom against a real control plane (in-process, real SQLite store, real HTTP):
 * sign in, Overview numbers, language switch, a job listed live, cancel with confirmation,
 * a refused token, and a member who sees only their tenant.
 */
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testPlane, type TestPlane } from '../../src/server/test-support.js';
import { App } from './app';
import { SessionProvider } from './api/session';
import { I18nProvider } from './i18n/i18n';

let plane: TestPlane;
let base: string;
const sys = { id: 'setup', role: 'system' as const };

beforeAll(async () => {
  plane = await testPlane();
  await plane.store.registerNode({ id: 'n1', cluster: 'c1', chip: 'nvidia-h20', devices: Array.from({ length: 8 }, (_, i) => ({ index: i })) }, sys);
  await plane.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = plane.app.server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});

afterEach(() => {
  cleanup();
  localStorage.clear();
  window.location.hash = '';
});

afterAll(async () => {
  await plane.close();
});

const remote: typeof fetch = (input, init) => fetch(typeof input === 'string' && input.startsWith('/') ? base + input : input, init);

function mount() {
  return render(
    <I18nProvider initial="en">
      <SessionProvider fetchImpl={remote}>
        <App />
      </SessionProvider>
    </I18nProvider>,
  );
}

async function signIn(token: string): Promise<void> {
  fireEvent.change(screen.getByLabelText('API token'), { target: { value: token } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('console against a real control plane', () => {
  it('signs in, shows the Overview from the API, and switches language', async () => {
    mount();
    await signIn(plane.tokens.admin);
    const cards = await screen.findByTestId('stat-cards', {}, { timeout: 10_000 });
    await waitFor(() => expect(within(cards).getByText('8')).toBeTruthy());
    // 8 x 148 TFLOPS = 1.184 PFLOPS, shown with one decimal.
    expect(within(screen.getByTestId('stat-pflops')).getByText('1.2')).toBeTruthy();
    expect(localStorage.getItem('tessera.token')).toBe(plane.tokens.admin);
    fireEvent.change(screen.getByTestId('lang'), { target: { value: 'zh-CN' } });
    expect(await screen.findByRole('heading', { name: '总览' })).toBeTruthy();
    expect(localStorage.getItem('tessera.lang')).toBe('zh-CN');
    expect(document.documentElement.lang).toBe('zh-CN');
  });

  it('lists a job submitted elsewhere without a reload, and cancels it after confirmation', async () => {
    mount();
    await signIn(plane.tokens.admin);
    await screen.findByTestId('stat-cards', {}, { timeout: 10_000 });
    act(() => {
      window.location.hash = '#/jobs';
    });
    await screen.findByTestId('new-job');
    // Submitted through the API after the page loaded: the SSE stream brings it in.
    const res = await plane.app.inject({ method: 'POST', url: '/api/v1/jobs', headers: plane.auth(plane.tokens.admin), payload: { name: 'live-arrival', kind: 'batch', command: ['sleep', '1'], resources: { count: 1 }, tenant: 'alice-co' } });
    const id = res.json().id as string;
    const link = await screen.findByRole('link', { name: 'live-arrival' }, { timeout: 10_000 });
    fireEvent.click(link);
    act(() => {
      window.location.hash = `#/jobs/${id}`;
    });
    fireEvent.click(await screen.findByTestId('cancel-job', {}, { timeout: 10_000 }));
    const dialog = await screen.findByRole('alertdialog');
    expect(within(dialog).getByText(/Cancel job live-arrival\?/)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel job' }));
    await waitFor(async () => expect((await plane.store.getJob(id))?.state).toBe('Cancelled'), { timeout: 10_000 });
    await waitFor(() => expect(screen.getAllByText('Cancelled').length).toBeGreaterThan(0), { timeout: 10_000 });
  });

  it('returns to sign-in with a message when the token is revoked mid-session', async () => {
    const { token, secret } = await plane.store.createToken({ name: 'short-lived', role: 'operator' }, sys);
    mount();
    await signIn(secret);
    await screen.findByTestId('stat-cards', {}, { timeout: 10_000 });
    await plane.store.revokeToken(token.id, sys);
    act(() => {
      window.location.hash = '#/catalog';
    });
    expect(await screen.findByText('Your token is no longer accepted. Sign in again.', {}, { timeout: 10_000 })).toBeTruthy();
    expect(localStorage.getItem('tessera.token')).toBeNull();
  });

  it('refuses an unknown token with the server reason', async () => {
    mount();
    await signIn('not-a-token');
    expect(await screen.findByText(/This token was not accepted: unknown or revoked token/)).toBeTruthy();
    expect(localStorage.getItem('tessera.token')).toBeNull();
  });

  it("shows a tenant member only their tenant's jobs", async () => {
    await plane.app.inject({ method: 'POST', url: '/api/v1/jobs', headers: plane.auth(plane.tokens.bob), payload: { name: 'bobs-secret', kind: 'batch', command: ['x'], resources: { count: 1 } } });
    await plane.app.inject({ method: 'POST', url: '/api/v1/jobs', headers: plane.auth(plane.tokens.alice), payload: { name: 'alices-own', kind: 'batch', command: ['x'], resources: { count: 1 } } });
    window.location.hash = '#/jobs';
    mount();
    await signIn(plane.tokens.alice);
    expect(await screen.findByRole('link', { name: 'alices-own' }, { timeout: 10_000 })).toBeTruthy();
    expect(screen.queryByText('bobs-secret')).toBeNull();
  });
});
