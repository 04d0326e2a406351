/**
 * The one error hierarchy of Tessera. Bad input is an expected outcome: every entry point
 * turns a TesseraError into one clear sentence (CLI) or a status code (HTTP, mapped in one place),
 * never a stack trace.
 */
export const ErrorCode = {
  invalidInput: 'invalid_input',
  notFound: 'not_found',
  conflict: 'conflict',
  unauthorized: 'unauthorized',
  forbidden: 'forbidden',
  infeasible: 'infeasible',
  tooLarge: 'too_large',
  unavailable: 'unavailable',
  internal: 'internal',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class TesseraError extends Error {
  readonly code: ErrorCode;
  readonly context: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; context?: Record<string, unknown> } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TesseraError';
    this.code = code;
    this.context = options.context ?? {};
  }
}

/** One problem found while validating input: where it is and why it is wrong. */
export interface ValidationIssue {
  /** File name, when the input came from a file. */
  file?: string;
  /** 1-based line in that file, when known. */
  line?: number;
  /** JSON-pointer-like path of the offending field, e.g. `/nodeGroups/2/servers`. */
  path: string;
  /** Record id (chip id, node group id) when the issue belongs to one record. */
  recordId?: string;
  message: string;
}

export function formatIssue(issue: ValidationIssue): string {
  const where = [issue.file ? `${issue.file}${issue.line ? `:${issue.line}` : ''}` : '', issue.recordId ? `record ${issue.recordId}` : '', issue.path ? `field ${issue.path}` : '']
    .filter((s) => s !== '')
    .join(', ');
  return where ? `${where}: ${issue.message}` : issue.message;
}

/** Input failed validation; carries every issue found, not only the first. */
export class ValidationError extends TesseraError {
  readonly issues: ValidationIssue[];

  constructor(summary: string, issues: ValidationIssue[]) {
    const first = issues[0];
    const message = issues.length === 1 && first ? formatIssue(first) : `${summary}: ${issues.length} problems; first: ${first ? formatIssue(first) : 'none'}`;
    super(ErrorCode.invalidInput, message, { context: { issues } });
    this.name = 'ValidationError';
    this.issues = issues;
  }
}

export function invalid(message: string, context: Record<string, unknown> = {}): TesseraError {
  return new TesseraError(ErrorCode.invalidInput, message, { context });
}

export function notFound(message: string, context: Record<string, unknown> = {}): TesseraError {
  return new TesseraError(ErrorCode.notFound, message, { context });
}

export function isTesseraError(e: unknown): e is TesseraError {
  return e instanceof TesseraError;
}
