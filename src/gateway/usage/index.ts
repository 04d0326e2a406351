/** Usage accounting: tokens in and out per tenant, model and chip; cost per million tokens per chip. */
export { UsageLedger, type UsageRow, type UsageReport, type ChipCost } from './accounting.js';
