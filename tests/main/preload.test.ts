import { beforeAll, describe, expect, it, vi } from 'vitest';
import { exposedInMainWorld, ipcRenderer } from './fake-electron.js';
import { ApiError, createApiClient } from '../../src/shared/api/client.js';
import type { ApiTransport, MenuBridge } from '../../src/shared/api/client.js';

vi.mock('electron', () => import('./fake-electron.js'));

let api: ApiTransport;
let menu: MenuBridge;

beforeAll(async () => {
  exposedInMainWorld.clear();
  await import('../../src/preload/index.js');
  api = exposedInMainWorld.get('api') as ApiTransport;
  menu = exposedInMainWorld.get('menu') as MenuBridge;
});

/** What main would send: IpcRendererEvent first, then the arguments. */
const ipcEvent = { sender: { send: () => {} }, senderId: 0, ports: [] };

describe('preload bridge', () => {
  it('exposes exactly api and menu, with no raw Electron objects', () => {
    expect([...exposedInMainWorld.keys()].sort()).toEqual(['api', 'menu']);
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on']);
    expect(Object.keys(menu)).toEqual(['on']);
    expect(Object.values(api)).not.toContain(ipcRenderer);
  });

  it('invokes the single API channel with the method and input', async () => {
    ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, value: [] });
    expect(await api.invoke('flows.list', { search: 'leaver' })).toEqual({ ok: true, value: [] });
    expect(ipcRenderer.invoke).toHaveBeenCalledWith('flowstead:invoke', 'flows.list', { search: 'leaver' });
  });

  it('gives the page values and ApiErrors that keep their code once wrapped by createApiClient', async () => {
    const client = createApiClient(api);
    ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, value: { deleted: true } });
    expect(await client.invoke('flows.delete', { id: 'f1' })).toEqual({ deleted: true });

    ipcRenderer.invoke.mockResolvedValueOnce({
      ok: false,
      error: { code: 'DB_TOO_NEW', message: 'Update Flowstead.', details: { version: 9 } },
    });
    const failure = await client.invoke('flows.list', {}).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ code: 'DB_TOO_NEW', message: 'Update Flowstead.', details: { version: 9 } });
  });

  it('passes listeners only the payload of the event they asked for, and unsubscribes', () => {
    const received: unknown[][] = [];
    const off = api.on('run.progress', (...args: unknown[]) => received.push(args));
    const progress = { kind: 'run.started', runId: 'r1', flowId: 'f1' };
    ipcRenderer.emit('flowstead:event', ipcEvent, 'run.progress', progress);
    ipcRenderer.emit('flowstead:event', ipcEvent, 'something.else', { secret: true });
    expect(received).toEqual([[progress]]);

    off();
    ipcRenderer.emit('flowstead:event', ipcEvent, 'run.progress', progress);
    expect(received).toHaveLength(1);
    expect(ipcRenderer.listenerCount('flowstead:event')).toBe(0);
  });

  it('delivers known menu commands only, without the Electron event', () => {
    const commands: unknown[][] = [];
    const off = menu.on((...args: unknown[]) => commands.push(args));
    ipcRenderer.emit('flowstead:menu', ipcEvent, 'flow.save');
    ipcRenderer.emit('flowstead:menu', ipcEvent, 'format.disk');
    expect(commands).toEqual([['flow.save']]);
    off();
    expect(ipcRenderer.listenerCount('flowstead:menu')).toBe(0);
  });
});
