import { fileURLToPath } from 'node:url';

/** Where the app's page and preload script are, for the built app and under `electron-vite dev`. */
export interface AppLocation {
  /** The page the main window loads: the dev server in development, the built file otherwise. */
  appUrl: string;
  /** Absolute path of the (CommonJS) preload script. */
  preloadPath: string;
  /** The Vite dev server, whose hot-reload socket the CSP must allow; undefined in a built app. */
  devServerUrl: string | undefined;
}

export interface AppLocationOptions {
  isPackaged: boolean;
  env?: NodeJS.ProcessEnv;
  /** URL of the running main bundle (out/main/index.js); the other outputs sit beside it. */
  mainFileUrl?: string;
}

export function resolveAppLocation(options: AppLocationOptions): AppLocation {
  const env = options.env ?? process.env;
  const mainFileUrl = options.mainFileUrl ?? import.meta.url;
  // A packaged app ignores the variable, so nobody can point a release build at another site.
  const devServerUrl = options.isPackaged ? undefined : env.ELECTRON_RENDERER_URL?.trim() || undefined;
  return {
    appUrl: devServerUrl ?? new URL('../renderer/index.html', mainFileUrl).href,
    preloadPath: fileURLToPath(new URL('../preload/index.cjs', mainFileUrl)),
    devServerUrl,
  };
}

/**
 * Whether `url` belongs to the app's own page: same origin for the dev server, the very same
 * file for a built app (every file:// URL shares the opaque origin "null", so origin says nothing).
 */
export function isAppUrl(url: string, appUrl: string): boolean {
  const candidate = parseUrl(url);
  const app = parseUrl(appUrl);
  if (!candidate || !app) return false;
  if (app.protocol === 'file:') {
    return (
      candidate.protocol === 'file:' &&
      candidate.host === app.host &&
      decodeURIComponent(candidate.pathname) === decodeURIComponent(app.pathname)
    );
  }
  return candidate.origin === app.origin;
}

/** The sender check for IPC: only the app page's top frame may call the API, never an iframe. */
export function createTrustedSenderCheck(appUrl: string): (frame: { url: string; parent: unknown }) => boolean {
  return (frame) => frame.parent === null && isAppUrl(frame.url, appUrl);
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
