/**
 * Edge validation with TypeBox's compiled checkers: every route's params, query, headers and body
 * are checked against the same schemas the OpenAPI document shows. Query strings and params are
 * converted first ("5" -> 5); bodies are not. A failure is a ValidationError naming each field path.
 */
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { Value } from '@sinclair/typebox/value';
import type { FastifySchemaCompiler } from 'fastify';
import { ValidationError, type ValidationIssue } from '../lib/errors.js';

export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const checker = TypeCompiler.Compile(schema);
  const convert = httpPart !== 'body';
  return (data: unknown) => {
    const value = convert ? Value.Convert(schema, data) : data;
    if (checker.Check(value)) return { value };
    const issues: ValidationIssue[] = [];
    for (const e of checker.Errors(value)) {
      issues.push({ path: `${e.path || '/'}`, message: `${httpPart ?? 'input'}: ${e.message}` });
      if (issues.length >= 20) break;
    }
    const where = httpPart === 'body' ? 'request body' : httpPart === 'querystring' ? 'query string' : (httpPart ?? 'request');
    return { error: new ValidationError(`invalid ${where}`, issues) };
  };
};
