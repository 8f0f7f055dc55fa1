// Signing in and out, who am I, and the API tokens of integrations (users.manage).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { allows, PERMISSIONS, ROLES } from '../../domain/access/permissions.js';
import type { Deps } from '../../deps.js';
import { currentUser, login, logout } from '../../services/access/auth.service.js';
import { issueApiToken, listApiTokens, revokeApiToken } from '../../services/access/users.service.js';
import { ErrorResponse } from '../schemas.js';
import { CSRF_COOKIE, CSRF_HEADER, LOGIN_RATE_LIMIT, SESSION_COOKIE, secureCookies, sessionCookieOptions } from '../plugins/auth.js';

const User = z.object({
  username: z.string(),
  roles: z.array(z.enum(ROLES)),
  team: z.string().nullable(),
  agency: z.string().nullable(),
  certified: z.boolean(),
});

const Token = z.object({
  name: z.string(),
  username: z.string(),
  scopes: z.array(z.string()),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
});

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse };

export function authRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/auth/login',
      {
        config: { rateLimit: LOGIN_RATE_LIMIT },
        schema: {
          tags: ['auth'],
          summary: 'Sign in: sets the session cookie and answers the user and a CSRF token',
          description: `Cookie writes (POST, PUT, PATCH, DELETE) must carry the CSRF token in the \`${CSRF_HEADER}\` header. Five wrong passwords in a row lock the account for 15 minutes (423 AUTH.LOCKED); more than ${LOGIN_RATE_LIMIT.max} attempts a minute from one address are refused (429 AUTH.RATE_LIMITED).`,
          body: z.strictObject({ username: z.string().min(1).max(64), password: z.string().min(1).max(1024) }),
          response: { 200: z.object({ user: User, csrfToken: z.string() }), ...errors, 423: ErrorResponse, 429: ErrorResponse },
        },
      },
      async (req, reply) => {
        const signedIn = await login(deps, req.body.username, req.body.password);
        req.actor = signedIn.actor;
        const previous = req.cookies[SESSION_COOKIE];
        if (previous) await logout(deps, previous);
        reply.setCookie(SESSION_COOKIE, signedIn.sessionToken, sessionCookieOptions(req));
        // A fresh CSRF secret for every session: one planted before sign-in is never used.
        delete req.cookies[CSRF_COOKIE];
        const csrfToken = reply.generateCsrf({ secure: secureCookies(req) });
        return { user: signedIn.user, csrfToken };
      },
    );

    app.post(
      '/auth/logout',
      {
        config: { permission: 'authenticated' },
        schema: { tags: ['auth'], summary: 'Sign out: ends the session at once', response: { 204: z.null(), ...errors } },
      },
      async (req, reply) => {
        const session = req.cookies[SESSION_COOKIE];
        if (session && req.actor.kind === 'user') await logout(deps, session);
        const opts = sessionCookieOptions(req);
        reply.clearCookie(SESSION_COOKIE, { path: opts.path, secure: opts.secure, httpOnly: true, sameSite: 'strict' });
        reply.clearCookie(CSRF_COOKIE, { path: opts.path, secure: opts.secure, httpOnly: true, sameSite: 'strict' });
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/auth/me',
      {
        config: { permission: 'authenticated' },
        schema: {
          tags: ['auth'],
          summary: 'The signed-in user, what they may do, and (for a session) a CSRF token',
          response: {
            200: z.object({
              user: User,
              via: z.enum(['session', 'token']),
              permissions: z.array(z.enum(PERMISSIONS)),
              csrfToken: z.string().nullable(),
            }),
            ...errors,
          },
        },
      },
      async (req, reply) => {
        const user = await currentUser(deps, req.actor);
        const session = req.actor.kind === 'user';
        return {
          user,
          via: session ? ('session' as const) : ('token' as const),
          permissions: PERMISSIONS.filter((p) => allows(req.actor, p)),
          csrfToken: session ? reply.generateCsrf({ secure: secureCookies(req) }) : null,
        };
      },
    );

    app.post(
      '/auth/tokens',
      {
        config: { permission: 'users.manage' },
        schema: {
          tags: ['auth'],
          summary: "Issue an API token acting as a user, narrowed to scopes the user holds; the token is shown only in this answer",
          body: z.strictObject({
            username: z.string().min(1).max(64),
            name: z.string().min(1).max(64),
            scopes: z.array(z.enum(PERMISSIONS)).min(1).max(PERMISSIONS.length),
          }),
          response: { 201: z.object({ name: z.string(), username: z.string(), scopes: z.array(z.string()), token: z.string() }), ...errors, 404: ErrorResponse, 409: ErrorResponse },
        },
      },
      async (req, reply) => reply.code(201).send(await issueApiToken(deps, req.body)),
    );

    app.get(
      '/auth/tokens',
      {
        config: { permission: 'users.manage' },
        schema: { tags: ['auth'], summary: 'API tokens (never their values)', response: { 200: z.object({ items: z.array(Token) }), ...errors } },
      },
      async () => ({
        items: (await listApiTokens(deps)).map((t) => ({
          name: t.name,
          username: t.username,
          scopes: t.scopes,
          createdAt: t.created_at,
          revokedAt: t.revoked_at,
          lastUsedAt: t.last_used_at,
        })),
      }),
    );

    app.delete(
      '/auth/tokens/:name',
      {
        config: { permission: 'users.manage' },
        schema: {
          tags: ['auth'],
          summary: 'Revoke an API token at once (revoking it again is not an error)',
          params: z.strictObject({ name: z.string().min(1).max(64) }),
          response: { 204: z.null(), ...errors, 404: ErrorResponse },
        },
      },
      async (req, reply) => {
        await revokeApiToken(deps, req.params.name);
        return reply.code(204).send(null);
      },
    );
  };
}
