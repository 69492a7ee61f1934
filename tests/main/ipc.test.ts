import { describe, expect, it, vi } from 'vitest';
import type { IpcMainInvokeEvent, WebFrameMain } from 'electron';
import type { ApiHandlers, ApiResult } from '../../src/shared/api/contract.js';
import { FlowsteadError } from '../../src/shared/errors.js';
import { createTrustedSenderCheck } from '../../src/main/app-location.js';
import { bindApi, forwardProgress } from '../../src/main/ipc.js';

const APP_URL = 'file:///opt/Flowstead/resources/app.asar/out/renderer/index.html';

type Invoke = (event: Partial<IpcMainInvokeEvent>, method: unknown, payload: unknown) => Promise<ApiResult<unknown>>;

/** Binds the API to a fake ipcMain and returns what a renderer call would reach. */
function bind(overrides: Partial<Record<keyof ApiHandlers, (input: never) => unknown>>) {
  const calls: { method: string; input: unknown }[] = [];
  // Any handler a test did not supply records the call and answers nothing.
  const handlers = new Proxy(overrides, {
    get: (target, method: string) => (input: never) => {
      calls.push({ method, input });
      return (target as Record<string, (input: never) => unknown>)[method]?.(input);
    },
  }) as unknown as ApiHandlers;
  let invoke: Invoke | undefined;
  const ipc = {
    handle: vi.fn((channel: string, listener: Invoke) => {
      expect(channel).toBe('flowstead:invoke');
      invoke = listener;
    }),
    removeHandler: vi.fn(),
  };
  const unbind = bindApi(ipc, handlers, createTrustedSenderCheck(APP_URL));
  if (!invoke) throw new Error('bindApi registered no handler');
  return { invoke, calls, ipc, unbind };
}

function frame(url: string, parent: unknown = null): WebFrameMain {
  return { url, parent } as unknown as WebFrameMain;
}
const fromApp = { senderFrame: frame(APP_URL) } as Partial<IpcMainInvokeEvent>;

describe('IPC binding of the API', () => {
  it('registers exactly one channel and unbinds it', () => {
    const { ipc, unbind } = bind({});
    expect(ipc.handle).toHaveBeenCalledTimes(1);
    unbind();
    expect(ipc.removeHandler).toHaveBeenCalledWith('flowstead:invoke');
  });

  it('passes a valid call to its handler with defaults applied and answers ok', async () => {
    const { invoke, calls } = bind({ 'runs.list': () => [] });
    const result = await invoke(fromApp, 'runs.list', { flowId: 'leaver' });
    expect(result).toEqual({ ok: true, value: [] });
    expect(calls).toEqual([{ method: 'runs.list', input: { flowId: 'leaver', limit: 100, offset: 0 } }]);
  });

  it('accepts a call without payload for methods that take no input', async () => {
    const { invoke, calls } = bind({ 'tables.list': () => [] });
    expect(await invoke(fromApp, 'tables.list', undefined)).toEqual({ ok: true, value: [] });
    expect(calls).toHaveLength(1);
  });

  it('refuses an invalid payload with INVALID_PAYLOAD naming each bad field, without calling the handler', async () => {
    const { invoke, calls } = bind({});
    const result = await invoke(fromApp, 'tables.create', {
      name: 'Users',
      columns: [
        { name: '1st', type: 'text' },
        { name: 'ok', type: 'colour' },
      ],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('INVALID_PAYLOAD');
    expect(result.error.message).toContain('tables.create');
    expect(result.error.message).toContain('columns[0].name');
    expect(result.error.message).toContain('columns[1].type');
    const issues = result.error.details?.issues as { path: unknown[] }[];
    expect(issues.map((issue) => issue.path)).toEqual([
      ['columns', 0, 'name'],
      ['columns', 1, 'type'],
    ]);
    expect(calls).toEqual([]);
  });

  it('says what was expected for a field of the wrong type and rejects unknown fields', async () => {
    const { invoke } = bind({});
    const wrongType = await invoke(fromApp, 'flows.get', { id: 42 });
    expect(wrongType).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(!wrongType.ok && wrongType.error.message).toMatch(/id: .*expected string/);

    const extra = await invoke(fromApp, 'flows.get', { id: 'a', admin: true });
    expect(!extra.ok && extra.error.message).toContain('admin');
  });

  it('refuses unknown methods, including inherited object keys', async () => {
    const { invoke, calls } = bind({});
    for (const method of ['shell.exec', 'toString', '__proto__', 42]) {
      const result = await invoke(fromApp, method, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'API_UNKNOWN_METHOD' } });
    }
    expect(calls).toEqual([]);
  });

  it.each([
    ['a missing sender frame', { senderFrame: null }],
    ['another site', { senderFrame: frame('https://evil.example/index.html') }],
    ['another local file', { senderFrame: frame('file:///tmp/evil.html') }],
    ['an iframe inside the app page', { senderFrame: frame(APP_URL, frame(APP_URL)) }],
  ])('refuses calls from %s without reaching the handler', async (_case, event) => {
    const { invoke, calls } = bind({});
    const result = await invoke(event as Partial<IpcMainInvokeEvent>, 'flows.list', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'IPC_UNTRUSTED_SENDER' } });
    expect(calls).toEqual([]);
  });

  it('returns a FlowsteadError thrown by a handler as an error value', async () => {
    const { invoke } = bind({
      'flows.get': () => {
        throw new FlowsteadError('FLOW_NOT_FOUND', 'There is no flow with id "x".', { id: 'x' });
      },
    });
    expect(await invoke(fromApp, 'flows.get', { id: 'x' })).toEqual({
      ok: false,
      error: { code: 'FLOW_NOT_FOUND', message: 'There is no flow with id "x".', details: { id: 'x' } },
    });
  });

  it('never sends a stack trace for unexpected errors', async () => {
    const { invoke } = bind({
      'flows.list': async () => {
        throw new TypeError('cannot read properties of undefined');
      },
    });
    const result = await invoke(fromApp, 'flows.list', {});
    expect(result).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'cannot read properties of undefined' } });
    expect(JSON.stringify(result)).not.toContain('at ');
  });
});

describe('progress events', () => {
  it('forwards engine progress to the window until unsubscribed, and skips a destroyed window', () => {
    let emit: ((event: never) => void) | undefined;
    const unsubscribe = vi.fn();
    const webContents = { send: vi.fn(), isDestroyed: vi.fn(() => false) };
    const stop = forwardProgress((listener) => {
      emit = listener as (event: never) => void;
      return unsubscribe;
    }, webContents);
    const progress = { kind: 'run.started', runId: 'r1', flowId: 'f1' } as never;
    emit?.(progress);
    expect(webContents.send).toHaveBeenCalledWith('flowstead:event', 'run.progress', progress);

    webContents.isDestroyed.mockReturnValue(true);
    emit?.(progress);
    expect(webContents.send).toHaveBeenCalledTimes(1);

    stop();
    expect(unsubscribe).toHaveBeenCalledOnce();
  });
});
