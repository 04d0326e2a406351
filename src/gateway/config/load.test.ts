import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lib/errors.js';
import { parseGatewayConfig } from './load.js';

const good = `replicas:
  - id: h20-0
    model: qwen2.5-7b
    url: http://127.0.0.1:8001
    chip: nvidia-h20
    maxBatch: 32
tenants:
  - id: acme
    priority: high
    limits: { requestsPerMin: 600 }
    keys:
      - key: sk-acme-123456
prices:
  nvidia-h20: 8.5
`;

function issuesOf(text: string): { line?: number; path: string; message: string }[] {
  try {
    parseGatewayConfig(text, 'gw.yaml');
  } catch (e) {
    if (e instanceof ValidationError) return e.issues;
    throw e;
  }
  throw new Error('expected a validation error');
}

describe('gateway config', () => {
  it('fills defaults and indexes API keys', () => {
    const c = parseGatewayConfig(good, 'gw.yaml');
    expect(c.routing).toMatchObject({ policy: 'slo', retries: 2, affinity: true });
    expect(c.keys.get('sk-acme-123456')).toMatchObject({ tenant: 'acme', priority: 'high' });
    expect(c.pricesCnyPerHour['nvidia-h20']).toBe(8.5);
  });

  it('names the field and line of each problem', () => {
    const bad = good.replace('url: http://127.0.0.1:8001', 'url: ftp://x').replace('maxBatch: 32', 'maxBatch: 0\n    speed: 3');
    const issues = issuesOf(bad);
    expect(issues).toContainEqual(expect.objectContaining({ path: '/replicas/0/url', line: 4 }));
    expect(issues).toContainEqual(expect.objectContaining({ path: '/replicas/0/maxBatch', line: 6 }));
    expect(issues).toContainEqual(expect.objectContaining({ path: '/replicas/0/speed', message: 'unknown field speed', line: 7 }));
  });

  it('refuses duplicate replica ids and shared API keys', () => {
    const dup = good.replace('tenants:', '  - id: h20-0\n    model: m\n    url: http://127.0.0.1:2\n    chip: c\ntenants:').replace('      - key: sk-acme-123456', '      - key: sk-acme-123456\n      - key: sk-acme-123456');
    const msgs = issuesOf(dup).map((i) => `${i.path}: ${i.message}`);
    expect(msgs).toContain('/replicas/1/id: replica id h20-0 is used twice (also at /replicas/0)');
    expect(msgs).toContain('/tenants/0/keys/1/key: this API key is already given to another key entry');
  });

  it('reports YAML syntax errors with a line', () => {
    expect(issuesOf('replicas: [\n  {id: x')[0]?.message).toMatch(/not valid YAML or JSON/);
  });
});
