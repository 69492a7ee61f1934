import { createHmac, timingSafeEqual } from 'node:crypto';
import { envName } from '../../engine/bundles/export-bundle.js';
import type { Trigger } from '../../shared/flow/schema.js';

export type WebhookTrigger = Extract<Trigger, { kind: 'webhook' }>;

/** The header that carries `sha256=<hex>` of the raw body for `hmac` webhooks. */
export const SIGNATURE_HEADER = 'x-flowstead-signature';

/**
 * Flows say how a webhook authenticates, not with what: the shared secret (bearer token, HMAC
 * key, or the Authorization value configured in Okta) is the server's, in this variable.
 */
export function webhookSecretVariable(trigger: Pick<WebhookTrigger, 'path'>): string {
  return `FLOWSTEAD_WEBHOOK_${envName(trigger.path)}_SECRET`;
}

export function needsSecret(trigger: WebhookTrigger): boolean {
  return trigger.auth !== 'none';
}

function sameText(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  // Compare equal-length buffers only; the length itself is not secret.
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface WebhookRequest {
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
}

function header(request: WebhookRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** True when the request proves it knows the webhook's secret, compared in constant time. */
export function authenticateWebhook(trigger: WebhookTrigger, secret: string | undefined, request: WebhookRequest) {
  if (trigger.auth === 'none') return true;
  if (!secret) return false;
  if (trigger.auth === 'hmac') {
    const given =
      header(request, SIGNATURE_HEADER)
        ?.trim()
        .replace(/^sha256=/i, '') ?? '';
    const expected = createHmac('sha256', secret).update(request.rawBody).digest('hex');
    return sameText(given.toLowerCase(), expected);
  }
  const authorization = header(request, 'authorization') ?? '';
  if (trigger.auth === 'bearer') {
    return authorization.startsWith('Bearer ') && sameText(authorization.slice('Bearer '.length), secret);
  }
  // Okta event hooks send the header value configured in Okta, as is.
  return sameText(authorization, secret) || sameText(authorization, `Bearer ${secret}`);
}
