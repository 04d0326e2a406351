/**
 * The agent protocol, version 1 (HTTP+JSON under /api/v1/agent). Each agent authenticates with its
 * own node token; a token bound to one node cannot speak for another.
 */
import { Type } from '@sinclair/typebox';
import { TesseraError } from '../../lib/errors.js';
import type { LogChunk, NodeRegistration } from '../../store/index.js';
import { agentOnly, principal } from '../auth.js';
import type { AgentService, HeartbeatInput, StatusReport } from '../agent-service.js';
import { route, type RouteDef } from '../route.js';
import { AnyObject, ErrorSchema, errorResponses } from '../schemas.js';

const NodeId = Type.String({ minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9][A-Za-z0-9._/-]*$' });
const Version = Type.Integer({ minimum: 1, maximum: 1000, description: 'Agent protocol version; this server speaks 1' });
const JobParams = Type.Object({ jobId: Type.String({ minLength: 1, maxLength: 128 }) }, { additionalProperties: false });
const Small = (max: number) => Type.Number({ minimum: 0, maximum: max });

const DeviceTelemetrySchema = Type.Object(
  { index: Type.Integer({ minimum: 0, maximum: 1023 }), utilPct: Type.Optional(Small(100)), memUsedMiB: Type.Optional(Small(10_000_000)), tempC: Type.Optional(Type.Number({ minimum: -50, maximum: 200 })), powerW: Type.Optional(Small(100_000)), healthy: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

function checkNode(req: Parameters<RouteDef['handler']>[0], nodeId: string): void {
  const p = principal(req);
  if (p.token.nodeId !== null && p.token.nodeId !== nodeId) throw new TesseraError('forbidden', `this agent token belongs to node ${p.token.nodeId}, not ${nodeId}`);
}

function checkVersion(v: number): void {
  if (v !== 1) throw new TesseraError('infeasible', `/protocolVersion: this server speaks agent protocol 1, not ${v}`);
}

export function agentRoutes(agents: AgentService): RouteDef[] {
  return [
    route({
      method: 'POST',
      url: '/api/v1/agent/register',
      summary: 'Register a node: identity, devices, software stacks',
      tag: 'agent',
      access: agentOnly,
      body: Type.Object(
        {
          protocolVersion: Version,
          node: Type.Object(
            {
              id: NodeId,
              cluster: Type.String({ minLength: 1, maxLength: 64 }),
              chip: Type.String({ minLength: 1, maxLength: 64 }),
              rack: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
              linkDomainSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 1024 })),
              devices: Type.Array(Type.Object({ index: Type.Integer({ minimum: 0, maximum: 1023 }), uuid: Type.Optional(Type.String({ maxLength: 128 })), healthy: Type.Optional(Type.Boolean()), memoryMiB: Type.Optional(Small(10_000_000)) }, { additionalProperties: false }), { maxItems: 1024 }),
              stacks: Type.Optional(Type.Array(Type.String({ maxLength: 32 }), { maxItems: 16 })),
              cpuMilli: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000_000 })),
              memoryMiB: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000 })),
              labels: Type.Optional(Type.Record(Type.String({ maxLength: 63 }), Type.String({ maxLength: 256 }), { maxProperties: 64 })),
              simulated: Type.Optional(Type.Boolean()),
              agentVersion: Type.Optional(Type.String({ maxLength: 64 })),
            },
            { additionalProperties: false },
          ),
        },
        { additionalProperties: false },
      ),
      responses: { 200: AnyObject, ...errorResponses, 422: ErrorSchema },
      handler: async (req) => {
        const b = req.body as { protocolVersion: number; node: NodeRegistration };
        checkVersion(b.protocolVersion);
        checkNode(req, b.node.id);
        return agents.register(b.node, principal(req));
      },
    }),
    route({
      method: 'POST',
      url: '/api/v1/agent/heartbeat',
      summary: 'Heartbeat with telemetry; answers with the node assignments and the jobs to stop',
      tag: 'agent',
      access: agentOnly,
      body: Type.Object(
        {
          protocolVersion: Version,
          nodeId: NodeId,
          devices: Type.Optional(Type.Array(DeviceTelemetrySchema, { maxItems: 1024 })),
          running: Type.Optional(Type.Array(Type.String({ maxLength: 128 }), { maxItems: 10_000 })),
          loadAvg: Type.Optional(Small(100_000)),
          droppedLogChunks: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'Log chunks dropped by the bounded buffer since the agent started' })),
          droppedLogBytes: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })),
          queuedReports: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000, description: 'Status and exit reports waiting to be delivered' })),
          queuedLogChunks: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000_000, description: 'Log chunks waiting to be delivered' })),
          simulated: Type.Optional(Type.Boolean({ description: 'The telemetry is made up (demo agents)' })),
        },
        { additionalProperties: false },
      ),
      responses: { 200: AnyObject, ...errorResponses, 404: ErrorSchema },
      handler: async (req) => {
        const b = req.body as HeartbeatInput & { protocolVersion: number; nodeId: string };
        checkVersion(b.protocolVersion);
        checkNode(req, b.nodeId);
        const { protocolVersion: _v, nodeId, ...rest } = b;
        return agents.heartbeat(nodeId, rest);
      },
    }),
    route({
      method: 'POST',
      url: '/api/v1/agent/assignments/:jobId/ack',
      summary: 'Acknowledge an assignment',
      tag: 'agent',
      access: agentOnly,
      params: JobParams,
      body: Type.Object({ nodeId: NodeId, attempt: Type.Integer({ minimum: 1, maximum: 100_000 }) }, { additionalProperties: false }),
      responses: { 200: AnyObject, ...errorResponses, 404: ErrorSchema, 409: ErrorSchema },
      handler: async (req) => {
        const b = req.body as { nodeId: string; attempt: number };
        checkNode(req, b.nodeId);
        return agents.ack(b.nodeId, (req.params as { jobId: string }).jobId, b.attempt);
      },
    }),
    route({
      method: 'POST',
      url: '/api/v1/agent/jobs/:jobId/status',
      summary: 'Report a job running, or its exit',
      tag: 'agent',
      access: agentOnly,
      params: JobParams,
      body: Type.Object(
        {
          nodeId: NodeId,
          attempt: Type.Integer({ minimum: 1, maximum: 100_000 }),
          state: Type.Union([Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed')]),
          exitCode: Type.Optional(Type.Integer({ minimum: -255, maximum: 255 })),
          signal: Type.Optional(Type.String({ minLength: 1, maxLength: 16, pattern: '^[A-Z0-9+-]+$', description: 'Signal that ended the process, e.g. SIGKILL' })),
          message: Type.Optional(Type.String({ maxLength: 2000 })),
        },
        { additionalProperties: false },
      ),
      responses: { 200: AnyObject, ...errorResponses, 404: ErrorSchema, 409: ErrorSchema },
      handler: async (req) => {
        const b = req.body as StatusReport & { nodeId: string };
        checkNode(req, b.nodeId);
        const { nodeId, ...report } = b;
        return agents.status(nodeId, (req.params as { jobId: string }).jobId, report);
      },
    }),
    route({
      method: 'POST',
      url: '/api/v1/agent/jobs/:jobId/logs',
      summary: 'Append log chunks of one rank (numbered per rank from 1; a chunk sent twice is kept once)',
      tag: 'agent',
      access: agentOnly,
      params: JobParams,
      body: Type.Object(
        {
          nodeId: NodeId,
          attempt: Type.Integer({ minimum: 1, maximum: 100_000 }),
          nodeRank: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, description: 'This node\'s rank in the job (checked against the placement while it lasts)' })),
          chunks: Type.Array(Type.Object({ seq: Type.Integer({ minimum: 1, maximum: 2_000_000_000 }), stream: Type.Union([Type.Literal('stdout'), Type.Literal('stderr')]), text: Type.String({ maxLength: 65_536 }) }, { additionalProperties: false }), { minItems: 1, maxItems: 500 }),
        },
        { additionalProperties: false },
      ),
      responses: { 200: AnyObject, ...errorResponses, 404: ErrorSchema },
      handler: async (req) => {
        const b = req.body as { nodeId: string; attempt: number; nodeRank?: number; chunks: LogChunk[] };
        checkNode(req, b.nodeId);
        return agents.logs(b.nodeId, (req.params as { jobId: string }).jobId, b.attempt, b.chunks, b.nodeRank);
      },
    }),
  ];
}
