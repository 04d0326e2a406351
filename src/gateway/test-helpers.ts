import { explicitTiming, startEmulator, type RunningEmulator } from './emulator/index.js';
import type { EmulatorFaults } from './emulator/server.js';
import type { ExplicitTimingParams } from './emulator/timing.js';

/** Starts a real emulator on 127.0.0.1 for tests and benchmarks (no mocks: the same server `tessera emulate` runs). */
export function emulator(chip: string, timing: Partial<ExplicitTimingParams> = {}, faults?: EmulatorFaults, model = 'm1'): Promise<RunningEmulator> {
  return startEmulator({ model, chip, timing: explicitTiming({ ttftMs: 1, tpotMs: 1, maxBatch: 8, ...timing }), ...(faults ? { faults } : {}) });
}

export function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

export const chat = (content = 'hello there', extra: Record<string, unknown> = {}): Record<string, unknown> => ({ model: 'm1', messages: [{ role: 'user', content }], max_tokens: 4, ...extra });
