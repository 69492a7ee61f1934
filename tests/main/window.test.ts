import { beforeEach, describe, expect, it, vi } from 'vitest';
import { BrowserWindow, resetFakeElectron, shell } from './fake-electron.js';
import { createMainWindow, secureWebPreferences } from '../../src/main/window.js';
import type { AppLocation } from '../../src/main/app-location.js';

vi.mock('electron', () => import('./fake-electron.js'));

const built: AppLocation = {
  appUrl: 'file:///opt/Flowstead/resources/app.asar/out/renderer/index.html',
  preloadPath: '/opt/Flowstead/resources/app.asar/out/preload/index.cjs',
  devServerUrl: undefined,
};
const dev: AppLocation = {
  appUrl: 'http://localhost:5173/',
  preloadPath: '/work/out/preload/index.cjs',
  devServerUrl: 'http://localhost:5173/',
};

function openWindow(location: AppLocation = built): BrowserWindow {
  createMainWindow(location);
  const window = BrowserWindow.instances.at(-1);
  if (!window) throw new Error('no window was created');
  return window;
}

function navigate(window: BrowserWindow, event: 'will-navigate' | 'will-redirect', url: string): boolean {
  const details = { url, preventDefault: vi.fn() };
  window.webContents.emit(event, details, url);
  return details.preventDefault.mock.calls.length > 0;
}

describe('main window', () => {
  beforeEach(resetFakeElectron);

  it('isolates the page from Node and loads the CommonJS preload', () => {
    // Exact equality: a new preference slipping in (or one dropped) must be a conscious change.
    expect(secureWebPreferences(built.preloadPath)).toEqual({
      preload: built.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    });
    expect(openWindow().options.webPreferences).toEqual(secureWebPreferences(built.preloadPath));
  });

  it('loads the app page and shows the window once it is painted', () => {
    const window = openWindow();
    expect(window.loadURL).toHaveBeenCalledWith(built.appUrl);
    expect(window.show).not.toHaveBeenCalled();
    window.emit('ready-to-show');
    expect(window.show).toHaveBeenCalledOnce();
  });

  it('refuses navigation and redirects away from the dev server origin but allows its own pages', () => {
    const window = openWindow(dev);
    expect(navigate(window, 'will-navigate', 'https://evil.example/phish')).toBe(true);
    expect(navigate(window, 'will-navigate', 'http://localhost:5174/')).toBe(true);
    expect(navigate(window, 'will-redirect', 'https://evil.example/')).toBe(true);
    expect(navigate(window, 'will-navigate', 'http://localhost:5173/index.html')).toBe(false);
  });

  it('in a built app allows only its own page file, not other local files', () => {
    const window = openWindow();
    expect(navigate(window, 'will-navigate', `${built.appUrl}#/flows`)).toBe(false);
    expect(navigate(window, 'will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(navigate(window, 'will-navigate', 'file:///opt/Flowstead/resources/app.asar/out/renderer/other.html')).toBe(
      true,
    );
  });

  it('denies every new window and hands https links to the browser', () => {
    const handler = openWindow().webContents.windowOpenHandler;
    expect(handler?.({ url: 'https://developer.okta.com/docs' })).toEqual({ action: 'deny' });
    expect(shell.openExternal).toHaveBeenCalledWith('https://developer.okta.com/docs');

    for (const url of ['http://insecure.example/', 'file:///etc/passwd', 'javascript:alert(1)', 'not a url']) {
      expect(handler?.({ url })).toEqual({ action: 'deny' });
    }
    expect(shell.openExternal).toHaveBeenCalledTimes(1);
  });

  it('denies every permission request and check', () => {
    const session = openWindow().webContents.session;
    const answers: boolean[] = [];
    for (const permission of ['media', 'notifications', 'clipboard-read', 'geolocation']) {
      session.permissionRequestHandler?.({}, permission, (granted) => answers.push(granted));
    }
    expect(answers).toEqual([false, false, false, false]);
    expect(session.permissionCheckHandler?.({}, 'clipboard-read', 'http://localhost:5173', {})).toBe(false);
  });

  it('puts a strict Content-Security-Policy on app responses, replacing any the server sent', () => {
    const session = openWindow(dev).webContents.session;
    let headers: Record<string, string[]> | undefined;
    session.headersListener?.(
      {
        url: 'http://localhost:5173/',
        responseHeaders: { 'content-security-policy': ['default-src *'], 'Content-Type': ['text/html'] },
      },
      (response) => (headers = response.responseHeaders),
    );
    expect(headers?.['content-security-policy']).toBeUndefined();
    expect(headers?.['Content-Type']).toEqual(['text/html']);
    const policy = headers?.['Content-Security-Policy']?.[0] ?? '';
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      "font-src 'self' data:",
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
      "form-action 'none'",
    ]) {
      expect(policy).toContain(directive);
    }
    // The dev server's hot-reload socket, and nothing else, is added for development.
    expect(policy).toContain("connect-src 'self' ws://localhost:5173");
    expect(policy).not.toContain('unsafe-eval');
  });

  it('leaves responses from other origins alone and keeps connect-src to self in a built app', () => {
    const session = openWindow().webContents.session;
    let other: unknown = 'not called';
    session.headersListener?.({ url: 'https://elsewhere.example/' }, (response) => (other = response.responseHeaders));
    expect(other).toBeUndefined();

    let headers: Record<string, string[]> | undefined;
    session.headersListener?.({ url: built.appUrl }, (response) => (headers = response.responseHeaders));
    expect(headers?.['Content-Security-Policy']?.[0]).toContain("connect-src 'self';");
  });
});
