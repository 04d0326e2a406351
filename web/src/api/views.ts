/**
 * Shapes of the few responses the server documents only as open objects (`AnyObject`): node
 * detail, services, usage, chips, explain, logs. Everything else comes from the generated types;
 * these name only the fields the console reads, and the console checks them before use.
 */
import type { Event, Job, Node, Paths, Tenant } from './types';

export type { Event, Job, Node, Tenant };
export type JobState = Job['state'];
export type Capacity = Paths['/api/v1/console/capacity']['get']['response'];
export type History = Paths['/api/v1/console/history']['get']['response'];
export type Heatmap = Paths['/api/v1/console/heatmap']['get']['response'];
export type Comparison = Paths['/api/v1/console/comparison']['get']['response'];
export type JobSpecInput = Paths['/api/v1/jobs']['post']['body'];

export interface DeviceView {
  nodeId: string;
  index: number;
  uuid: string | null;
  healthy: boolean;
  usedMilli: number;
  telemetry: Record<string, number> | null;
}

export interface NodeDetail extends Node {
  devices: DeviceView[];
  heartbeatAgeSec?: number;
  labels?: Record<string, string>;
  telemetry?: Record<string, unknown> | null;
}

export interface ServiceView {
  id: string;
  tenant: string;
  name: string;
  state: string;
  createdAtMs: number;
  spec: { model: { name: string }; replicas: number; cardsPerReplica?: number; slo?: { ttftMsP99?: number; tpotMsP99?: number }; chips?: unknown };
  readyReplicas: number;
  replicas: { jobId: string; state: string; chip: string | null; nodes: string[] }[];
  endpoints: { jobId: string; chip: string | null; node: string | null }[];
}

export interface UsageRow {
  tenant: string;
  chip: string;
  cardSec: number;
  jobs: number;
}

export interface Figure {
  value: number | null;
  source?: string;
  confidence: string;
  note?: string;
}

export interface ChipView {
  id: string;
  vendor: string;
  names: { en: string; zh: string };
  memoryGiB: Figure;
  memBandwidthGBps?: Figure;
  densePeak: Record<string, Figure>;
  tdpW?: Figure;
  memoryType?: string;
  software?: { stack?: string };
  sources?: Record<string, { title?: string; url?: string }>;
}

export interface Explain {
  id: string;
  state: string;
  summary: string;
  reasons: { plugin: string; reason: string }[];
}

export interface LogLine {
  seq: number;
  stream: 'stdout' | 'stderr';
  text: string;
  atMs?: number;
}

export interface QueueView {
  tenant: string;
  name: string;
  weight: number;
  priority: number;
}
