/** Requests an engine reports running and waiting, whoever sent them. */
export interface EngineLoad {
  running: number;
  waiting: number;
}

/** Prometheus series that carry an engine's running and waiting requests (names matched without labels; several series add up). */
const RUNNING = ['vllm:num_requests_running', 'sglang:num_running_reqs', 'tgi_batch_current_size'];
const WAITING = ['vllm:num_requests_waiting', 'sglang:num_queue_reqs', 'tgi_queue_size'];

/** The emulator's `/health` JSON (`{"running": n, "waiting": n, ...}`); null for any other body. */
export function loadFromHealthJson(body: string): EngineLoad | null {
  try {
    const j = JSON.parse(body) as unknown;
    if (typeof j !== 'object' || j === null) return null;
    const { running, waiting } = j as Record<string, unknown>;
    return isCount(running) && isCount(waiting) ? { running, waiting } : null;
  } catch {
    return null;
  }
}

/** vLLM, SGLang or TGI `/metrics` (Prometheus text); null when neither figure is there. */
export function loadFromPrometheus(text: string): EngineLoad | null {
  let running: number | null = null;
  let waiting: number | null = null;
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const brace = line.indexOf('{');
    const space = line.lastIndexOf(' ');
    if (space <= 0) continue;
    const name = line.slice(0, brace >= 0 && brace < space ? brace : line.indexOf(' '));
    const value = Number(line.slice(space + 1));
    if (!Number.isFinite(value) || value < 0) continue;
    if (RUNNING.includes(name)) running = (running ?? 0) + value;
    else if (WAITING.includes(name)) waiting = (waiting ?? 0) + value;
  }
  return running === null && waiting === null ? null : { running: running ?? 0, waiting: waiting ?? 0 };
}

function isCount(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x) && x >= 0;
}
