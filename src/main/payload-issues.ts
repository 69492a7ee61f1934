import type { z } from 'zod';

/** One schema problem, as plain data the page can show next to the field. */
export interface PayloadIssue {
  path: (string | number)[];
  code: string;
  message: string;
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

/** `flow.nodes[2].inputs.text`, or `(input)` for the payload as a whole. */
export function formatPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return '(input)';
  return path.map((key, index) => (typeof key === 'number' ? `[${key}]` : index === 0 ? key : `.${key}`)).join('');
}
