/** Usage accounting: tokens in and out per tenant, model and chip; cost per million tokens per chip; stored between runs. Recent traffic per model, for the autoscaler. Per-minute traffic, latency and SLO attainment per service and chip. */
export { UsageLedger, type UsageRow, type UsageReport, type ChipCost } from './accounting.js';
export { readUsageFile, writeUsageFile, type UsageFile } from './usage-file.js';
export { TrafficMeter, type TrafficSample } from './traffic.js';
export { ServiceMeter, LATENCY_BOUNDS_MS, MINUTE_MS, histQuantileMs, type SloTargets, type TrafficBucket, type ServedObservation } from './service-meter.js';
export { summarizeTraffic, type TrafficFigures, type TrafficSummary } from './traffic-summary.js';
export { DemandMeter, type DemandBucket } from './demand-meter.js';
