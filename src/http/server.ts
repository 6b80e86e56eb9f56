// The Fastify server: request ids, security headers, body limits, authentication,
// CSRF, problem+json and metrics. Modules add their routes through registerRoutes.
import crypto from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import type { Actor, RequestContext } from '../platform/actor.ts';
import { ForbiddenError, UnauthenticatedError, ValidationError } from '../platform/errors.ts';
import type { Logger } from '../platform/logger.ts';
import type { Metrics } from './metrics.ts';
import { sendProblem, toProblem } from './problem.ts';
import { securityHeaders } from './security-headers.ts';

export type Credentials = { sessionId: string | undefined; bearer: string | undefined };
export type Authenticator = (credentials: Credentials) => Promise<Actor | undefined>;

declare module 'fastify' {
  interface FastifyRequest {
    actor?: Actor;
  }
  interface FastifyContextConfig {
    /** Routes are staff-only unless they say `public`. */
    auth?: 'public' | 'staff';
  }
}

export type App = FastifyInstance<any, any, any, any, TypeBoxTypeProvider>;

export const SESSION_COOKIE = 'egov_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && crypto.timingSafeEqual(ab, bb);
}

export function requestContext(request: FastifyRequest): RequestContext {
  if (!request.actor) throw new UnauthenticatedError();
  return { actor: request.actor, ip: request.ip, requestId: String(request.id) };
}

export async function createHttpServer(deps: {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  authenticate: Authenticator;
}): Promise<App> {
  const { config } = deps;
  const app = Fastify({
    loggerInstance: deps.logger,
    bodyLimit: config.bodyLimitBytes,
    trustProxy: false,
    requestIdHeader: false,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID_PATTERN.test(incoming) ? incoming : crypto.randomUUID();
    },
    ajv: { customOptions: { allErrors: true, removeAdditional: false, coerceTypes: 'array' } },
    return503OnClosing: true,
    // One line per request (below) instead of Fastify's two, without query strings that may hold personal data.
    logController: new LogController({ disableRequestLogging: true }),
    // No child logger per request (pino's redaction makes each one costly); lines carry reqId themselves.
    childLoggerFactory: (logger) => logger,
    // Idle keep-alive connections close at once on shutdown; busy ones finish their request first.
    forceCloseConnections: 'idle',
  }).withTypeProvider<TypeBoxTypeProvider>();

  const headers = securityHeaders({ tls: config.tls });
  // Callback-style hooks: on the hot path they avoid a promise per request.
  app.addHook('onRequest', (request, reply, done) => {
    // The docs page is HTML with its own scripts, so it takes the browser set (swagger-ui adds its CSP).
    const isApi = request.url.startsWith('/api/') && !request.url.startsWith('/api/docs');
    reply.headers(isApi ? headers.api : headers.web);
    reply.header('x-request-id', request.id);
    done();
  });

  app.addHook('onRoute', (route) => {
    // The web app's files and the API docs page are public; every other /api route is staff-only by default.
    // Routes outside /api (GovStack's /govstack/im/…) may still ask for staff authentication.
    if (!route.url.startsWith('/api/') || route.url.startsWith('/api/docs')) route.config = { ...(route.config ?? {}), auth: (route.config as { auth?: 'public' | 'staff' } | undefined)?.auth ?? 'public' };
  });

  await app.register(rateLimit, { global: false });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'egov platform API',
        version: '0.1.0',
        description: 'Organization directory, staff identity and audit of the egov e-government platform. Errors are RFC 9457 problem+json.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          token: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { token: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true, uiConfig: { docExpansion: 'list' } });

  // Authentication runs before body validation so an anonymous caller learns nothing about the schema.
  app.addHook('preValidation', async (request) => {
    const routeConfig = request.routeOptions.config;
    const authorization = request.headers.authorization;
    const bearer = authorization?.startsWith('Bearer ') ? authorization.slice(7).trim() : undefined;
    const sessionId = bearer ? undefined : readCookie(request.headers.cookie, SESSION_COOKIE);
    // Exchange client tokens (egx_…) are a subsystem's, not a person's: the /r1 route checks them.
    if ((bearer && !bearer.startsWith('egx_')) || sessionId) request.actor = await deps.authenticate({ sessionId, bearer });
    if (routeConfig?.auth === 'public') return;
    if (!request.routeOptions.url) return; // 404s are answered by the not-found handler
    if (!request.actor) {
      throw bearer
        ? new UnauthenticatedError('invalid_token', 'The API token is unknown, expired or revoked.', 'API 令牌无效、已过期或已吊销。')
        : sessionId
          ? new UnauthenticatedError('session_expired', 'Your session has ended. Sign in again.', '会话已结束，请重新登录。')
          : new UnauthenticatedError();
    }
    if (request.actor.via === 'session' && !SAFE_METHODS.has(request.method)) {
      const header = request.headers['x-csrf-token'];
      if (typeof header !== 'string' || !request.actor.csrfToken || !safeEqual(header, request.actor.csrfToken)) {
        throw new ForbiddenError(
          'Missing or wrong X-CSRF-Token header. Reload the page and try again.',
          '缺少或错误的 X-CSRF-Token 请求头，请刷新页面后重试。',
          'csrf_failed',
        );
      }
    }
  });

  // PostgreSQL text cannot hold NUL; refuse it up front, naming the field, instead of failing in SQL.
  app.addHook('preValidation', async (request) => {
    const field = fieldWithNul(request.body, '');
    if (field !== undefined) throw new ValidationError([{ field, code: 'nul_character', message: 'may not contain the NUL character (\\u0000)', messageZh: '不能包含 NUL 字符（\\u0000）' }]);
  });

  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    deps.metrics.observe(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    if (deps.logger.isLevelEnabled('info')) {
      request.log.info({ reqId: request.id, method: request.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10, user: request.actor?.username }, 'request');
    }
    done();
  });

  app.setErrorHandler((error, request, reply) => {
    const problem = toProblem(error, request);
    if (problem.status >= 500) request.log.error({ reqId: request.id, route: request.routeOptions.url, err: error }, 'request failed');
    return sendProblem(reply, problem);
  });

  return app;
}

/** The path of the first string in a parsed JSON body that holds a NUL character. */
function fieldWithNul(value: unknown, path: string): string | undefined {
  const at = (key: string | number) => (path ? `${path}.${key}` : String(key));
  if (typeof value === 'string') return value.includes('\u0000') ? path || 'body' : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = fieldWithNul(value[i], at(i));
      if (found) return found;
    }
    return undefined;
  }
  if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes('\u0000')) return at(key.replaceAll('\u0000', '\\u0000'));
      const found = fieldWithNul(item, at(key));
      if (found) return found;
    }
  }
  return undefined;
}
