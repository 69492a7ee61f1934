import type { IpcMain, IpcMainInvokeEvent, WebContents, WebFrameMain } from 'electron';
import type { ApiHandlers, ApiResult, ProgressEvent } from '../shared/api/contract.js';
import { apiContract, isApiMethod } from '../shared/api/contract.js';
import { IPC_CHANNELS } from '../shared/api/client.js';
import { serializeError } from '../shared/errors.js';
import { describeInvalidPayload } from './payload-issues.js';

export type TrustedSenderCheck = (frame: WebFrameMain) => boolean;
type IpcRegistry = Pick<IpcMain, 'handle' | 'removeHandler'>;

/**
 * Serves the whole API contract on one channel. Every call is checked twice before an engine
 * handler sees it: the sender must be the app's own page, and the payload must match the
 * method's schema (the renderer is treated as untrusted input, like a web client).
 * Returns the function that unbinds the channel.
 */
export function bindApi(ipc: IpcRegistry, handlers: ApiHandlers, isTrustedSender: TrustedSenderCheck): () => void {
  ipc.handle(IPC_CHANNELS.invoke, (event: IpcMainInvokeEvent, method: unknown, payload: unknown) =>
    answerInvoke(handlers, isTrustedSender, event.senderFrame, method, payload),
  );
  return () => ipc.removeHandler(IPC_CHANNELS.invoke);
}

async function answerInvoke(
  handlers: ApiHandlers,
  isTrustedSender: TrustedSenderCheck,
  frame: WebFrameMain | null,
  method: unknown,
  payload: unknown,
): Promise<ApiResult<unknown>> {
  if (!frame || !isTrustedSender(frame)) {
    return failure('IPC_UNTRUSTED_SENDER', 'This request did not come from the Flowstead window and was refused.');
  }
  if (!isApiMethod(method)) {
    return failure('IPC_UNKNOWN_METHOD', `Flowstead has no API method named ${JSON.stringify(String(method))}.`);
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
    // serializeError keeps code, message and details only: stack traces stay in main.
    return { ok: false, error: serializeError(error) };
  }
}

function failure(code: string, message: string, details?: Record<string, unknown>): ApiResult<never> {
  return { ok: false, error: details ? { code, message, details } : { code, message } };
}

/** Pushes engine progress events to a window until the returned function is called. */
export function forwardEvents(
  subscribe: (listener: (event: ProgressEvent) => void) => () => void,
  webContents: Pick<WebContents, 'send' | 'isDestroyed'>,
): () => void {
  return subscribe((event) => {
    if (!webContents.isDestroyed()) webContents.send(IPC_CHANNELS.event, 'run.progress', event);
  });
}
