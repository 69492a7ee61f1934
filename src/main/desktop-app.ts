import { app, BrowserWindow, dialog, ipcMain, Menu } from 'electron';
import { openEngine } from '../engine/app.js';
import type { EngineApp } from '../engine/app.js';
import { readDbFlag, resolveDatabasePath } from '../engine/store/paths.js';
import { IPC_CHANNELS } from '../shared/api/client.js';
import { serializeError } from '../shared/errors.js';
import { createTrustedSenderCheck, resolveAppLocation } from './app-location.js';
import { bindApi, forwardProgress } from './ipc.js';
import { buildMenuTemplate } from './menu.js';
import { guardAllWebContents } from './security.js';
import { createMainWindow } from './window.js';

/** Starts Flowstead: one instance, one engine, one main window. */
export async function runDesktopApp(argv: readonly string[] = process.argv): Promise<void> {
  // Before ready: every renderer, including any we did not expect, runs sandboxed.
  app.enableSandbox();
  // A second launch must not open the same database twice; it brings the first window forward.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  guardAllWebContents(app);

  const isMac = process.platform === 'darwin';
  const location = resolveAppLocation({ isPackaged: app.isPackaged });
  let engine: EngineApp | undefined;
  let mainWindow: BrowserWindow | undefined;

  const openMainWindow = (running: EngineApp): void => {
    const window = createMainWindow(location);
    const stopForwarding = forwardProgress((listener) => running.onProgress(listener), window.webContents);
    window.on('closed', () => {
      stopForwarding();
      if (mainWindow === window) mainWindow = undefined;
    });
    mainWindow = window;
  };

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => {
    if (!isMac) app.quit();
  });
  app.on('activate', () => {
    if (engine && BrowserWindow.getAllWindows().length === 0) openMainWindow(engine);
  });
  app.on('will-quit', (event) => {
    if (!engine) return;
    // Let active runs reach a checkpoint and the database close cleanly, then quit for real.
    event.preventDefault();
    const closing = engine;
    engine = undefined;
    closing
      .close()
      .catch((error: unknown) => console.error('Flowstead: closing the engine failed', error))
      .finally(() => app.quit());
  });

  await app.whenReady();
  let dbPath: string | undefined;
  try {
    dbPath = resolveDatabasePath({ flag: readDbFlag(argv) });
    engine = await openEngine({ dbPath, version: app.getVersion() });
  } catch (error) {
    dialog.showErrorBox('Flowstead cannot open its database', describeStartupFailure(error, dbPath));
    app.exit(1);
    return;
  }

  bindApi(ipcMain, engine.handlers, createTrustedSenderCheck(location.appUrl));
  const send = (command: string) => mainWindow?.webContents.send(IPC_CHANNELS.menu, command);
  Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate({ isMac, isDev: !app.isPackaged, send })));
  openMainWindow(engine);
}

/** The dialog text: the engine's own message already says what to do; we add where we looked. */
export function describeStartupFailure(error: unknown, dbPath: string | undefined): string {
  const { code, message } = serializeError(error);
  const where = dbPath ? `\n\nDatabase file: ${dbPath}` : '';
  return `${message}${where}\n\n(${code})`;
}
