import type Database from 'better-sqlite3';
import { settingsSchema, type Settings } from '../../shared/api/contract.js';
import { FlowsteadError } from '../../shared/errors.js';

export const DEFAULT_SETTINGS: Settings = { defaultHistoryLevel: 'full', theme: 'system' };

const partialSettingsSchema = settingsSchema.partial().strict();

/** App-wide preferences, one JSON value per key, with defaults for anything never set. */
export class SettingsService {
  constructor(private readonly db: Database.Database) {}

  get(): Settings {
    const rows = this.db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
    const settings: Record<string, unknown> = { ...DEFAULT_SETTINGS };
    for (const { key, value } of rows) {
      if (!Object.prototype.hasOwnProperty.call(settingsSchema.shape, key)) continue;
      const field = settingsSchema.shape[key as keyof Settings];
      // A value this version does not understand (older or newer build) falls back to the default.
      const parsed = field.safeParse(parseJson(value));
      if (parsed.success) settings[key] = parsed.data;
    }
    return settings as Settings;
  }

  set(changes: Partial<Settings>): Settings {
    const parsed = partialSettingsSchema.safeParse(changes);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? `\`${issue.path.join('.')}\`: ` : '';
      throw new FlowsteadError(
        'SETTINGS_INVALID',
        `This setting cannot be saved: ${where}${issue?.message ?? 'invalid value'}`,
        {
          path: issue?.path ?? [],
        },
      );
    }
    const upsert = this.db.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    this.db.transaction(() => {
      for (const [key, value] of Object.entries(parsed.data)) {
        if (value !== undefined) upsert.run(key, JSON.stringify(value));
      }
    })();
    return this.get();
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
