import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

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
