/**
 * Runs one console simulation off the control plane's event loop: a simulation of thousands of jobs
 * on 22,832 cards takes seconds of CPU, which in the main thread would stall the API and the agents'
 * heartbeats. Started by `simulateOffThread` with the request as workerData.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { builtinCatalog } from '../../catalog/index.js';
import { runSimulation, type SimulateRequest } from './simulate.js';

try {
  parentPort?.postMessage({ ok: true, result: runSimulation(workerData as SimulateRequest, builtinCatalog()) });
} catch (e) {
  const err = e as { code?: unknown; message?: unknown };
  parentPort?.postMessage({ ok: false, code: typeof err.code === 'string' ? err.code : 'internal', message: typeof err.message === 'string' ? err.message : String(e) });
}
