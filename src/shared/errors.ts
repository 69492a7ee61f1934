/**
 * Errors are values with a stable code and a message a user can act on.
 * `details` carries structured context (card id, field path, expected type …) for UIs.
 */
export type ErrorDetails = Record<string, unknown>;

export class FlowsteadError extends Error {
  readonly code: string;
  readonly details: ErrorDetails | undefined;

  constructor(code: string, message: string, details?: ErrorDetails) {
    super(message);
    this.name = 'FlowsteadError';
    this.code = code;
    this.details = details;
  }

  toJSON(): SerializedError {
    return { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) };
  }
}

/** The plain-data form of an error, as stored in history and sent over the API. */
export interface SerializedError {
  code: string;
  message: string;
  details?: ErrorDetails;
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof FlowsteadError) return error.toJSON();
  if (error instanceof Error) {
    const raw = (error as unknown as { code?: unknown }).code;
    const code = typeof raw === 'string' ? raw : 'INTERNAL';
    return { code, message: error.message };
  }
  return { code: 'INTERNAL', message: String(error) };
}
