import { describe, expect, it } from 'vitest';
import { isAppUrl, resolveAppLocation } from '../../src/main/app-location.js';

const MAIN = 'file:///opt/Flowstead/resources/app.asar/out/main/index.js';

describe('app location', () => {
  it('points a built app at the files beside the main bundle', () => {
    const location = resolveAppLocation({ isPackaged: true, env: {}, mainFileUrl: MAIN });
    expect(location).toEqual({
      appUrl: 'file:///opt/Flowstead/resources/app.asar/out/renderer/index.html',
      preloadPath: '/opt/Flowstead/resources/app.asar/out/preload/index.cjs',
      devServerUrl: undefined,
    });
  });

  it('uses the dev server during development only', () => {
    const env = { ELECTRON_RENDERER_URL: 'http://localhost:5173' };
    expect(resolveAppLocation({ isPackaged: false, env, mainFileUrl: MAIN }).appUrl).toBe('http://localhost:5173');
    // A released app cannot be pointed at another page through the environment.
    expect(resolveAppLocation({ isPackaged: true, env, mainFileUrl: MAIN }).appUrl).toMatch(
      /^file:.*renderer\/index\.html$/,
    );
  });

  it('recognises the app page by origin for http and by exact file for file://', () => {
    expect(isAppUrl('http://localhost:5173/some/route?x=1', 'http://localhost:5173/')).toBe(true);
    expect(isAppUrl('http://localhost.evil.example:5173/', 'http://localhost:5173/')).toBe(false);
    const page = 'file:///opt/Flowstead/out/renderer/index.html';
    expect(isAppUrl(`${page}#/runs`, page)).toBe(true);
    expect(isAppUrl('file:///opt/Flowstead/out/renderer/../renderer/index.html', page)).toBe(true);
    expect(isAppUrl('file:///home/user/Downloads/index.html', page)).toBe(false);
    expect(isAppUrl('not a url', page)).toBe(false);
  });
});
