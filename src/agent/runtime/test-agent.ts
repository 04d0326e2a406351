import { join } from 'node:path';
import type { Catalog } from '../../catalog/index.js';
import type { ChipSpec } from '../../catalog/types.js';
import { simulatedDevices } from '../simulated.js';
import type { NodeAgentOptions } from './node-agent.js';
import { ProtocolClient } from './protocol-client.js';
import { registrationFor, telemetryOf } from './registration.js';

/**
 * Options for a node agent under test: node `n1` with simulated devices of one chip, talking to a
 * test control plane, with short heartbeats and backoff so tests run in seconds. For tests only.
 */
export function testAgentOptions(o: {
  chip: ChipSpec;
  count: number;
  catalog: Catalog;
  server: string;
  token: string;
  fetchImpl: typeof fetch;
  dir: string;
}): NodeAgentOptions {
  const devices = simulatedDevices([{ chip: o.chip, count: o.count }]);
  const reg = registrationFor({ nodeId: 'n1', cluster: 'c1', devices, catalog: o.catalog });
  return {
    client: new ProtocolClient({ server: o.server, token: o.token, fetchImpl: o.fetchImpl }),
    registration: reg.registration,
    chip: reg.chip,
    devices: reg.devices,
    stateDir: join(o.dir, 'state'),
    advertiseAddr: '127.0.0.1',
    baseEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    heartbeatSec: 0.1,
    maxBackoffSec: 0.5,
    graceSec: 1,
    flushMs: 30,
    telemetry: () => telemetryOf(reg.devices),
    random: () => 0.5,
  };
}
