// One audit event per API request (health, the API documentation and the web pages excepted):
// who (request.actor, set by the auth plugin; anonymous without one), what (method and route
// pattern), the status, from where (IP), the request id, and the ids the handlers touched through
// `request.audit.touch(kind, ids)`. A write records its event inside its own transaction (the
// services' `audit` argument); everything else is recorded after the response is sent.
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Actor } from '../../domain/access/permissions.js';
import type { Deps } from '../../deps.js';
import { AuditScope, recordScope, type AuditActor } from '../../services/audit/audit.service.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** What this request touched, recorded as its audit event. */
    audit: AuditScope;
  }
  interface FastifyInstance {
    /** Resolves once every audit event of a finished request is written (tests, shutdown). */
    auditSettled(): Promise<void>;
  }
}

/** API requests are audited; liveness probes, the documentation and static pages are not. */
export function isAudited(url: string): boolean {
  const path = url.split('?')[0]!;
  if (!path.startsWith('/api/')) return false;
  return !(path === '/api/health' || path === '/api/docs' || path.startsWith('/api/docs/'));
}

function actorOf(req: FastifyRequest): AuditActor | null {
  // Declared by the auth plugin; read loosely here so the two plugins do not depend on each other.
  const actor = (req as { actor?: Actor | null }).actor;
  return actor ? { name: actor.name, userId: actor.userId } : null;
}

function scopeFor(req: FastifyRequest): AuditScope {
  return new AuditScope({
    action: `${req.method} ${req.routeOptions.url ?? '(no route)'}`,
    source: req.ip,
    requestId: req.id,
    actor: () => actorOf(req),
  });
}

export function auditPlugin(deps: Deps): FastifyPluginAsync {
  const plugin: FastifyPluginAsync = async (app: FastifyInstance) => {
    const pending = new Set<Promise<void>>();
    app.decorateRequest('audit', null as unknown as AuditScope);
    app.decorate('auditSettled', async () => {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    });

    app.addHook('onRequest', async (req) => {
      req.audit = scopeFor(req);
    });

    app.addHook('onResponse', async (req, reply) => {
      if (!isAudited(req.url)) return;
      // A request refused before this plugin's onRequest ran (an earlier hook answered) has no scope yet.
      const scope = req.audit ?? scopeFor(req);
      if (scope.recorded) return;
      const p = recordScope(deps.db, scope, String(reply.statusCode))
        .catch((err: Error) => req.log.error({ err: { message: err.message } }, 'audit event could not be recorded'))
        .finally(() => pending.delete(p));
      pending.add(p);
    });

    // Graceful shutdown finishes the events of requests already answered.
    app.addHook('onClose', async () => {
      await app.auditSettled();
    });
  };
  // Hooks on the root instance, for every route (what fastify-plugin does).
  Object.assign(plugin, { [Symbol.for('skip-override')]: true, [Symbol.for('fastify.display-name')]: 'clement-audit' });
  return plugin;
}
