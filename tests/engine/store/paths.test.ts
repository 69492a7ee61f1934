import { describe, expect, it } from 'vitest';
import { readDbFlag, resolveDatabasePath } from '../../../src/engine/store/paths.js';

describe('resolveDatabasePath', () => {
  const home = '/home/ana';

  it('prefers the --db flag over FLOWSTEAD_DB and the app-data folder', () => {
    expect(
      resolveDatabasePath({ flag: '/srv/a.db', env: { FLOWSTEAD_DB: '/srv/b.db' }, platform: 'linux', home }),
    ).toBe('/srv/a.db');
  });

  it('uses FLOWSTEAD_DB when no flag is given', () => {
    expect(resolveDatabasePath({ env: { FLOWSTEAD_DB: '/srv/b.db' }, platform: 'linux', home })).toBe('/srv/b.db');
  });

  it('ignores an empty flag or variable', () => {
    expect(resolveDatabasePath({ flag: ' ', env: { FLOWSTEAD_DB: '' }, platform: 'linux', home })).toBe(
      '/home/ana/.config/Flowstead/flowstead.db',
    );
  });

  it('follows XDG_CONFIG_HOME on Linux, and ignores a relative one as the XDG spec says', () => {
    expect(resolveDatabasePath({ env: { XDG_CONFIG_HOME: '/data/cfg' }, platform: 'linux', home })).toBe(
      '/data/cfg/Flowstead/flowstead.db',
    );
    expect(resolveDatabasePath({ env: { XDG_CONFIG_HOME: 'cfg' }, platform: 'linux', home })).toBe(
      '/home/ana/.config/Flowstead/flowstead.db',
    );
  });

  it('uses Application Support on macOS', () => {
    expect(resolveDatabasePath({ env: {}, platform: 'darwin', home: '/Users/ana' })).toBe(
      '/Users/ana/Library/Application Support/Flowstead/flowstead.db',
    );
  });

  it('uses %APPDATA% on Windows, with the usual roaming folder when it is unset', () => {
    expect(
      resolveDatabasePath({
        env: { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' },
        platform: 'win32',
        home: 'C:\\Users\\ana',
      }),
    ).toBe('C:\\Users\\ana\\AppData\\Roaming\\Flowstead\\flowstead.db');
    expect(resolveDatabasePath({ env: {}, platform: 'win32', home: 'C:\\Users\\ana' })).toBe(
      'C:\\Users\\ana\\AppData\\Roaming\\Flowstead\\flowstead.db',
    );
  });
});

describe('readDbFlag', () => {
  it('reads --db PATH and --db=PATH, the last one winning', () => {
    expect(readDbFlag(['serve', '--db', '/a.db'])).toBe('/a.db');
    expect(readDbFlag(['--db=/b.db', 'run'])).toBe('/b.db');
    expect(readDbFlag(['--db', '/a.db', '--db=/b.db'])).toBe('/b.db');
  });

  it('returns nothing when the flag is absent or comes after --', () => {
    expect(readDbFlag(['run', 'bundle.zip'])).toBeUndefined();
    expect(readDbFlag(['run', '--', '--db', '/a.db'])).toBeUndefined();
  });

  it('explains a --db without a path', () => {
    expect(() => readDbFlag(['--db'])).toThrow(/needs a database file path/);
    expect(() => readDbFlag(['--db', '--verbose'])).toThrow(expect.objectContaining({ code: 'DB_FLAG_MISSING_PATH' }));
    expect(() => readDbFlag(['--db='])).toThrow(/needs a database file path/);
  });
});
