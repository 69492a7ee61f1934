import type { App, Session, WebContents } from 'electron';
import { isAppUrl } from './app-location.js';
import { buildContentSecurityPolicy, withContentSecurityPolicy } from './content-security-policy.js';

/**
 * The page never gets device permissions (camera, notifications, clipboard-read …) and always
 * runs under our CSP. Flowstead needs none of those powers, so the answer is a flat no.
 */
export function secureSession(session: Session, appUrl: string, devServerUrl?: string): void {
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  const policy = buildContentSecurityPolicy(devServerUrl);
  session.webRequest.onHeadersReceived((details, callback) => {
    if (!isAppUrl(details.url, appUrl)) {
      callback({});
      return;
    }
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders, policy) });
  });
}

/**
 * Keeps a window on the app page: no navigation or redirect elsewhere, no new windows.
 * Links to https sites open in the user's browser instead, where they belong.
 */
export function lockNavigation(webContents: WebContents, appUrl: string, openExternal: (url: string) => unknown): void {
  const stayOnApp = (event: { url: string; preventDefault(): void }) => {
    if (!isAppUrl(event.url, appUrl)) event.preventDefault();
  };
  webContents.on('will-navigate', stayOnApp);
  webContents.on('will-redirect', stayOnApp);
  webContents.setWindowOpenHandler(({ url }) => {
    if (isHttpsUrl(url)) void openExternal(url);
    return { action: 'deny' };
  });
}

/** Every web contents, including any we did not create ourselves, refuses <webview> and pop-ups. */
export function guardAllWebContents(app: App): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}

export function isHttpsUrl(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}
