/** Usage accounting: tokens in and out per tenant, model and chip; cost per million tokens per chip; stored between runs. Recent traffic per model, for the autoscaler. */
export { UsageLedger, type UsageRow, type UsageReport, type ChipCost } from './accounting.js';
export { readUsageFile, writeUsageFile, type UsageFile } from './usage-file.js';
export { TrafficMeter, type TrafficSample } from './traffic.js';
