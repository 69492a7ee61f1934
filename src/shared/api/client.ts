import { FlowsteadError } from '../errors.js';
import type { ErrorDetails } from '../errors.js';
import type { ApiClient, ApiEventName, ApiMethod, ApiResult } from './contract.js';

/**
 * The client side of the API contract, shared by every transport (Electron IPC, HTTP).
 * This file is loaded by the sandboxed preload script too, so it must stay free of runtime
 * imports beyond src/shared/errors.ts (no zod: a sandboxed preload cannot require packages).
 */

/** IPC channel names; main and preload must agree on them. */
export const IPC_CHANNELS = {
  invoke: 'flowstead:invoke',
  event: 'flowstead:event',
  menu: 'flowstead:menu',
} as const;

/** Commands the application menu sends to the page. */
export const MENU_COMMANDS = [
  'flow.new',
  'flow.save',
  'edit.undo',
  'edit.redo',
  'edit.duplicate',
  'view.autoLayout',
  'view.fitView',
] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

/** An API call that the back end answered with an error. */
export class ApiError extends FlowsteadError {
  constructor(code: string, message: string, details?: ErrorDetails) {
    super(code, message, details);
    this.name = 'ApiError';
  }
}

/**
 * The raw transport: calls answer with an ApiResult instead of throwing. Errors cannot cross
 * Electron's contextBridge with their `code` intact (only the message survives), so the
 * preload exposes this shape and the page turns it into an ApiClient with `createApiClient`.
 */
export interface ApiTransport {
  invoke(method: ApiMethod, input: unknown): Promise<ApiResult<unknown>>;
  on(event: ApiEventName, listener: (payload: unknown) => void): () => void;
}

/** What the preload script exposes as `window.menu`. */
export interface MenuBridge {
  on(listener: (command: MenuCommand) => void): () => void;
}

export function isMenuCommand(value: unknown): value is MenuCommand {
  return typeof value === 'string' && (MENU_COMMANDS as readonly string[]).includes(value);
}

/** Returns the value of a successful result, or throws an ApiError carrying its code and details. */
export function unwrapResult<T>(result: ApiResult<T> | unknown): T {
  if (!isApiResult(result)) {
    throw new ApiError('MALFORMED_RESPONSE', 'The back end sent an answer Flowstead does not understand.');
  }
  if (result.ok) return result.value as T;
  const { code, message, details } = result.error;
  throw new ApiError(code, message, details);
}

export function createApiClient(transport: ApiTransport): ApiClient {
  return {
    async invoke(method, input) {
      return unwrapResult(await transport.invoke(method, input));
    },
    on(event, listener) {
      // The back end is trusted to send the payload declared for the event in the contract.
      return transport.on(event, (payload) => listener(payload as Parameters<typeof listener>[0]));
    },
  };
}

function isApiResult(value: unknown): value is ApiResult<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const result = value as { ok?: unknown; error?: unknown };
  if (result.ok === true) return 'value' in result;
  if (result.ok !== false || typeof result.error !== 'object' || result.error === null) return false;
  const error = result.error as { code?: unknown; message?: unknown };
  return typeof error.code === 'string' && typeof error.message === 'string';
}
