import type http from 'node:http';
import type { Bundle } from '../../engine/bundles/bundle-format.js';
import { FlowsteadError } from '../../shared/errors.js';
import { EXIT, RunnerExit } from '../commands/exit-codes.js';
import type { CredentialLookup } from '../env-secrets.js';
import type { Logger } from '../logger.js';
import type { RunMetrics } from './metrics.js';
import type { StartRun } from './schedules.js';
import { authenticateWebhook, needsSecret, webhookSecretVariable, type WebhookTrigger } from './webhook-auth.js';

export const WEBHOOK_PREFIX = '/hooks/';
const MAX_WEBHOOK_BODY = 5 * 1024 * 1024;

interface Endpoint {
  flowId: string;
  flowName: string;
  trigger: WebhookTrigger;
  secret: string | undefined;
}

export interface RouteOptions {
  bundles: Bundle[];
  lookup: CredentialLookup;
  startRun: StartRun;
  /** The finished run, or null when it did not finish within the time (or runs elsewhere). */
  waitForResult: (
    runId: string,
    timeoutMs: number,
  ) => Promise<{ status: string; output: unknown; error: unknown } | null>;
  metrics: RunMetrics;
  logger: Logger;
  isDraining: () => boolean;
  waitTimeoutMs: number;
  about: Record<string, unknown>;
}

/** Webhook endpoints by path; two flows on one path, or a missing secret, stop the server from starting. */
export function webhookEndpoints(bundles: Bundle[], lookup: CredentialLookup): Map<string, Endpoint> {
  const endpoints = new Map<string, Endpoint>();
  const missing: string[] = [];
  for (const bundle of bundles) {
    for (const entry of bundle.manifest.entryFlows) {
      if (entry.trigger.kind !== 'webhook') continue;
      const trigger = entry.trigger;
      const taken = endpoints.get(trigger.path);
      if (taken) {
        throw new RunnerExit(
          EXIT.usage,
          'WEBHOOK_PATH_TAKEN',
          `Flows "${taken.flowName}" and "${entry.name}" both listen on ${WEBHOOK_PREFIX}${trigger.path}. Give one of them another webhook path in Flowstead.`,
        );
      }
      const variable = webhookSecretVariable(trigger);
      const secret = lookup(variable);
      if (needsSecret(trigger) && secret === undefined)
        missing.push(`  ${variable}  (${trigger.auth} secret of ${WEBHOOK_PREFIX}${trigger.path})`);
      endpoints.set(trigger.path, { flowId: entry.id, flowName: entry.name, trigger, secret });
    }
  }
  if (missing.length > 0) {
    throw new RunnerExit(
      EXIT.missingCredentials,
      'WEBHOOK_SECRET_MISSING',
      `Missing webhook secrets: set these environment variables (or put them in --secrets-file) and start again:\n${missing.join('\n')}`,
      { variables: missing.map((line) => line.trim().split(' ')[0]) },
    );
  }
  return endpoints;
}

function sendJson(response: http.ServerResponse, status: number, body: unknown): true {
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end(JSON.stringify(body));
  return true;
}

function fail(response: http.ServerResponse, status: number, code: string, message: string): true {
  return sendJson(response, status, { ok: false, error: { code, message } });
}

