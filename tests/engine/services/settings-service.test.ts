import { describe, expect, it } from 'vitest';
import { SettingsService } from '../../../src/engine/services/settings-service.js';
import { useTempDatabases } from '../store/temp-database.js';

const temp = useTempDatabases();

describe('SettingsService', () => {
  it('gives the defaults on a new database', () => {
    expect(new SettingsService(temp.open()).get()).toEqual({ defaultHistoryLevel: 'full', theme: 'system' });
  });

  it('changes only what is given and keeps it after a reopen', () => {
    const db = temp.open();
    const file = db.name;
    const settings = new SettingsService(db);
    expect(settings.set({ theme: 'dark' })).toEqual({ defaultHistoryLevel: 'full', theme: 'dark' });
    expect(settings.set({ defaultHistoryLevel: 'metadata' })).toEqual({
      defaultHistoryLevel: 'metadata',
      theme: 'dark',
    });
    db.close();
    expect(new SettingsService(temp.open(file)).get()).toEqual({ defaultHistoryLevel: 'metadata', theme: 'dark' });
  });

  it('refuses an unknown value or setting and changes nothing', () => {
    const settings = new SettingsService(temp.open());
    expect(() => settings.set({ theme: 'purple' as 'dark' })).toThrow(
      expect.objectContaining({ code: 'SETTINGS_INVALID' }),
    );
    expect(() => settings.set({ fontSize: 12 } as never)).toThrow(/cannot be saved/);
    expect(settings.get()).toEqual({ defaultHistoryLevel: 'full', theme: 'system' });
  });

  it('falls back to the default for a stored value it does not understand', () => {
    const db = temp.open();
    db.prepare(
      "INSERT INTO settings (key, value) VALUES ('theme', '\"solarized\"'), ('defaultHistoryLevel', 'oops'), ('future', '1')",
    ).run();
    expect(new SettingsService(db).get()).toEqual({ defaultHistoryLevel: 'full', theme: 'system' });
  });
});
