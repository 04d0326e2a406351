/** Admission: per-key and per-tenant rate limits, priority shedding under overload. */
export { MinuteBucket } from './token-bucket.js';
export { RateLimits, type Admission, type Subject } from './rate-limits.js';
export { OverloadGuard } from './overload.js';
