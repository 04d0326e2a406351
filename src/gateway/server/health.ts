import { get, type Agent } from 'node:http';

/**
 * Active health check of one engine: `GET /health` (vLLM, SGLang, LMDeploy, the emulator), and
 * `GET /v1/models` for engines without it. Resolves true on any 2xx within the timeout.
 */
export function checkHealth(host: string, port: number, agent: Agent, timeoutMs: number): Promise<boolean> {
  const probe = (path: string): Promise<number> =>
    new Promise((resolve) => {
      const req = get({ host, port, path, agent, timeout: timeoutMs }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(0));
      });
      req.on('timeout', () => req.destroy());
      req.on('error', () => resolve(0));
    });
  return probe('/health').then((s) => (s === 404 || s === 405 ? probe('/v1/models') : s)).then((s) => s >= 200 && s < 300);
}
