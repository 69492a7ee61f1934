import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

/**
 * A stand-in for the parts of the `electron` module Flowstead's shell uses. Tests load it with
 * `vi.mock('electron', () => import('./fake-electron.js'))`: the real module would try to
 * download the Electron binary, which cannot be had here (see TOOLCHAIN.md).
 */

type PermissionRequestHandler = (
  webContents: unknown,
  permission: string,
  callback: (granted: boolean) => void,
) => void;
type HeadersListener = (
  details: { url: string; responseHeaders?: Record<string, string[]> },
  callback: (response: { responseHeaders?: Record<string, string[]> }) => void,
) => void;

export class FakeSession {
  permissionRequestHandler: PermissionRequestHandler | undefined;
  permissionCheckHandler: ((...args: unknown[]) => boolean) | undefined;
  headersListener: HeadersListener | undefined;
  setPermissionRequestHandler(handler: PermissionRequestHandler): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: (...args: unknown[]) => boolean): void {
    this.permissionCheckHandler = handler;
  }
  webRequest = {
    onHeadersReceived: (listener: HeadersListener) => {
      this.headersListener = listener;
    },
  };
}

export class FakeWebContents extends EventEmitter {
  session = new FakeSession();
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  destroyed = false;
  send = vi.fn();
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

export class BrowserWindow extends EventEmitter {
  static instances: BrowserWindow[] = [];
  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.instances;
  }
  readonly webContents = new FakeWebContents();
  readonly loadURL = vi.fn(async (_url: string) => {});
  readonly show = vi.fn();
  readonly focus = vi.fn();
  readonly restore = vi.fn();
  readonly isMinimized = vi.fn(() => false);
  constructor(readonly options: { webPreferences?: Record<string, unknown> } & Record<string, unknown>) {
    super();
    BrowserWindow.instances.push(this);
  }
}

class FakeApp extends EventEmitter {
  isPackaged = true;
  enableSandbox = vi.fn();
  requestSingleInstanceLock = vi.fn(() => true);
  quit = vi.fn();
  exit = vi.fn();
  whenReady = vi.fn(async () => {});
  getVersion = vi.fn(() => '0.1.0');
}

export const app = new FakeApp();
export const shell = { openExternal: vi.fn(async (_url: string) => {}) };
export const dialog = { showErrorBox: vi.fn() };
export const ipcMain = { handle: vi.fn(), removeHandler: vi.fn() };
export const Menu = { buildFromTemplate: vi.fn((template: unknown) => ({ template })), setApplicationMenu: vi.fn() };

class FakeIpcRenderer extends EventEmitter {
  invoke = vi.fn(async (..._args: unknown[]): Promise<unknown> => undefined);
}
export const ipcRenderer = new FakeIpcRenderer();
export const exposedInMainWorld = new Map<string, unknown>();
export const contextBridge = {
  exposeInMainWorld: vi.fn((key: string, value: unknown) => exposedInMainWorld.set(key, value)),
};

/** Forgets every window, listener and recorded call, so each test starts from a fresh Electron. */
export function resetFakeElectron(): void {
  BrowserWindow.instances = [];
  app.removeAllListeners();
  app.isPackaged = true;
  app.requestSingleInstanceLock.mockReturnValue(true);
  ipcRenderer.removeAllListeners();
  exposedInMainWorld.clear();
  vi.clearAllMocks();
}
