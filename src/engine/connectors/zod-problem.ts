import type { z } from 'zod';
import { FlowsteadError } from '../../shared/errors.js';

/** The first problem of a failed parse, with the field path, as an error an admin can act on. */
export function zodProblem(code: string, what: string, error: z.ZodError): FlowsteadError {
  const issue = error.issues[0];
  const field = issue?.path.join('.') ?? '';
  const message = `${what} is not valid: ${field ? `\`${field}\`: ` : ''}${issue?.message ?? 'unknown problem'}.`;
  return new FlowsteadError(code, message, { field, issues: error.issues.length });
}
