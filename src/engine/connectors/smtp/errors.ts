import { FlowsteadError } from '../../../shared/errors.js';

interface NodemailerFailure {
  code?: unknown;
  responseCode?: unknown;
  response?: unknown;
  command?: unknown;
  message?: unknown;
  rejected?: unknown;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** Turns a nodemailer failure into a FlowsteadError with an SMTP_* code, a hint, and no secrets. */
export function toMailError(error: unknown, server: string, secrets: (string | undefined)[]): FlowsteadError {
  if (error instanceof FlowsteadError) return error;
  const failure = (typeof error === 'object' && error !== null ? error : {}) as NodemailerFailure;
  const code = typeof failure.code === 'string' ? failure.code : '';
  const responseCode = typeof failure.responseCode === 'number' ? failure.responseCode : undefined;
  const serverText = redact(
    typeof failure.response === 'string'
      ? failure.response
      : typeof failure.message === 'string'
        ? failure.message
        : String(error),
    secrets,
  );
  const details = { server, ...(responseCode ? { responseCode } : {}), serverMessage: serverText };
  const causeCode = typeof (failure as { cause?: { code?: unknown } }).cause?.code === 'string';

  if (code === 'EAUTH' || code === 'ENOAUTH' || responseCode === 535 || responseCode === 534) {
    return new FlowsteadError(
      'SMTP_AUTH_FAILED',
      `The mail server ${server} refused the login; check the connection's "username" and "password".`,
      details,
    );
  }
  if (code === 'EENVELOPE' || (responseCode !== undefined && responseCode >= 550 && responseCode <= 553)) {
    const rejected = Array.isArray(failure.rejected) ? failure.rejected.map(String) : [];
    return new FlowsteadError(
      'SMTP_RECIPIENT_REJECTED',
      `The mail server ${server} refused ${rejected.length ? rejected.join(', ') : 'a recipient or the sender'}; check the addresses and that the account may send to them.`,
      { ...details, rejected },
    );
  }
  if (code === 'ETLS' || /certificate|self[- ]signed/i.test(serverText)) {
    return new FlowsteadError(
      'SMTP_TLS_FAILED',
      `TLS with ${server} failed (${serverText}); check "security" matches the port and add the CA in "tls.caCert".`,
      details,
    );
  }
  if (code === 'ETIMEDOUT') {
    return new FlowsteadError(
      'SMTP_TIMEOUT',
      `The mail server ${server} did not answer in time; check host and port, or raise "timeoutMs".`,
      details,
    );
  }
  if (code === 'ECONNECTION' || code === 'ESOCKET' || code === 'EDNS' || NETWORK_CODES.has(code) || causeCode) {
    return new FlowsteadError(
      'SMTP_UNAVAILABLE',
      `Cannot reach the mail server ${server} (${serverText}); check "host", "port" and the firewall.`,
      details,
    );
  }
  return new FlowsteadError('SMTP_ERROR', `Sending mail through ${server} failed: ${serverText}`, details);
}

function redact(text: string, secrets: (string | undefined)[]): string {
  let result = text;
  for (const secret of secrets) if (secret) result = result.split(secret).join('[redacted]');
  return result;
}
