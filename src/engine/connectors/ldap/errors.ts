import { FlowsteadError } from '../../../shared/errors.js';

/** LDAP result codes (RFC 4511 appendix A) mapped to our codes and a hint the user can act on. */
const RESULT_CODES: Record<number, { code: string; hint: string }> = {
  3: { code: 'LDAP_TIMEOUT', hint: 'The server stopped the operation at its time limit; narrow the search.' },
  4: { code: 'LDAP_SIZE_LIMIT', hint: 'Too many entries; use a paged search or a narrower filter.' },
  8: { code: 'LDAP_STRONG_AUTH_REQUIRED', hint: 'The server requires an encrypted connection; use ldaps://.' },
  13: { code: 'LDAP_TLS_REQUIRED', hint: 'The server requires an encrypted connection; use ldaps://.' },
  16: { code: 'LDAP_NO_SUCH_ATTRIBUTE', hint: 'The entry has no such attribute or value.' },
  17: { code: 'LDAP_UNDEFINED_ATTRIBUTE', hint: 'The directory schema does not know this attribute; check its name.' },
  19: {
    code: 'LDAP_CONSTRAINT_VIOLATION',
    hint: 'The value breaks a directory rule (password policy, single-valued attribute, …).',
  },
  20: { code: 'LDAP_VALUE_EXISTS', hint: 'The attribute already has this value.' },
  21: { code: 'LDAP_INVALID_SYNTAX', hint: 'A value does not match the attribute syntax.' },
  32: { code: 'LDAP_NO_SUCH_OBJECT', hint: 'No entry exists at this DN; check the DN and the parent OU.' },
  34: { code: 'LDAP_INVALID_DN', hint: 'The DN is malformed; escape special characters in names.' },
  49: { code: 'LDAP_INVALID_CREDENTIALS', hint: 'Check the bind DN and password of the connection.' },
  50: { code: 'LDAP_INSUFFICIENT_ACCESS', hint: 'The bind account lacks the right for this operation.' },
  51: { code: 'LDAP_BUSY', hint: 'The server is busy; try again later.' },
  52: { code: 'LDAP_UNAVAILABLE', hint: 'The server is unavailable; try again later.' },
  53: { code: 'LDAP_UNWILLING_TO_PERFORM', hint: 'The server refused; AD requires ldaps:// for passwords.' },
  64: { code: 'LDAP_NAMING_VIOLATION', hint: 'The name is not allowed under this parent.' },
  65: {
    code: 'LDAP_OBJECT_CLASS_VIOLATION',
    hint: 'Required attributes are missing or not allowed by the object classes.',
  },
  66: { code: 'LDAP_NOT_ALLOWED_ON_NON_LEAF', hint: 'The entry has children; move or delete them first.' },
  68: { code: 'LDAP_ALREADY_EXISTS', hint: 'An entry with this DN already exists; choose another name.' },
};

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

export interface LdapErrorContext {
  /** What we were doing, e.g. "bind" or "modify", for the message. */
  operation: string;
  url: string;
  dn?: string;
  /** Values that must never appear in the result (passwords). */
  secrets: string[];
}

/** Turns whatever ldapts or the socket threw into a FlowsteadError with a stable code and no secrets. */
export function toDirectoryError(error: unknown, context: LdapErrorContext): FlowsteadError {
  if (error instanceof FlowsteadError) return error;
  const raw = error as { code?: unknown; message?: unknown };
  const serverText = redact(typeof raw.message === 'string' ? raw.message : String(error), context.secrets);
  const where = context.dn ? ` on "${context.dn}"` : '';
  const details = { operation: context.operation, url: context.url, ...(context.dn ? { dn: context.dn } : {}) };

  if (typeof raw.code === 'number') {
    const known = RESULT_CODES[raw.code];
    const code = known?.code ?? 'LDAP_ERROR';
    const hint = known?.hint ?? 'See the server message.';
    return new FlowsteadError(code, `LDAP ${context.operation}${where} failed (result ${raw.code}): ${hint}`, {
      ...details,
      resultCode: raw.code,
      serverMessage: serverText,
    });
  }
  if (typeof raw.code === 'string' && TLS_CODES.has(raw.code)) {
    return new FlowsteadError(
      'LDAP_TLS_CERT_UNTRUSTED',
      `The certificate of ${context.url} is not trusted (${raw.code}); add the issuing CA certificate in the connection's "tls.caCert".`,
      { ...details, reason: raw.code },
    );
  }
  const timedOut = /timed? ?out|timeout/i.test(serverText);
  if (
    (typeof raw.code === 'string' && NETWORK_CODES.has(raw.code)) ||
    timedOut ||
    /connection closed/i.test(serverText)
  ) {
    return new FlowsteadError(
      'LDAP_UNAVAILABLE',
      `Cannot reach the directory at ${context.url} (${typeof raw.code === 'string' ? raw.code : serverText}); check the host, port and firewall${timedOut ? ', or raise "timeoutMs"' : ''}.`,
      { ...details, reason: typeof raw.code === 'string' ? raw.code : serverText },
    );
  }
  return new FlowsteadError('LDAP_ERROR', `LDAP ${context.operation}${where} failed: ${serverText}`, details);
}

/** Removes secret values from text that may echo them (server diagnostics, stack traces). */
export function redact(text: string, secrets: string[]): string {
  let result = text;
  for (const secret of secrets) if (secret) result = result.split(secret).join('[redacted]');
  return result;
}
