/**
 * Typed plugin outcomes. `unschedulable`: not now (capacity may free up); `unresolvable`: never on this
 * fleet as it is (the engine rejects the job); `error`: a plugin failed (the job stays pending, the
 * reason says which plugin).
 */
export const StatusCode = {
  fit: 'fit',
  unschedulable: 'unschedulable',
  unresolvable: 'unresolvable',
  error: 'error',
} as const;
export type StatusCode = (typeof StatusCode)[keyof typeof StatusCode];

export interface Status {
  code: StatusCode;
  reason?: string;
}

/** Shared, frozen "fit" so that the hot loop allocates nothing on success. */
export const FIT: Status = Object.freeze({ code: StatusCode.fit });

export const unschedulable = (reason: string): Status => ({ code: StatusCode.unschedulable, reason });
export const unresolvable = (reason: string): Status => ({ code: StatusCode.unresolvable, reason });
export const pluginError = (reason: string): Status => ({ code: StatusCode.error, reason });
