import type { IpcMain, IpcMainInvokeEvent, WebContents, WebFrameMain } from 'electron';
import type { ApiHandlers, ApiResult, ProgressEvent } from '../shared/api/contract.js';
import { IPC_CHANNELS } from '../shared/api/client.js';
import { dispatchApiCall } from '../shared/api/dispatch.js';

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
    return {
      ok: false,
      error: {
        code: 'IPC_UNTRUSTED_SENDER',
        message: 'This request did not come from the Flowstead window and was refused.',
      },
    };
  }
  // The same checks as every other transport: known method, valid payload, errors as values.
  return dispatchApiCall(handlers, method, payload);
}

/** Pushes engine progress events to a window until the returned function is called. */
export function forwardProgress(
  subscribe: (listener: (event: ProgressEvent) => void) => () => void,
  webContents: Pick<WebContents, 'send' | 'isDestroyed'>,
): () => void {
  return subscribe((event) => {
    if (!webContents.isDestroyed()) webContents.send(IPC_CHANNELS.event, 'run.progress', event);
  });
}
