/**
 * The gateway's Fastify app before its routes: logging (one line per answer,
 * API keys redacted), JSON-only bodies, strict body validation, the error
 * answers and per-route latency.
 */
import { Ajv, type ErrorObject, type SchemaValidateFunction } from 'ajv';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import type { GatewayConfig } from './config';
import { MarketUnavailableError } from './market';
import type { GatewayMetrics, HistogramChild } from './metrics';

/** A URL with the value of its `key` query parameter (an API key) replaced. */
export function redactKey(url: string): string {
  return url.replace(/([?&]key=)[^&#]*/g, '$1[redacted]');
}

/** Clear one-line messages for schema errors (names the bad field and what is allowed). */
function formatSchemaErrors(errors: ErrorObject[], dataVar: string): Error {
  const parts: string[] = [];
  for (const e of errors) {
    if (e.keyword === 'if') continue; // the branch's own error says it better
    const path = `${dataVar}${e.instancePath}`;
    const p = e.params as Record<string, unknown>;
    switch (e.keyword) {
      case 'additionalProperties':
        parts.push(`${path} has unknown property '${String(p.additionalProperty)}'`);
        break;
      case 'notAllowed':
        parts.push(`${path} is not allowed here (${e.message})`);
        break;
      case 'enum':
        parts.push(`${path} must be one of ${(p.allowedValues as unknown[]).join(', ')}`);
        break;
      default:
        parts.push(`${path} ${e.message}`);
    }
  }
  return new Error(parts.join('; '));
}

/** The app, its error handling and request logging set up; no routes yet. */
export function createApp(
  config: GatewayConfig,
  metrics: GatewayMetrics,
  logStream: { write(line: string): void } | undefined,
): FastifyInstance {
  const app = Fastify({
    logger:
      config.logLevel === 'silent'
        ? false
        : {
            level: config.logLevel,
            ...(logStream ? { stream: logStream } : {}),
            // the stream takes its API key as ?key= (browsers cannot set headers): never log it
            serializers: {
              req: (req: { method: string; url: string }) => ({
                method: req.method,
                url: redactKey(req.url),
              }),
            },
          },
    bodyLimit: config.bodyLimitBytes,
    // Fastify's two info lines per request (incoming, completed) are replaced by
    // one line per answer (onResponse below): a client error is one info line
    // without a stack, a success a debug line; server errors log their error.
    logController: new LogController({ disableRequestLogging: true }),
    // on close, keep-alive connections with no request in flight close at once
    forceCloseConnections: 'idle',
    schemaErrorFormatter: formatSchemaErrors as never,
  });
  // Clients often send `content-type: application/json` with no body on
  // DELETE and GET: an empty JSON body counts as no body (routes that need one
  // still refuse it through their schema). Anything else goes to Fastify's own
  // parser, prototype-poisoning protection included.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  // Bodies are JSON only: Fastify's own text/plain parser would hand a string to
  // the schema (400) where an unsupported media type is meant (415).
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (body === '') done(null, undefined);
    else parseJson(req, body as string, done);
  });

  // Bodies are validated strictly (no coercion, unknown fields refused); path
  // and query strings are text, so they are coerced ("42" → 42).
  const bodyAjv = new Ajv({
    coerceTypes: false,
    removeAdditional: false,
    useDefaults: false,
    allErrors: false,
    strict: false,
  });
  const textAjv = new Ajv({
    coerceTypes: true,
    removeAdditional: false,
    useDefaults: true,
    allErrors: false,
    strict: false,
  });
  // `notAllowed: why` (schemas.ts): the field must not be present on this kind of order.
  const notAllowed: SchemaValidateFunction = (why: string) => {
    notAllowed.errors = [{ keyword: 'notAllowed', message: why, params: {} }];
    return false;
  };
  bodyAjv.addKeyword({
    keyword: 'notAllowed',
    schemaType: 'string',
    errors: true,
    validate: notAllowed,
  });
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? bodyAjv : textAjv).compile(schema as object),
  );

  const httpError = (code: string) => metrics.httpErrors.labels({ code });
  app.setErrorHandler(
    (err: Error & { validation?: unknown; code?: string; statusCode?: number }, req, reply) => {
      let status = 500;
      let code = 'INTERNAL';
      let message = 'internal error';
      if (err.validation) {
        status = 400;
        code = 'VALIDATION_ERROR';
        message = err.message;
      } else if (err instanceof MarketUnavailableError) {
        status = 503;
        code = 'UNAVAILABLE';
        message = err.message;
      } else if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        status = 413;
        code = 'BODY_TOO_LARGE';
        message = `request body is larger than ${config.bodyLimitBytes} bytes`;
      } else if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
        status = 415;
        code = 'UNSUPPORTED_MEDIA_TYPE';
        message = 'send JSON with content-type: application/json';
      } else if (
        err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
        err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
        err instanceof SyntaxError
      ) {
        status = 400;
        code = 'INVALID_JSON';
        message = `body is not valid JSON: ${err.message}`;
      } else if (
        typeof err.statusCode === 'number' &&
        err.statusCode >= 400 &&
        err.statusCode < 500
      ) {
        status = err.statusCode;
        code = err.code ?? 'BAD_REQUEST';
        message = err.message;
      } else {
        // a server error: the one place a stack helps
        req.log.error({ err }, 'request failed');
      }
      httpError(code).inc();
      return reply.code(status).send({ statusCode: status, code, message });
    },
  );
  app.setNotFoundHandler((req, reply) => {
    httpError('NOT_FOUND').inc();
    return reply
      .code(404)
      .send({ statusCode: 404, code: 'NOT_FOUND', message: `no route ${req.method} ${req.url}` });
  });

  // Latency of every request, by route; and one log line per answer: a client
  // error (4xx) at info level, the rest at debug (a server error has already
  // logged its error, with its stack, in the error handler).
  const routeHist = new Map<string, HistogramChild>();
  const logsDebug = config.logLevel === 'debug' || config.logLevel === 'trace';
  app.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? 'unmatched';
    let h = routeHist.get(route);
    if (!h) {
      h = metrics.requestDuration.labels({ route });
      routeHist.set(route, h);
    }
    const ms = reply.elapsedTime;
    h.observe(ms / 1000);
    const status = reply.statusCode;
    const clientError = status >= 400 && status < 500;
    if (clientError || logsDebug) {
      req.log[clientError ? 'info' : 'debug'](
        {
          req: { method: req.method, url: redactKey(req.url) },
          statusCode: status,
          responseTime: Math.round(ms * 1000) / 1000,
        },
        clientError ? 'request refused' : 'request completed',
      );
    }
    done();
  });

  return app;
}
