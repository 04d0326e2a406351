/**
 * Queues and tenants for the scheduler engine, as plugins on the framework: hierarchical queues with
 * nominal quota per chip type and per H20-equivalent, borrowing and lending limits (`queue-quota`),
 * hierarchical DRF order with priorities inside a queue (`drf-order`), preemption that reclaims borrowed
 * quota first and never splits a gang (`queue-preemption`), EASY backfill (`backfill`), and the
 * `tenant-fair` profiles that combine them with placement. Use:
 * `schedule(snapshot, queue, { profile: tenantFairProfile(), registry: queueingRegistry(), rng })`.
 */
export { registerQueueing, queueingRegistry, queueingPlugins } from './register.js';
export { tenantFairProfile, queueingProfile, queueingProfileNames, resolveQueueingProfile, type TenantFairOptions } from './profiles.js';
export { parseQueues, QueueSpecSchema, QuotaSchema, QuotaResource, type QueueSpec, type QueueDef, type Quota } from './queue-config.js';
export { QueueBook, bookFor, type RunInfo } from './queue-book.js';
export { QuotaTree } from './quota-tree.js';
export { drfOrder } from './drf.js';
export { parseH20eqArg, DEFAULT_H20EQ, type H20eqWeights } from './h20eq-weights.js';
export { h20eqFromPerf, type H20eqTable } from './h20eq-from-perf.js';
export { reserve, type Reservation } from './backfill.js';
export { tenantQueueTree, tenantQueueName, type TenantSpec, type TenantQueueSpec } from './tenant-tree.js';
