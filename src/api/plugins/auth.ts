// Every request is authenticated and authorized here, in one onRequest hook, before its body is
// read: a session cookie (with a CSRF token for writes) or an API token (`Authorization: Bearer`),
// then the permission the route declares in `config.permission`, checked against the matrix.
// A route that declares none is refused unless it is on the public list below: forgetting the
// permission closes a route, it never opens one.
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allows, ANONYMOUS, type Actor, type Permission } from '../../domain/access/permissions.js';
import type { Deps } from '../../deps.js';
import { authenticateApiToken, authenticateSession, SESSION_POLICY } from '../../services/access/auth.service.js';
import { AppError } from '../../services/errors.js';

/** `authenticated`: any signed-in user or token, whatever its permissions (sign out, who am I). */
export type RoutePermission = Permission | 'authenticated';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What the caller must hold to use this route (see domain/access/permissions.ts). */
    permission?: RoutePermission;
  }
  interface FastifyRequest {
    /** Who is asking: ANONYMOUS on the public routes, otherwise the authenticated user or token. */
    actor: Actor;
  }
  interface FastifyInstance {
    /** Every route as registered, with the permission it declares: for the authorization tests and docs. */
    readonly routeCatalog: readonly RouteEntry[];
  }
}

export interface RouteEntry {
  method: string;
  url: string;
  permission: RoutePermission | undefined;
  public: boolean;
}

export const SESSION_COOKIE = 'clement_session';
export const CSRF_COOKIE = 'clement_csrf';
export const CSRF_HEADER = 'x-csrf-token';
/** Per client address, on the login route. */
export const LOGIN_RATE_LIMIT = { max: 10, timeWindow: '1 minute' } as const;

/** The only routes anyone may call: liveness, signing in, the API documentation and the home page. */
const PUBLIC_ROUTES = new Set(['GET /api/health', 'POST /api/v1/auth/login', 'GET /']);
const PUBLIC_PREFIX = '/api/docs';

export function isPublicRoute(method: string, url: string): boolean {
  const m = method === 'HEAD' ? 'GET' : method;
  if (PUBLIC_ROUTES.has(`${m} ${url}`)) return true;
  return m === 'GET' && (url === PUBLIC_PREFIX || url.startsWith(`${PUBLIC_PREFIX}/`));
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** Cookies are Secure except on a local address, where a developer serves plain HTTP. */
export function secureCookies(req: FastifyRequest): boolean {
  return !LOCAL_HOSTS.has(req.hostname.toLowerCase());
}

export function sessionCookieOptions(req: FastifyRequest) {
  return {
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: secureCookies(req),
    path: '/',
    maxAge: SESSION_POLICY.ttlMinutes * 60,
  };
}

const REQUIRED = () => new AppError('unauthorized', 'AUTH.REQUIRED', 'sign in first: this route needs a session or an API token');

/** Who the credentials of the request belong to, and how they came; null when there are none. */
async function identify(deps: Deps, req: FastifyRequest): Promise<{ actor: Actor; via: 'session' | 'token' } | null> {
  const authorization = req.headers.authorization;
  if (authorization !== undefined) {
    const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
    const actor = m ? await authenticateApiToken(deps, m[1]!) : null;
    if (!actor) throw new AppError('unauthorized', 'AUTH.INVALID_TOKEN', 'the API token is not valid: unknown, revoked, or not in the form Bearer clm_…');
    return { actor, via: 'token' };
  }
  const session = req.cookies[SESSION_COOKIE];
  if (session === undefined || session === '') return null;
  const actor = await authenticateSession(deps, session);
  if (!actor) throw new AppError('unauthorized', 'AUTH.REQUIRED', 'the session has ended: sign in again');
  return { actor, via: 'session' };
}

/** @fastify/csrf-protection answers a bad token itself; this asks it and keeps the answer ours. */
function csrfValid(app: FastifyInstance, req: FastifyRequest, reply: FastifyReply): boolean {
  let ok = false;
  const probe: FastifyReply = Object.create(reply, { send: { value: () => probe } });
  app.csrfProtection(req, probe, () => {
    ok = true;
  });
  return ok;
}

export async function registerAuth(app: FastifyInstance, deps: Deps): Promise<void> {
  const catalog: RouteEntry[] = [];
  app.decorate('routeCatalog', catalog);
  // Set first thing in the hook below (a decoration cannot hold a shared object).
  app.decorateRequest('actor', null as unknown as Actor);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      const permission = route.config?.permission;
      const isPublic = isPublicRoute(method, route.url);
      catalog.push({ method, url: route.url, permission, public: isPublic });
      if (!isPublic && permission === undefined) {
        app.log.error({ method, url: route.url }, 'route declares no permission: every request to it will be refused');
      }
    }
  });

  await app.register(cookie);
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: CSRF_COOKIE,
    cookieOpts: { path: '/', sameSite: 'strict', httpOnly: true },
    getToken: (req) => {
      const v = req.headers[CSRF_HEADER];
      return Array.isArray(v) ? v[0] : v;
    },
  });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) =>
      new AppError('rate_limited', 'AUTH.RATE_LIMITED', `too many sign-in attempts from this address: try again in ${ctx.after}`),
  });

  app.addHook('onRequest', async (req, reply) => {
    req.actor = ANONYMOUS;
    if (req.is404) return;
    const url = req.routeOptions.url;
    if (url !== undefined && isPublicRoute(req.method, url)) return;

    const found = await identify(deps, req);
    if (!found) throw REQUIRED();
    req.actor = found.actor;

    if (found.via === 'session' && UNSAFE.has(req.method) && !csrfValid(app, req, reply)) {
      throw new AppError('forbidden', 'AUTH.CSRF', `a write with a session cookie needs the ${CSRF_HEADER} header from sign-in or GET /api/v1/auth/me`);
    }
    const permission = req.routeOptions.config.permission;
    if (permission === undefined) {
      throw new AppError('forbidden', 'AUTH.FORBIDDEN', 'this route declares no permission, so it is closed to everyone');
    }
    if (permission !== 'authenticated' && !allows(found.actor, permission)) {
      throw new AppError('forbidden', 'AUTH.FORBIDDEN', `this needs the permission ${permission}, which ${found.actor.name} does not hold`);
    }
  });
}
