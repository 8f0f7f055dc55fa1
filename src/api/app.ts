// buildApp assembles the HTTP API without listening, so tests drive it with inject().
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import helmet from '@fastify/helmet';
import { frameworkErrors, registerErrorHandling } from './plugins/errors.js';
import { idempotencyPlugin } from './plugins/idempotency.js';
import { auditPlugin } from './plugins/audit.js';
import { registerAuth } from './plugins/auth.js';
import { authRoutes } from './routes/auth.routes.js';
import { ledgerRoutes } from './routes/ledger.routes.js';
import { homeRoutes } from './routes/home.routes.js';
import { complianceRoutes } from './routes/compliance.routes.js';

export async function buildApp(deps: Deps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    genReqId: () => `req_${crypto.randomUUID()}`,
    frameworkErrors: frameworkErrors as never,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app as unknown as FastifyInstance);
  // Security headers; the API documentation page needs its own inline script and styles.
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        'script-src': ["'self'", "'unsafe-inline'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
      },
    },
  });
  // Before any route, so its onRoute hook sees every one of them.
  await registerAuth(app as unknown as FastifyInstance, deps);
  // One audit event per API request, after the actor is known.
  await app.register(auditPlugin(deps));
  // Writes that create money or contacts answer a retry carrying the same Idempotency-Key with the first answer.
  await app.register(idempotencyPlugin(deps));

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Clement API', description: 'Collections for online micro-lenders: effective, lawful and kind.', version: '0.1.0' },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  app.get(
    '/api/health',
    { schema: { tags: ['system'], summary: 'Liveness and database reachability', response: { 200: z.object({ status: z.literal('ok'), database: z.enum(['pglite', 'postgres']) }) } } },
    async () => {
      await deps.db.query('SELECT 1');
      return { status: 'ok' as const, database: deps.db.kind };
    },
  );
  await app.register(authRoutes(deps), { prefix: '/api/v1' });
  await app.register(ledgerRoutes(deps), { prefix: '/api/v1' });
  await app.register(complianceRoutes(deps), { prefix: '/api/v1' });
  await app.register(homeRoutes(deps));
  return app as unknown as FastifyInstance;
}
