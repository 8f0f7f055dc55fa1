// Routes marked `config: { idempotent: true }` honour an Idempotency-Key header.
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.js';
import { claimIdempotencyKey, requestHash, settleIdempotencyKey } from '../../services/idempotency/idempotency.service.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    idempotent?: boolean;
  }
  interface FastifyRequest {
    idempotency?: { scope: string; key: string };
  }
}

function scopeOf(req: FastifyRequest): string {
  const actor = (req as unknown as { actor?: { name?: string } }).actor;
  return actor?.name ?? 'anonymous';
}

export const idempotencyPlugin = (deps: Deps) =>
  fp(async (app: FastifyInstance) => {
    app.addHook('preHandler', async (req: FastifyRequest, reply: FastifyReply) => {
      const header = req.headers['idempotency-key'];
      if (!req.routeOptions.config?.idempotent || header === undefined) return;
      const key = Array.isArray(header) ? header[0]! : header;
      const scope = scopeOf(req);
      const claim = await claimIdempotencyKey(deps, scope, key, requestHash(req.method, req.url, req.body));
      if (claim.kind === 'replay') {
        reply.header('idempotent-replay', 'true');
        return reply.code(claim.status).type('application/json; charset=utf-8').send(claim.body);
      }
      req.idempotency = { scope, key };
    });
    app.addHook('onSend', async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
      if (!req.idempotency) return payload;
      await settleIdempotencyKey(deps, req.idempotency.scope, req.idempotency.key, reply.statusCode, String(payload));
      req.idempotency = undefined;
      return payload;
    });
  }, { name: 'clement-idempotency' });
