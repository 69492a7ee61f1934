import { STATUS_CODES } from 'node:http';
import { FlowsteadError } from '../../../shared/errors.js';
import { readPath, readText } from './read-path.js';
import { redactSecrets } from './redact.js';

/**
 * Where a vendor puts its error code and message in a response body. Each path is dotted (see
 * read-path.ts); a list means "the first one present".
 */
export interface VendorErrorMapping {
  code?: string | string[];
  message?: string | string[];
  /** Extra messages appended after the main one, e.g. Okta's `errorCauses[].errorSummary`. */
  causes?: string;
  /** A field that is `false` in a 2xx body when the call actually failed (Slack's `ok`). */
  failureFlag?: string;
}

export type VendorErrorPreset = 'okta' | 'scim' | 'slack' | 'box' | 'salesforce' | 'generic';

export const vendorErrorPresets: Record<VendorErrorPreset, VendorErrorMapping> = {
  okta: { code: 'errorCode', message: 'errorSummary', causes: 'errorCauses[].errorSummary' },
  scim: { code: 'scimType', message: 'detail' },
  slack: { code: 'error', message: 'error', causes: 'response_metadata.messages', failureFlag: 'ok' },
  box: { code: 'code', message: 'message', causes: 'context_info.errors[].message' },
  salesforce: { code: ['0.errorCode', 'errorCode'], message: ['0.message', 'message'] },
  generic: {
    code: ['error.code', 'errorCode', 'code', 'error', 'scimType'],
    message: [
      'error_description',
      'error.message',
      'message',
      'errorMessage',
      'errorSummary',
      'detail',
      'title',
      'error',
    ],
  },
};

export function resolveErrorMapping(mapping: VendorErrorMapping | VendorErrorPreset | undefined): VendorErrorMapping {
  if (mapping === undefined) return vendorErrorPresets.generic;
  return typeof mapping === 'string' ? vendorErrorPresets[mapping] : mapping;
}

export interface VendorError {
  code: string | undefined;
  message: string | undefined;
}

/** Reads the vendor's code and message; falls back to common shapes when the mapping finds nothing. */
export function readVendorError(body: unknown, mapping: VendorErrorMapping): VendorError {
  const found = readWith(body, mapping);
  if (found.code !== undefined || found.message !== undefined || mapping === vendorErrorPresets.generic) return found;
  return readWith(body, vendorErrorPresets.generic);
}

/** True for a 2xx body that says the call failed anyway (Slack answers 200 with `ok: false`). */
export function isVendorFailure(body: unknown, mapping: VendorErrorMapping): boolean {
  return mapping.failureFlag !== undefined && readPath(body, mapping.failureFlag) === false;
}

function readWith(body: unknown, mapping: VendorErrorMapping): VendorError {
  const code = firstText(body, mapping.code);
  let message = firstText(body, mapping.message);
  if (mapping.causes) {
    const causes = readPath(body, mapping.causes);
    const texts = (Array.isArray(causes) ? causes : [causes]).filter(
      (cause): cause is string => typeof cause === 'string' && cause.trim() !== '' && cause !== message,
    );
    if (texts.length > 0) message = [message, ...texts].filter(Boolean).join('; ');
  }
  // Plain-text error bodies are often the only explanation a service gives.
  if (message === undefined && typeof body === 'string' && body.trim() !== '') message = body.trim().slice(0, 500);
  return { code, message };
}

function firstText(body: unknown, paths: string | string[] | undefined): string | undefined {
  for (const path of typeof paths === 'string' ? [paths] : (paths ?? [])) {
    const text = readText(body, path);
    if (text !== undefined) return text;
  }
  return undefined;
}

export interface RequestDescription {
  method: string;
  /** The URL path without its query string: queries can carry API keys. */
  path: string;
}

const HINTS: Record<number, string> = {
  401: "Check the connection's credentials; the token, key or password may be wrong or expired.",
  403: "The connection's credentials were accepted but lack permission; check the scopes or admin role granted to them.",
  404: 'Check the path and any ID in it; the object may not exist or may have been deleted.',
  429: "The service is rate-limiting this connection and the retries ran out; run again later or lower the connection's concurrency.",
};

/** A non-2xx answer (or a 2xx the vendor marks as failed) as an error a user can act on. */
export function httpStatusError(
  request: RequestDescription,
  status: number,
  body: unknown,
  mapping: VendorErrorMapping,
  secrets: readonly string[],
): FlowsteadError {
  const vendor = readVendorError(body, mapping);
  const vendorMessage = vendor.message === undefined ? undefined : redactSecrets(vendor.message, secrets);
  const vendorCode = vendor.code === undefined ? undefined : redactSecrets(vendor.code, secrets);
  const reason = STATUS_CODES[status] ?? 'Unknown Status';
  let message = `${request.method} ${request.path} failed with ${status} ${reason}`;
  if (vendorMessage !== undefined) message += `: ${vendorMessage}`;
  if (vendorCode !== undefined && vendorCode !== vendorMessage) message += ` (${vendorCode})`;
  const hint = HINTS[status] ?? (status >= 500 ? 'The service had a problem; try again later.' : undefined);
  message += hint ? `. ${hint}` : '.';
  const code = status >= 200 && status < 300 ? 'VENDOR_ERROR' : `HTTP_${status}`;
  return new FlowsteadError(code, redactSecrets(message, secrets), {
    status,
    vendorCode,
    vendorMessage,
    method: request.method,
    path: request.path,
  });
}

const NETWORK_CAUSES: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was reset',
  ENOTFOUND: 'the host name was not found',
  EAI_AGAIN: 'the host name lookup failed',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  EPIPE: 'the connection closed while sending',
  CERT_HAS_EXPIRED: "the server's TLS certificate has expired",
  DEPTH_ZERO_SELF_SIGNED_CERT: "the server's TLS certificate is self-signed",
  SELF_SIGNED_CERT_IN_CHAIN: "the server's TLS certificate chain is self-signed",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the server's TLS certificate could not be verified",
  ERR_TLS_CERT_ALTNAME_INVALID: "the server's TLS certificate does not match the host name",
};

export function networkError(request: RequestDescription, host: string, cause: string | undefined): FlowsteadError {
  const known = cause === undefined ? undefined : NETWORK_CAUSES[cause];
  const why = known ? `${known} (${cause})` : cause ? `a network error (${cause})` : 'a network error';
  return new FlowsteadError(
    'HTTP_NETWORK',
    `${request.method} ${request.path} could not reach ${host}: ${why}. Check the connection's base URL, the network and any proxy.`,
    { method: request.method, path: request.path, host, cause },
  );
}

export function timeoutError(request: RequestDescription, host: string, timeoutMs: number): FlowsteadError {
  return new FlowsteadError(
    'HTTP_TIMEOUT',
    `${request.method} ${request.path} to ${host} got no answer within ${timeoutMs} ms (the connection's timeout). ` +
      'The service may be slow; try again or raise the timeout.',
    { method: request.method, path: request.path, host, timeoutMs },
  );
}

export function cancelledError(what: string): FlowsteadError {
  return new FlowsteadError('HTTP_CANCELLED', `${capitalise(what)} was cancelled.`, { what });
}

export function crossOriginError(target: string, allowedOrigin: string): FlowsteadError {
  return new FlowsteadError(
    'HTTP_CROSS_ORIGIN',
    `Refused to send a request to ${target}: it is not on the connection's origin ${allowedOrigin}, ` +
      "and following it would send the connection's credentials there. Check the path or the pagination settings.",
    { target, allowedOrigin },
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
