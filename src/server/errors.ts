/**
 * The one place where errors become HTTP statuses. Handlers throw TesseraErrors; Fastify's own
 * errors (bad JSON, body too large, wrong content type) keep their 4xx; anything else is a 500
 * logged with its stack and answered without it.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode, isTesseraError, ValidationError, type ValidationIssue } from '../lib/errors.js';

const statusByCode: Record<ErrorCode, number> = {
  [ErrorCode.invalidInput]: 400,
  [ErrorCode.unauthorized]: 401,
  [ErrorCode.forbidden]: 403,
  [ErrorCode.notFound]: 404,
  [ErrorCode.conflict]: 409,
  [ErrorCode.tooLarge]: 413,
  [ErrorCode.infeasible]: 422,
  [ErrorCode.unavailable]: 503,
  [ErrorCode.internal]: 500,
};

export function statusOf(code: ErrorCode): number {
  return statusByCode[code];
}

export interface ErrorBody {
  error: string;
  message: string;
  issues?: ValidationIssue[];
}

const fastifyCodes: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: ErrorCode.tooLarge,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ErrorCode.invalidInput,
  FST_ERR_CTP_EMPTY_JSON_BODY: ErrorCode.invalidInput,
  FST_ERR_CTP_INVALID_JSON_BODY: ErrorCode.invalidInput,
};

export function errorHandler(error: FastifyError | Error, req: FastifyRequest, reply: FastifyReply): void {
  if (isTesseraError(error)) {
    const body: ErrorBody = { error: error.code, message: error.message };
    if (error instanceof ValidationError) body.issues = error.issues;
    void reply.status(statusOf(error.code)).send(body);
    return;
  }
  const fe = error as FastifyError;
  const status = typeof fe.statusCode === 'number' ? fe.statusCode : 500;
  if (status >= 400 && status < 500) {
    const code = (fe.code && fastifyCodes[fe.code]) ?? (status === 413 ? ErrorCode.tooLarge : status === 404 ? ErrorCode.notFound : ErrorCode.invalidInput);
    const message = fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError ? 'request body is not valid JSON' : fe.message;
    void reply.status(status).send({ error: code, message } satisfies ErrorBody);
    return;
  }
  req.log.error({ err: error }, 'unhandled error');
  void reply.status(500).send({ error: ErrorCode.internal, message: 'internal error; see the server log' } satisfies ErrorBody);
}
