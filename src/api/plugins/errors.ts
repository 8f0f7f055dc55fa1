// One place maps errors to HTTP: AppError by kind, schema failures to 400 naming each field,
// anything unexpected to a 500 without a stack trace or personal data.
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, type ErrorKind } from '../../services/errors.js';

/** SQLSTATEs for text PostgreSQL cannot store (NUL, invalid UTF-8): the client sent it. */
const UNSTORABLE_TEXT = new Set(['22021', '22P05']);

const STATUS: Record<ErrorKind, number> = {
  validation: 400,
  not_found: 404,
  conflict: 409,
  unauthorized: 401,
  forbidden: 403,
  unavailable: 503,
  locked: 423,
  rate_limited: 429,
};

/** Errors Fastify raises before routing (a malformed URL, a parameter too long), in our envelope. */
export function frameworkErrors(err: FastifyError, req: { id: string }, reply: { code(n: number): { send(b: unknown): unknown } }): void {
  const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400;
  reply.code(status).send({
    code: `REQUEST.${err.code ?? 'INVALID'}`,
    message: err.message,
    requestId: req.id,
    details: [{ field: 'url', message: err.message }],
  });
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    const requestId = req.id;
    if (err instanceof AppError) {
      return reply.code(STATUS[err.kind]).send({ code: err.code, message: err.message, requestId, details: err.details });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = err.validationContext ?? 'body';
      const details = err.validation.map((v) => {
        const path = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
        // An unknown key is reported on its parent object, with the key names in params.keys.
        const keys = (v.params as { keys?: string[] } | undefined)?.keys;
        const field = keys?.length ? keys.map((k) => (path ? `${path}.${k}` : k)).join(', ') : path || where;
        return { field, message: v.message ?? 'invalid' };
      });
      const summary = details.map((d) => `${d.field}: ${d.message}`).join('; ');
      return reply.code(400).send({ code: 'REQUEST.INVALID', message: `Invalid ${where}: ${summary}`, requestId, details });
    }
    if (UNSTORABLE_TEXT.has((err as { code?: string }).code ?? '')) {
      return reply.code(400).send({
        code: 'REQUEST.INVALID_CHARACTER',
        message: 'the request holds a character that cannot be stored (such as NUL)',
        requestId,
        details: [{ field: 'request', message: 'contains a character that cannot be stored' }],
      });
    }
    if (isResponseSerializationError(err)) {
      req.log.error({ err: { message: err.message } }, 'response did not match its schema');
      return reply.code(500).send({ code: 'INTERNAL', message: 'Internal error', requestId, details: [] });
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.code(status).send({ code: `REQUEST.${err.code ?? 'INVALID'}`, message: err.message, requestId, details: [] });
    }
    req.log.error({ err: { message: err.message, stack: err.stack } }, 'unexpected error');
    return reply.code(500).send({ code: 'INTERNAL', message: 'Internal error', requestId, details: [] });
  });

  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send({ code: 'NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0]}`, requestId: req.id, details: [] }),
  );
}
