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
    // Undo / redo go to the page: it undoes canvas edits, or typing when a text field has focus.
    submenu: [
      { label: 'Undo', accelerator: 'CmdOrCtrl+Z', click: () => send('edit.undo') },
      { label: 'Redo', accelerator: 'CmdOrCtrl+Shift+Z', click: () => send('edit.redo') },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { label: 'Duplicate', accelerator: 'CmdOrCtrl+D', click: () => send('edit.duplicate') },
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
      { label: 'Auto-layout', accelerator: 'CmdOrCtrl+Shift+L', click: () => send('view.autoLayout') },
      { label: 'Fit Flow to Window', accelerator: 'CmdOrCtrl+Shift+F', click: () => send('view.fitView') },
      { type: 'separator' },
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
