import { describe, expect, it } from 'vitest';
import { dateImplementations } from '../../../src/engine/cards/date.js';
import { dateCards } from '../../../src/shared/cards/catalog/date.js';
import { code, fakeContext, outputs, runCard } from './fake-context.js';

describe('date.now', () => {
  it('gives ctx.now() in UTC by default', async () => {
    expect(await outputs('date.now', {})).toEqual({ now: '2026-03-07T12:00:00Z' });
    expect(await outputs('date.now', { timeZone: '' })).toEqual({ now: '2026-03-07T12:00:00Z' });
  });

  it('gives the zone offset when a zone is set', async () => {
    expect(await outputs('date.now', { timeZone: 'Europe/Berlin' })).toEqual({ now: '2026-03-07T13:00:00+01:00' });
    expect(await outputs('date.now', { timeZone: 'America/New_York' })).toEqual({ now: '2026-03-07T07:00:00-05:00' });
  });

  it('uses the context clock', async () => {
    const ctx = fakeContext({ now: new Date('2030-01-01T00:00:00.250Z') });
    expect(await outputs('date.now', {}, ctx)).toEqual({ now: '2030-01-01T00:00:00.250Z' });
  });

  it('refuses an unknown zone', async () => {
    await expect(runCard('date.now', { timeZone: 'Mars/Olympus' })).rejects.toEqual(code('DATE_TIME_ZONE'));
  });
});

describe('date.add and date.subtract', () => {
  it('adds a day across the New York DST change and keeps 09:00 on the wall clock', async () => {
    // 2026-03-07 09:00 EST (-05:00); DST starts 2026-03-08, so 09:00 EDT is 13:00Z.
    expect(
      await outputs('date.add', {
        date: '2026-03-07T14:00:00Z',
        amount: 1,
        unit: 'days',
        timeZone: 'America/New_York',
      }),
    ).toEqual({ date: '2026-03-08T13:00:00Z' });
    // 24 hours are 24 hours, whatever the zone.
    expect(
      await outputs('date.add', {
        date: '2026-03-07T14:00:00Z',
        amount: 24,
        unit: 'hours',
        timeZone: 'America/New_York',
      }),
    ).toEqual({ date: '2026-03-08T14:00:00Z' });
    // In UTC (the default) a day is 24 hours.
    expect(await outputs('date.add', { date: '2026-03-07T14:00:00Z', amount: 1, unit: 'days' })).toEqual({
      date: '2026-03-08T14:00:00Z',
    });
  });

  it('clamps Jan 31 + 1 month to the end of February', async () => {
    expect(await outputs('date.add', { date: '2026-01-31T10:00:00Z', amount: 1, unit: 'months' })).toEqual({
      date: '2026-02-28T10:00:00Z',
    });
    expect(await outputs('date.add', { date: '2028-01-31T10:00:00Z', amount: 1, unit: 'months' })).toEqual({
      date: '2028-02-29T10:00:00Z',
    });
  });

  it('subtracts, also across DST, and accepts negative amounts', async () => {
    expect(
      await outputs('date.subtract', {
        date: '2026-03-08T13:00:00Z',
        amount: 1,
        unit: 'days',
        timeZone: 'America/New_York',
      }),
    ).toEqual({ date: '2026-03-07T14:00:00Z' });
    expect(await outputs('date.subtract', { date: '2026-03-31T00:00:00Z', amount: 1, unit: 'months' })).toEqual({
      date: '2026-02-28T00:00:00Z',
    });
    expect(await outputs('date.subtract', { date: '2026-03-07T12:00:00Z', amount: -2, unit: 'weeks' })).toEqual({
      date: '2026-03-21T12:00:00Z',
    });
  });

  it('reads a date without offset in the given zone', async () => {
    expect(
      await outputs('date.add', { date: '2026-07-01T09:00', amount: 0, unit: 'days', timeZone: 'Europe/Berlin' }),
    ).toEqual({ date: '2026-07-01T07:00:00Z' });
  });

  it('explains bad input', async () => {
    await expect(runCard('date.add', { date: 'yesterday', amount: 1, unit: 'days' })).rejects.toEqual(
      code('DATE_PARSE'),
    );
    await expect(runCard('date.add', { date: '2026-03-07T00:00:00Z', amount: 1, unit: 'fortnights' })).rejects.toEqual(
      code('DATE_UNIT'),
    );
    await expect(
      runCard('date.add', { date: '2026-03-07T00:00:00Z', amount: 1, unit: 'days', timeZone: 'Nowhere/City' }),
    ).rejects.toEqual(code('DATE_TIME_ZONE'));
    await expect(
      runCard('date.add', { date: '2026-03-07T00:00:00Z', amount: Number.NaN, unit: 'days' }),
    ).rejects.toEqual(code('DATE_AMOUNT'));
  });
});

