import path from 'node:path';
import os from 'node:os';
import { FlowsteadError } from '../../shared/errors.js';

export const DB_ENV_VARIABLE = 'FLOWSTEAD_DB';
const APP_FOLDER = 'Flowstead';
const DB_FILE = 'flowstead.db';

export interface DatabasePathOptions {
  /** The value of the `--db` command-line flag, when given. */
  flag?: string | undefined;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  home?: string;
}

/**
 * Where the database lives: the `--db` flag wins, then FLOWSTEAD_DB, then the per-user
 * application-data folder each OS expects, so backups and uninstallers find it.
 */
export function resolveDatabasePath(options: DatabasePathOptions = {}): string {
  const env = options.env ?? process.env;
  const flag = options.flag?.trim();
  if (flag) return flag;
  const fromEnv = env[DB_ENV_VARIABLE]?.trim();
  if (fromEnv) return fromEnv;

  const platform = options.platform ?? process.platform;
  const home = options.home ?? os.homedir();
  if (platform === 'win32') {
    const appData = env.APPDATA?.trim() || path.win32.join(home, 'AppData', 'Roaming');
    return path.win32.join(appData, APP_FOLDER, DB_FILE);
  }
  if (platform === 'darwin') {
    return path.posix.join(home, 'Library', 'Application Support', APP_FOLDER, DB_FILE);
  }
  // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const xdg = env.XDG_CONFIG_HOME?.trim();
  const configHome = xdg && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(home, '.config');
  return path.posix.join(configHome, APP_FOLDER, DB_FILE);
}

/** Reads `--db PATH` or `--db=PATH` from command-line arguments; the last one wins, `--` ends options. */
export function readDbFlag(argv: readonly string[]): string | undefined {
  let found: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    if (arg.startsWith('--db=')) {
      found = requirePath(arg.slice('--db='.length));
    } else if (arg === '--db') {
      found = requirePath(argv[i + 1]);
      i++;
    }
  }
  return found;
}

function requirePath(value: string | undefined): string {
  if (value === undefined || value.trim() === '' || value.startsWith('--')) {
    throw new FlowsteadError(
      'DB_FLAG_MISSING_PATH',
      'The --db option needs a database file path, e.g. --db ./flowstead.db.',
    );
  }
  return value;
}
