import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../shared/api/client.js';

export interface MenuTemplateOptions {
  isMac: boolean;
  /** Reload and developer tools only exist while developing Flowstead itself. */
  isDev: boolean;
  /** Delivers a command to the page (new flow, save …). */
  send: (command: MenuCommand) => void;
}

/** The application menu, as plain data so it can be checked without Electron. */
export function buildMenuTemplate({ isMac, isDev, send }: MenuTemplateOptions): MenuItemConstructorOptions[] {
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: 'New Flow', accelerator: 'CmdOrCtrl+N', click: () => send('flow.new') },
      { label: 'Save', accelerator: 'CmdOrCtrl+S', click: () => send('flow.save') },
      { type: 'separator' },
      isMac ? { role: 'close' } : { role: 'quit' },
    ],
  };
  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'delete' },
      { type: 'separator' },
      { role: 'selectAll' },
    ],
  };
  const developer: MenuItemConstructorOptions[] = isDev
    ? [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }]
    : [];
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      ...developer,
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  const window: MenuItemConstructorOptions = { role: 'windowMenu' };
  // macOS puts About in the application menu; elsewhere it lives under Help.
  const help: MenuItemConstructorOptions = { role: 'help', submenu: isMac ? [] : [{ role: 'about' }] };

  return [...(isMac ? [{ role: 'appMenu' } as const] : []), file, edit, view, window, help];
}
