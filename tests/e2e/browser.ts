import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { openEngine, type EngineApp } from '../../src/engine/app.js';
import { createKeychainSecretStore, type SecretStore } from '../../src/engine/secrets/secret-store.js';
import { startApiServer, type ApiServer } from '../../src/runner/api-server.js';
import { tempDir } from '../support/test-engine.js';

/** Debian's Chromium, headless, with the flags that keep it off the network (see TOOLCHAIN.md). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export const rendererDir = path.resolve(import.meta.dirname, '../../out/renderer');
export const screenshotDir = path.resolve(import.meta.dirname, '../../test-output/screenshots');

export function ensureScreenshotDir(): string {
  fs.mkdirSync(screenshotDir, { recursive: true });
  return screenshotDir;
}

/** An engine on a fresh database, the HTTP API serving the built designer, and Chromium. */
export interface Designer {
  engine: EngineApp;
  server: ApiServer;
  browser: Browser;
  dbPath: string;
  /** The designer's address with the access token. */
  url: string;
  /** Connection secrets: the real Secret Service of the throwaway keyring (npm run test:e2e). */
  secrets: SecretStore;
}

/** Starts a designer for the test file (before its tests) and stops it after them. */
export function useDesigner(dbName: string): Designer {
  const designer = { dbPath: path.join(tempDir(), dbName) } as Designer;
  beforeAll(async () => {
    if (!fs.existsSync(path.join(rendererDir, 'index.html')))
      throw new Error('Build the renderer first: npm run build');
    if (process.env['FLOWSTEAD_THROWAWAY_KEYCHAIN'] !== '1') {
      throw new Error('Browser tests store connection secrets in a keychain: run them with `npm run test:e2e`.');
    }
    designer.secrets = createKeychainSecretStore({ service: `Flowstead-e2e-${dbName}` });
    designer.engine = await openEngine({ dbPath: designer.dbPath, secrets: designer.secrets });
    designer.server = await startApiServer({ engine: designer.engine, staticDir: rendererDir });
    designer.browser = await launchChromium();
    designer.url = `${designer.server.url}/#token=${designer.server.token}`;
  });
  afterAll(async () => {
    await designer.browser?.close();
    await designer.server?.close();
    await designer.engine?.close();
  });
  return designer;
}
