import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isAppError } from '../shared/app-error';

/** The JSON body of every error answer. */
export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown>; issues?: { path: string; message: string }[] };
}

/**
 * Maps every error to one JSON shape. AppErrors carry their code; schema failures list each field
 * that is wrong; anything unexpected is logged (without request bodies) and answered as INTERNAL.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isAppError(error)) {
      const retryAfter = error.details?.retryAfterSeconds;
      if (typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter));
      const body: ErrorBody = { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } };
      return reply.status(error.status).send(body);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation.map((issue) => ({
        path: issue.instancePath.replace(/^\//, '').replaceAll('/', '.'),
        message: issue.message ?? 'invalid',
      }));
      return reply.status(400).send({
        error: { code: 'VALIDATION_FAILED', message: `Invalid input: ${issues.map((i) => `${i.path || 'body'}: ${i.message}`).join('; ')}`, issues },
      } satisfies ErrorBody);
    }
    const status = error.statusCode ?? 500;
    if (status === 413 || error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.status(413).send({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'The request is too large' } } satisfies ErrorBody);
    }
    if (status === 429) {
      return reply.status(429).send({ error: { code: 'RATE_LIMITED', message: 'Too many requests; slow down and try again shortly' } } satisfies ErrorBody);
    }
    if (status >= 400 && status < 500) {
      return reply.status(status).send({ error: { code: 'BAD_REQUEST', message: error.message } } satisfies ErrorBody);
    }
    // Not under `err`: pino's error serializer would replace the type with "Object" and copy every
    // property of a real error (a driver's error may quote stored values in `detail`).
    request.log.error({ error: { type: error.name, message: error.message, stack: error.stack } }, 'request failed');
    return reply.status(500).send({ error: { code: 'INTERNAL', message: 'Something went wrong on the server' } } satisfies ErrorBody);
  });
  app.setNotFoundHandler((_request, reply) => reply.status(404).send({ error: { code: 'NOT_FOUND', message: 'Not found' } } satisfies ErrorBody));
}
