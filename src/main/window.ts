import { BrowserWindow, shell } from 'electron';
import type { WebPreferences } from 'electron';
import type { AppLocation } from './app-location.js';
import { lockNavigation, secureSession } from './security.js';

/**
 * The page is treated like a website: isolated from Node and Electron, sandboxed, and only
 * able to reach the back end through the preload's typed API.
 */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  };
}

export function createMainWindow(location: AppLocation): BrowserWindow {
  const window = new BrowserWindow({
    title: 'Flowstead',
    width: 1280,
    height: 820,
    minWidth: 800,
    minHeight: 560,
    // Shown once painted, so the user never sees a blank white frame.
    show: false,
    webPreferences: secureWebPreferences(location.preloadPath),
  });
  secureSession(window.webContents.session, location.appUrl, location.devServerUrl);
  lockNavigation(window.webContents, location.appUrl, (url) => shell.openExternal(url));
  window.once('ready-to-show', () => window.show());
  void window.loadURL(location.appUrl);
  return window;
}
