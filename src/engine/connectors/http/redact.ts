/**
 * Keeps credentials out of anything a user or a log might see. Error messages quote vendor
 * text and transport errors, and either can echo a token back, so every message built in this
 * folder passes through `redactSecrets` before it leaves.
 */

export const REDACTED = '[redacted]';

// Shorter values would blank out ordinary words; such secrets are caught by the patterns below.
const MIN_SECRET_LENGTH = 4;

// A header value is an optional scheme word then the credential: `Authorization: Bearer abc`.
const AUTH_HEADER_LINE =
  /\b((?:proxy-)?authorization|x-api-key|api-key|apikey|cookie)(["']?\s*[:=]\s*["']?)(?:[A-Za-z]+ +)?[^\s"',;}]+/gi;
const AUTH_SCHEME_VALUE = /\b(Bearer|SSWS|Basic|Token)\s+[A-Za-z0-9._~+/=-]{6,}/g;
const SECRET_QUERY_PARAM =
  /([?&;](?:access_token|refresh_token|id_token|token|api[_-]?key|apikey|key|secret|client_secret|password|passwd|sig|signature)=)[^&#\s"']*/gi;
const SECRET_JSON_FIELD =
  /("(?:access_token|refresh_token|id_token|client_secret|password|token|api_key|apiKey|secret)"\s*:\s*")[^"]*"/g;

/** Removes the given secret values (raw and URL-encoded) and anything shaped like a credential. */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let result = text;
  for (const secret of variantsOf(secrets)) {
    result = result.split(secret).join(REDACTED);
  }
  return result
    .replace(AUTH_HEADER_LINE, `$1$2${REDACTED}`)
    .replace(AUTH_SCHEME_VALUE, `$1 ${REDACTED}`)
    .replace(SECRET_QUERY_PARAM, `$1${REDACTED}`)
    .replace(SECRET_JSON_FIELD, `$1${REDACTED}"`);
}

/** Applies `redactSecrets` to every string inside plain data (error details, vendor bodies). */
export function redactValue<T>(value: T, secrets: readonly string[] = []): T {
  if (typeof value === 'string') return redactSecrets(value, secrets) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redactValue(item, secrets)) as T;
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = redactValue(item, secrets);
    return copy as T;
  }
  return value;
}

function variantsOf(secrets: readonly string[]): string[] {
  const variants = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    variants.add(secret);
    variants.add(encodeURIComponent(secret));
    // application/x-www-form-urlencoded writes spaces as '+'.
    variants.add(new URLSearchParams({ s: secret }).toString().slice(2));
    variants.add(JSON.stringify(secret).slice(1, -1));
  }
  // Longest first, so a secret that contains another is removed whole.
  return [...variants].sort((a, b) => b.length - a.length);
}