describe('date.difference', () => {
  it('measures end − start in the unit, with decimals', async () => {
    expect(
      await outputs('date.difference', { start: '2026-03-01T00:00:00Z', end: '2026-03-04T12:00:00Z', unit: 'days' }),
    ).toEqual({ difference: 3.5 });
    expect(
      await outputs('date.difference', { start: '2026-03-01T00:00:00Z', end: '2026-03-01T01:30:00Z', unit: 'hours' }),
    ).toEqual({ difference: 1.5 });
    expect(
      await outputs('date.difference', { start: '2026-03-04T12:00:00Z', end: '2026-03-01T00:00:00Z', unit: 'days' }),
    ).toEqual({ difference: -3.5 });
    expect(
      await outputs('date.difference', { start: '2026-01-15T00:00:00Z', end: '2026-03-15T00:00:00Z', unit: 'months' }),
    ).toEqual({ difference: 2 });
  });

  it('compares instants whatever their offsets', async () => {
    expect(
      await outputs('date.difference', {
        start: '2026-03-07T09:00:00-05:00',
        end: '2026-03-07T15:00:00+01:00',
        unit: 'hours',
      }),
    ).toEqual({ difference: 0 });
  });

  it('uses days by default', async () => {
    expect(await outputs('date.difference', { start: '2026-03-01', end: '2026-03-08' })).toEqual({ difference: 7 });
  });
});

describe('date.format', () => {
  it('formats in a zone and language', async () => {
    expect(
      await outputs('date.format', {
        date: '2026-03-07T12:00:00Z',
        format: 'EEEE, dd. MMMM yyyy HH:mm',
        timeZone: 'Europe/Berlin',
        locale: 'de-DE',
      }),
    ).toEqual({ text: 'Samstag, 07. März 2026 13:00' });
    expect(
      await outputs('date.format', {
        date: '2026-03-07T12:00:00Z',
        format: 'EEEE MMM d, HH:mm',
        timeZone: 'America/New_York',
      }),
    ).toEqual({ text: 'Saturday Mar 7, 07:00' });
  });

  it('uses yyyy-MM-dd in UTC by default', async () => {
    expect(await outputs('date.format', { date: '2026-03-07T23:30:00-05:00' })).toEqual({ text: '2026-03-08' });
    expect(await outputs('date.format', { date: '2026-03-07T23:30:00-05:00', format: '' })).toEqual({
      text: '2026-03-08',
    });
  });

  it('refuses an unknown zone or date', async () => {
    await expect(runCard('date.format', { date: '2026-03-07T12:00:00Z', timeZone: 'CEST-ish' })).rejects.toEqual(
      code('DATE_TIME_ZONE'),
    );
    await expect(runCard('date.format', { date: '07/03/2026' })).rejects.toEqual(code('DATE_PARSE'));
  });
});

describe('date.parse', () => {
  it('reads a text with a format in a zone and gives UTC', async () => {
    expect(
      await outputs('date.parse', {
        text: '03/15/2026 09:30',
        format: 'MM/dd/yyyy HH:mm',
        timeZone: 'America/New_York',
      }),
    ).toEqual({ date: '2026-03-15T13:30:00Z' });
    expect(
      await outputs('date.parse', { text: '15.03.2026', format: 'dd.MM.yyyy', timeZone: 'Europe/Berlin' }),
    ).toEqual({
      date: '2026-03-14T23:00:00Z',
    });
  });

  it('reads ISO 8601 without a format; an offset in the text wins over the zone', async () => {
    expect(await outputs('date.parse', { text: '2026-03-15T09:30:00+02:00', timeZone: 'America/New_York' })).toEqual({
      date: '2026-03-15T07:30:00Z',
    });
    expect(await outputs('date.parse', { text: '2026-03-15T09:30', timeZone: 'Europe/Berlin' })).toEqual({
      date: '2026-03-15T08:30:00Z',
    });
    expect(await outputs('date.parse', { text: '2026-03-15' })).toEqual({ date: '2026-03-15T00:00:00Z' });
  });

  it('refuses text it cannot read with DATE_PARSE', async () => {
    await expect(runCard('date.parse', { text: 'next tuesday' })).rejects.toEqual(code('DATE_PARSE'));
    await expect(runCard('date.parse', { text: '2026-13-45' })).rejects.toEqual(code('DATE_PARSE'));
    await expect(runCard('date.parse', { text: '15/03/2026', format: 'MM/dd/yyyy' })).rejects.toEqual(
      code('DATE_PARSE'),
    );
  });

  it('refuses an unknown zone with DATE_TIME_ZONE', async () => {
    await expect(runCard('date.parse', { text: '2026-03-15', timeZone: 'Europe/Atlantis' })).rejects.toEqual(
      code('DATE_TIME_ZONE'),
    );
  });
});

