import type { z } from 'zod';
import { serializeError } from '../errors.js';
import { apiContract, isApiMethod, type ApiHandlers, type ApiResult } from './contract.js';

/** One schema problem, as plain data the page can show next to the field. */
export interface PayloadIssue {
  path: (string | number)[];
  code: string;
  message: string;
}

/** `flow.nodes[2].inputs.text`, or `(input)` for the payload as a whole. */
export function formatPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return '(input)';
  return path.map((key, index) => (typeof key === 'number' ? `[${key}]` : index === 0 ? key : `.${key}`)).join('');
}

/** Builds the INVALID_PAYLOAD message: every bad field by its path, with what was expected. */
export function describeInvalidPayload(
  method: string,
  issues: readonly z.core.$ZodIssue[],
): { message: string; issues: PayloadIssue[] } {
  const plain = issues.map((issue) => ({
    path: issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key)),
    code: issue.code,
    message: issue.message,
  }));
  // Trailing full stops are dropped so the joined sentence reads cleanly.
  const parts = plain.map((issue) => `${formatPath(issue.path)}: ${issue.message.replace(/\.$/, '')}`);
  return {
    message: `The request ${method} was refused because its input is invalid: ${parts.join('; ')}.`,
    issues: plain,
  };
}

function failure(code: string, message: string, details?: Record<string, unknown>): ApiResult<never> {
  return { ok: false, error: details ? { code, message, details } : { code, message } };
}

/**
 * The one way a call from outside reaches an engine handler, whatever the transport (IPC,
 * HTTP): the method must exist, the payload must match its schema, and errors come back as
 * values (code, message, details), never as stack traces.
 */
export async function dispatchApiCall(
  handlers: ApiHandlers,
  method: unknown,
  payload: unknown,
): Promise<ApiResult<unknown>> {
  if (!isApiMethod(method)) {
    return failure('API_UNKNOWN_METHOD', `Flowstead has no API method named ${JSON.stringify(String(method))}.`);
  }
  // Methods without inputs may be called with nothing at all.
  const parsed = apiContract[method].input.safeParse(payload === undefined ? {} : payload);
  if (!parsed.success) {
    const { message, issues } = describeInvalidPayload(method, parsed.error.issues);
    return failure('INVALID_PAYLOAD', message, { method, issues });
  }
  try {
    const handler = handlers[method] as (input: unknown) => unknown;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    return { ok: false, error: serializeError(error) };
  }
}
