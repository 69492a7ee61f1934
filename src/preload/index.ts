import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import { IPC_CHANNELS, isMenuCommand } from '../shared/api/client.js';
import type { ApiTransport, MenuBridge } from '../shared/api/client.js';

/**
 * The page's only door to the back end. It gets two small objects and nothing raw: no
 * ipcRenderer, no IpcRendererEvent (its `sender` would let the page send on any channel).
 * Results come back as ApiResult values because errors lose their `code` crossing the
 * bridge; the page unwraps them with createApiClient from src/shared/api/client.ts.
 */
const api: ApiTransport = {
  invoke: (method, input) => ipcRenderer.invoke(IPC_CHANNELS.invoke, method, input),
  on(event, listener) {
    const deliver = (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on(IPC_CHANNELS.event, deliver);
    return () => {
      ipcRenderer.removeListener(IPC_CHANNELS.event, deliver);
    };
  },
};

const menu: MenuBridge = {
  on(listener) {
    const deliver = (_event: IpcRendererEvent, command: unknown) => {
      if (isMenuCommand(command)) listener(command);
    };
    ipcRenderer.on(IPC_CHANNELS.menu, deliver);
    return () => {
      ipcRenderer.removeListener(IPC_CHANNELS.menu, deliver);
    };
  },
};

contextBridge.exposeInMainWorld('api', api);
contextBridge.exposeInMainWorld('menu', menu);