describe('date inputs as the executor passes them', () => {
  it('accepts a space instead of T between date and time, as date inputs allow', async () => {
    expect(await outputs('date.add', { date: '2026-03-07 09:30', amount: 1, unit: 'hours' })).toEqual({
      date: '2026-03-07T10:30:00Z',
    });
    expect(
      await outputs('date.format', { date: '2026-03-07 23:30:00Z', format: 'dd.MM. HH:mm', timeZone: 'Europe/Berlin' }),
    ).toEqual({ text: '08.03. 00:30' });
    expect(await outputs('date.parse', { text: '2026-03-15 09:30' })).toEqual({ date: '2026-03-15T09:30:00Z' });
  });

  it('names the input that holds no date, and says when it holds nothing', async () => {
    await expect(
      runCard('date.difference', { start: '2026-03-01T00:00:00Z', end: 'soon', unit: 'days' }),
    ).rejects.toThrow(/Input `end` needs a date .* got `soon`/);
    await expect(runCard('date.difference', { end: '2026-03-01T00:00:00Z', unit: 'days' })).rejects.toThrow(
      /Input `start` needs a date .* got nothing/,
    );
  });
});

describe('date arithmetic edge cases', () => {
  it('adds a day across the New York fall-back change and keeps 09:00 on the wall clock', async () => {
    // 2026-10-31 09:00 EDT (-04:00) is 13:00Z; on 2026-11-01 clocks go back, 09:00 EST is 14:00Z.
    expect(
      await outputs('date.add', {
        date: '2026-10-31T13:00:00Z',
        amount: 1,
        unit: 'days',
        timeZone: 'America/New_York',
      }),
    ).toEqual({ date: '2026-11-01T14:00:00Z' });
  });

  it('moves a wall-clock time that does not exist on the DST day forward by the gap', async () => {
    // 02:30 on 2026-03-08 is skipped in New York; luxon lands on 03:30 EDT.
    expect(
      await outputs('date.add', {
        date: '2026-03-07T02:30',
        amount: 1,
        unit: 'days',
        timeZone: 'America/New_York',
      }),
    ).toEqual({ date: '2026-03-08T07:30:00Z' });
  });

  it('adds fractions of days and weeks but refuses half months and years', async () => {
    expect(await outputs('date.add', { date: '2026-03-07T00:00:00Z', amount: 1.5, unit: 'days' })).toEqual({
      date: '2026-03-08T12:00:00Z',
    });
    await expect(runCard('date.add', { date: '2026-01-31T00:00:00Z', amount: 1.5, unit: 'months' })).rejects.toThrow(
      /whole number of months/,
    );
    await expect(
      runCard('date.subtract', { date: '2026-01-31T00:00:00Z', amount: 0.5, unit: 'years' }),
    ).rejects.toEqual(code('DATE_AMOUNT'));
  });

  it('refuses a result too far away instead of giving nothing', async () => {
    await expect(runCard('date.add', { date: '2026-01-31T00:00:00Z', amount: 1e9, unit: 'years' })).rejects.toEqual(
      code('DATE_RANGE'),
    );
    await expect(
      runCard('date.subtract', { date: '2026-01-31T00:00:00Z', amount: 1e20, unit: 'milliseconds' }),
    ).rejects.toEqual(code('DATE_RANGE'));
  });
});

describe('time zones and languages', () => {
  it.each(['local', 'system', 'Local'])('refuses %s, which would depend on the computer', async (timeZone) => {
    await expect(runCard('date.now', { timeZone })).rejects.toThrow(/depends on the computer/);
    await expect(runCard('date.format', { date: '2026-03-07T12:00:00Z', timeZone })).rejects.toEqual(
      code('DATE_TIME_ZONE'),
    );
  });

  it('names the unknown zone in the error', async () => {
    await expect(runCard('date.parse', { text: '2026-03-15', timeZone: 'Europe/Atlantis' })).rejects.toMatchObject({
      message: expect.stringContaining('`Europe/Atlantis`') as unknown,
      details: { zone: 'Europe/Atlantis' },
    });
  });

  it('accepts fixed offsets such as UTC+2', async () => {
    expect(await outputs('date.format', { date: '2026-03-07T12:00:00Z', format: 'HH:mm', timeZone: 'UTC+2' })).toEqual({
      text: '14:00',
    });
  });

  it('refuses a language tag that is not one with DATE_LOCALE', async () => {
    await expect(runCard('date.format', { date: '2026-03-07T12:00:00Z', locale: 'German please' })).rejects.toEqual(
      code('DATE_LOCALE'),
    );
  });

  it('explains why a text could not be parsed, with the text and the format', async () => {
    await expect(runCard('date.parse', { text: '2026-02-30' })).rejects.toThrow(
      /`2026-02-30` as a date in ISO 8601 form: .*30.*day/,
    );
    await expect(runCard('date.parse', { text: '15/03/2026', format: 'MM/dd/yyyy' })).rejects.toMatchObject({
      details: { text: '15/03/2026', format: 'MM/dd/yyyy' },
    });
  });
});

describe('date cards', () => {
  it('pairs every date descriptor with an implementation and the reverse', () => {
    expect(dateImplementations.map((impl) => impl.descriptor)).toEqual(dateCards);
  });
});
