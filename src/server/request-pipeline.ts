import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { Logger } from '../log.js';
import type { Authenticator } from './authenticate.js';
import { HttpError, shuttingDown, toHttpError, tooManyRequests } from './http-error.js';
import type { RateLimiter } from './rate-limiter.js';
import { readBody } from './request-body.js';
import type { RequestContext, RouteResult } from './route-types.js';
import type { Router } from './router.js';

export interface RequestPipelineDeps {
  router: Router;
  authenticator: Authenticator;
  rateLimiter: RateLimiter;
  logger: Logger;
  bodyLimitBytes: number;
  /** True once the server stops taking writes (guarded routes answer 503). */
  refusingWrites(): boolean;
  /** True while shutting down: answers ask the client to close the connection. */
  draining(): boolean;
}

const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * One request, in order: request id → route (404, 405) → API key → rate limit
 * → handler → answer; any failure becomes the error answer (http-error.ts).
 * Resolves with the route's name for the metrics. The serve benchmark is
 * sensitive to every step here (docs/benchmarks.md): one async frame per
 * request, and only real promises are awaited (the key check and the
 * in-process limiter usually answer at once), nothing allocated that a
 * request does not need (the body reader and the child logger are made on
 * first use).
 */
export function createRequestPipeline(
  deps: RequestPipelineDeps,
): (req: http.IncomingMessage, res: http.ServerResponse) => Promise<string> {
  const { router, authenticator, rateLimiter, logger, bodyLimitBytes } = deps;

  function send(res: http.ServerResponse, result: RouteResult, requestId: string): void {
    const payload = result.text ?? JSON.stringify(result.body ?? {});
    const headers: http.OutgoingHttpHeaders = {
      'content-type': result.contentType ?? 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(payload),
      'x-request-id': requestId,
      ...result.headers,
    };
    if (deps.draining()) headers.connection = 'close';
    res.writeHead(result.status, headers);
    res.end(payload);
  }

  return async function handle(req, res) {
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && requestIdPattern.test(given) ? given : randomUUID();
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query < 0 ? url : url.slice(0, query);
    const methods = router.methodsAt(path);
    const route = methods?.get(req.method ?? '');
    let bodyPromise: Promise<Buffer> | undefined;
    let log: Logger | undefined;
    const context: RequestContext = {
      req,
      res,
      requestId,
      principal: undefined,
      body: () => (bodyPromise ??= readBody(req, bodyLimitBytes)),
      log: () => (log ??= logger.child({ request_id: requestId })),
    };
    let result: RouteResult;
    try {
      if (!route) {
        if (methods) {
          const allow = [...methods.keys()].join(', ');
          throw new HttpError(405, 'method_not_allowed', `${req.method} is not allowed on ${path}; use ${allow}.`, {
            headers: { allow },
          });
        }
        throw new HttpError(404, 'not_found', `No route ${path}.`);
      }
      if (route.auth && deps.refusingWrites()) throw shuttingDown();
      if (route.auth) {
        const header = req.headers['x-api-key'];
        // Both checks usually answer at once; awaiting only real promises saves two turns of the microtask queue per request.
        const principal = authenticator.authenticate(Array.isArray(header) ? header[0] : header);
        context.principal = principal instanceof Promise ? await principal : principal;
        if (route.perMinute) {
          const taken = rateLimiter.take(router.bucketName(route, context.principal.scope), route.perMinute);
          const decision = taken instanceof Promise ? await taken : taken;
          if (!decision.allowed) throw tooManyRequests(decision.retryAfterSeconds);
        }
      }
      result = await route.handler(context);
    } catch (error) {
      const { error: httpError, internal } = toHttpError(error);
      if (internal) context.log().error({ err: error, route: route?.name ?? path }, 'request failed');
      else if (httpError.status >= 500)
        context.log().warn({ code: httpError.code, reason: (error as Error).message }, 'request refused');
      result = {
        status: httpError.status,
        headers: { ...httpError.headers },
        body: { error: httpError.code, message: httpError.message, ...httpError.details, request_id: requestId },
      };
    }
    send(res, result, requestId);
    if (logger.isLevelEnabled('debug'))
      context.log().debug({ method: req.method, path, status: result.status }, 'request');
    return route?.name ?? (methods ? path : 'unmatched');
  };
}
