/**
 * A real little cluster for the agent end-to-end test: `tessera serve` and `tessera agent`
 * processes from the built binary (dist/), on a free port and temp folders. Every process it starts
 * is tracked and killed on `destroy()`, including task process groups an agent left behind (read
 * from the agents' state files), also when a test fails half-way.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = join(repo, 'bin', 'tessera.js');

export function builtAvailable(): { ok: boolean; why: string } {
  if (!existsSync(join(repo, 'dist', 'src', 'cli', 'main.js'))) return { ok: false, why: 'dist/ not built (npm run build)' };
  if (!existsSync(join(repo, 'dist', 'src', 'cli', 'agent-run.js'))) return { ok: false, why: 'dist/ predates the agent run loop (npm run build)' };
  return { ok: true, why: '' };
}

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => res(port));
    });
  });
}

export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 20_000, everyMs = 150): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown = null;
  for (;;) {
    try {
      const v = await probe();
      if (v !== null && v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}${last instanceof Error ? ` (last error: ${last.message})` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

interface Proc {
  child: ChildProcess;
  log: string;
  out: WriteStream;
}

export class Cluster {
  readonly dir = mkdtempSync(join(tmpdir(), 'tessera-e2e-agent-'));
  readonly adminToken = `adm-${Math.random().toString(36).slice(2)}-e2e-agent`;
  port = 0;
  private server: Proc | null = null;
  private readonly agents = new Map<string, Proc>();
  private readonly agentArgs = new Map<string, string[]>();
  readonly tokens = new Map<string, string>();
  /** Last resort when the test process exits without destroy(): no agent or server outlives it. */
  private readonly onExit = (): void => {
    for (const p of [...this.agents.values(), ...(this.server ? [this.server] : [])]) p.child.kill('SIGKILL');
    this.killTasks();
  };

  constructor() {
    process.once('exit', this.onExit);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private launch(name: string, args: string[], env: Record<string, string> = {}): Proc {
    const log = join(this.dir, `${name}.log`);
    const out = createWriteStream(log, { flags: 'a' });
    const child = spawn(process.execPath, [bin, ...args], { cwd: repo, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.pipe(out, { end: false });
    child.stderr?.pipe(out, { end: false });
    return { child, log, out };
  }

  async startServer(leaseSec: number): Promise<void> {
    if (this.port === 0) this.port = await freePort();
    this.server = this.launch('server', ['serve', '--port', String(this.port), '--data-dir', join(this.dir, 'data'), '--node-lease-sec', String(leaseSec), '--interval-ms', '100', '--log-level', 'warn'], { TESSERA_ADMIN_TOKEN: this.adminToken });
    await waitFor('the control plane to answer', async () => (await fetch(`${this.url}/readyz`)).ok, 30_000);
  }

  /** SIGTERM, and waits until the control plane has exited. */
  async stopServer(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = null;
    await stopProcess(s.child, 'SIGTERM', 10_000);
  }

  async api<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.url}${path}`, { method, headers: { authorization: `Bearer ${this.adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
    const json = (await res.json()) as T;
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${JSON.stringify(json)}`);
    return json;
  }

  async agentToken(nodeId: string): Promise<string> {
    const t = await this.api<{ secret: string }>('POST', '/api/v1/tokens', { name: `agent-${nodeId}`, role: 'agent', nodeId });
    this.tokens.set(nodeId, t.secret);
    return t.secret;
  }

  stateDir(nodeId: string): string {
    return join(this.dir, `state-${nodeId}`);
  }

  async startAgent(nodeId: string, devices: string): Promise<void> {
    const token = this.tokens.get(nodeId) ?? (await this.agentToken(nodeId));
    const args = ['agent', '--server', this.url, '--token', token, '--node-id', nodeId, '--devices', devices, '--state-dir', this.stateDir(nodeId), '--heartbeat-sec', '0.5', '--max-backoff-sec', '1', '--grace-sec', '2'];
    this.agentArgs.set(nodeId, args);
    this.agents.set(nodeId, this.launch(`agent-${nodeId}`, args));
  }

  async restartAgent(nodeId: string): Promise<void> {
    const args = this.agentArgs.get(nodeId);
    if (!args) throw new Error(`agent ${nodeId} was never started`);
    this.agents.set(nodeId, this.launch(`agent-${nodeId}`, args));
  }

  /** SIGKILL of the agent process alone: its tasks (own process groups) keep running. */
  async killAgent(nodeId: string): Promise<void> {
    const a = this.agents.get(nodeId);
    this.agents.delete(nodeId);
    if (a) await stopProcess(a.child, 'SIGKILL', 5_000);
  }

  private killTasks(): void {
    for (const nodeId of this.agentArgs.keys()) {
      try {
        const state = JSON.parse(readFileSync(join(this.stateDir(nodeId), 'agent-state.json'), 'utf8')) as { tasks: { pid: number | null }[] };
        for (const t of state.tasks) if (t.pid) killGroup(t.pid);
      } catch {
        // No state file: that agent never started a task.
      }
    }
  }

  agentLog(nodeId: string): string {
    return readLog(join(this.dir, `agent-${nodeId}.log`));
  }

  serverLog(): string {
    return readLog(join(this.dir, 'server.log'));
  }

  /** Kills everything: agents, server, and any task process group recorded in an agent state file. */
  async destroy(keepDir = false): Promise<void> {
    const all = [...this.agents.values(), ...(this.server ? [this.server] : [])];
    this.agents.clear();
    this.server = null;
    await Promise.all(all.map((p) => stopProcess(p.child, 'SIGKILL', 5_000)));
    this.killTasks();
    process.off('exit', this.onExit);
    for (const p of all) p.out.end();
    if (!keepDir) rmSync(this.dir, { recursive: true, force: true });
  }
}

function readLog(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

async function stopProcess(child: ChildProcess, signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}