function readRawBody(request: http.IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_WEBHOOK_BODY) {
        resolve(null);
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function wantsToWait(request: http.IncomingMessage, url: URL): boolean {
  const wait = url.searchParams.get('wait');
  return wait === '1' || wait === 'true' || /\bwait\b/i.test(String(request.headers['prefer'] ?? ''));
}

/**
 * The runner's own routes, answered before the API: GET /healthz, GET /metrics, and the
 * webhooks at /hooks/<path> (bearer, HMAC of the raw body, Okta event hooks with Okta's
 * one-time verification). A webhook answers 202 with the run id, or with `?wait=true` (or
 * `Prefer: wait`) the run's result once it ends.
 */
export function runnerRoutes(options: RouteOptions) {
  const endpoints = webhookEndpoints(options.bundles, options.lookup);

  async function webhook(request: http.IncomingMessage, response: http.ServerResponse, url: URL): Promise<true> {
    const endpoint = endpoints.get(url.pathname.slice(WEBHOOK_PREFIX.length).replace(/\/+$/, ''));
    if (!endpoint) return fail(response, 404, 'WEBHOOK_NOT_FOUND', `There is no webhook at ${url.pathname}.`);
    const { trigger } = endpoint;
    const body = await readRawBody(request);
    if (body === null) return fail(response, 413, 'PAYLOAD_TOO_LARGE', 'The request body is larger than 5 MB.');
    if (!authenticateWebhook(trigger, endpoint.secret, { headers: request.headers, rawBody: body })) {
      options.logger.warn({ webhook: trigger.path, flow: endpoint.flowName }, 'webhook refused: authentication failed');
      const how =
        trigger.auth === 'hmac'
          ? 'an X-Flowstead-Signature header with sha256=<hex HMAC-SHA256 of the body>'
          : 'the Authorization header configured for this webhook';
      return fail(response, 401, 'UNAUTHORIZED', `This webhook needs ${how}.`);
    }
    const challenge = request.headers['x-okta-verification-challenge'];
    if (trigger.auth === 'oktaEventHook' && request.method === 'GET' && typeof challenge === 'string') {
      options.logger.info({ webhook: trigger.path, flow: endpoint.flowName }, 'okta event hook verified');
      return sendJson(response, 200, { verification: challenge });
    }
    if (request.method !== trigger.method) {
      response.setHeader('Allow', trigger.method);
      return fail(response, 405, 'METHOD_NOT_ALLOWED', `This webhook takes ${trigger.method} requests.`);
    }
    if (options.isDraining()) {
      response.setHeader('Retry-After', '30');
      return fail(response, 503, 'SHUTTING_DOWN', 'The runner is shutting down; send the request again shortly.');
    }
    let input: Record<string, unknown>;
    if (request.method === 'GET') input = Object.fromEntries(url.searchParams.entries());
    else {
      try {
        const text = body.toString('utf8');
        const parsed = text.trim() === '' ? {} : (JSON.parse(text) as unknown);
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
        input = parsed as Record<string, unknown>;
      } catch {
        return fail(
          response,
          400,
          'INVALID_JSON',
          'The request body must be a JSON object; its fields are the flow inputs.',
        );
      }
    }
    delete input['wait'];
    let runId: string;
    try {
      ({ runId } = await options.startRun(endpoint.flowId, input));
    } catch (error) {
      const code = error instanceof FlowsteadError ? error.code : 'INTERNAL';
      const message = error instanceof Error ? error.message : String(error);
      const status = code === 'RUN_INPUT' || code === 'INVALID_PAYLOAD' ? 400 : code === 'INTERNAL' ? 500 : 422;
      return fail(response, status, code, message);
    }
    options.logger.info({ runId, flow: endpoint.flowName, webhook: trigger.path }, 'webhook run started');
    if (wantsToWait(request, url)) {
      const run = await options.waitForResult(runId, options.waitTimeoutMs);
      if (run) {
        const status = run.status === 'succeeded' ? 200 : 500;
        return sendJson(response, status, { runId, status: run.status, output: run.output, error: run.error });
      }
    }
    // Okta wants a 200 within a few seconds; other callers get 202 Accepted.
    return sendJson(response, trigger.auth === 'oktaEventHook' ? 200 : 202, { runId, status: 'accepted' });
  }

  return async (request: http.IncomingMessage, response: http.ServerResponse, url: URL): Promise<boolean> => {
    if (url.pathname === '/healthz' && request.method === 'GET') {
      return sendJson(response, options.isDraining() ? 503 : 200, {
        status: options.isDraining() ? 'draining' : 'ok',
        uptimeSeconds: Math.round(options.metrics.uptimeSeconds),
        activeRuns: options.metrics.activeRuns,
        ...options.about,
      });
    }
    if (url.pathname === '/metrics' && request.method === 'GET') {
      response.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
      response.end(options.metrics.render());
      return true;
    }
    if (url.pathname.startsWith(WEBHOOK_PREFIX)) return webhook(request, response, url);
    return false;
  };
}
