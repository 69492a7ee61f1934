import { DateTime, Info, type DurationLikeObject } from 'luxon';
import { DATE_UNITS, dateCards } from '../../shared/cards/catalog/date.js';
import { FlowsteadError } from '../../shared/errors.js';
import { implement } from './implement.js';

type DateUnit = (typeof DATE_UNITS)[number] & keyof DurationLikeObject;

/** Luxon's names for the machine's own zone: a flow using them would change meaning on another machine. */
const MACHINE_ZONES = new Set(['local', 'system']);

export function zoneOf(value: unknown): string {
  const zone = (value as string | undefined) || 'UTC';
  if (MACHINE_ZONES.has(zone.toLowerCase())) {
    throw new FlowsteadError(
      'DATE_TIME_ZONE',
      `\`${zone}\` depends on the computer the flow runs on. Name the zone, e.g. Europe/Berlin or America/New_York.`,
      { zone },
    );
  }
  if (!Info.normalizeZone(zone).isValid) {
    throw new FlowsteadError(
      'DATE_TIME_ZONE',
      `\`${zone}\` is not a known time zone. Use an IANA name such as Europe/Berlin or America/New_York.`,
      { zone },
    );
  }
  return zone;
}

/** Date values may use a space instead of `T` (the executor accepts `2026-03-07 09:00` as a date). */
const SPACE_SEPARATED = /^(\d{4}-\d{2}-\d{2}) (\d{2}:)/;
const isoText = (text: string) => text.replace(SPACE_SEPARATED, '$1T$2');

/** Reads a date input; texts without an offset are wall-clock times in `zone`. */
export function readDate(value: unknown, input: string, zone = 'UTC'): DateTime {
  const text = typeof value === 'string' ? value : '';
  const parsed = DateTime.fromISO(isoText(text), { zone });
  if (!parsed.isValid) {
    const got = value === null || value === undefined || value === '' ? 'nothing' : `\`${String(value)}\``;
    throw new FlowsteadError(
      'DATE_PARSE',
      `Input \`${input}\` needs a date and time in ISO 8601 form (e.g. 2026-03-15T09:30:00Z), got ${got}. Use Parse date to read other formats.`,
      { input, value: text, reason: parsed.invalidExplanation ?? parsed.invalidReason },
    );
  }
  return parsed;
}

function unitOf(value: unknown): DateUnit {
  const unit = (value as string | undefined) ?? 'days';
  if (!(DATE_UNITS as readonly string[]).includes(unit)) {
    throw new FlowsteadError(
      'DATE_UNIT',
      `\`${unit}\` is not a unit. Use years, months, weeks, days, hours, minutes, seconds or milliseconds.`,
      { unit },
    );
  }
  return unit as DateUnit;
}

/** Outside luxon's range (about ±270,000 years) a date has no ISO form; say so instead of giving nothing. */
function checkRange(date: DateTime): DateTime {
  if (!date.isValid)
    throw new FlowsteadError(
      'DATE_RANGE',
      'The resulting date is too far in the past or future. Use a smaller amount.',
    );
  return date;
}

const utc = (d: DateTime) => checkRange(d).toUTC().toISO({ suppressMilliseconds: true }) as string;

function shift(i: Record<string, unknown>, sign: 1 | -1) {
  const zone = zoneOf(i['timeZone']);
  const amount = i['amount'] as number;
  const unit = unitOf(i['unit']);
  if (typeof amount !== 'number' || !Number.isFinite(amount))
    throw new FlowsteadError('DATE_AMOUNT', `Input \`amount\` must be a number, got ${String(amount)}.`);
  // Half a month has no agreed length; luxon would guess.
  if ((unit === 'years' || unit === 'months') && !Number.isInteger(amount))
    throw new FlowsteadError(
      'DATE_AMOUNT',
      `Input \`amount\` must be a whole number of ${unit}, got ${amount}. Use days or weeks for fractions.`,
    );
  return { date: utc(readDate(i['date'], 'date', zone).plus({ [unit]: sign * amount })) };
}

function localeOf(value: unknown): string {
  const locale = (value as string | undefined) || 'en-US';
  try {
    Intl.getCanonicalLocales(locale);
  } catch {
    throw new FlowsteadError(
      'DATE_LOCALE',
      `\`${locale}\` is not a language tag. Use one such as en-US, de-DE or fr-FR.`,
      {
        locale,
      },
    );
  }
  return locale;
}

export const dateImplementations = implement(dateCards, {
  'date.now': (i, ctx) => {
    const now = DateTime.fromJSDate(ctx.now());
    return {
      now: i['timeZone']
        ? (now.setZone(zoneOf(i['timeZone'])).toISO({ suppressMilliseconds: true }) as string)
        : utc(now),
    };
  },
  'date.add': (i) => shift(i, 1),
  'date.subtract': (i) => shift(i, -1),
  'date.difference': (i) => {
    const unit = unitOf(i['unit']);
    return { difference: readDate(i['end'], 'end').diff(readDate(i['start'], 'start'), unit).as(unit) };
  },
  'date.format': (i) => {
    const zone = zoneOf(i['timeZone']);
    const locale = localeOf(i['locale']);
    return {
      text: readDate(i['date'], 'date', zone)
        .setLocale(locale)
        .toFormat((i['format'] as string | undefined) || 'yyyy-MM-dd'),
    };
  },
  'date.parse': (i) => {
    const zone = zoneOf(i['timeZone']);
    const text = String(i['text'] ?? '');
    const format = i['format'] as string | undefined;
    const parsed = format ? DateTime.fromFormat(text, format, { zone }) : DateTime.fromISO(isoText(text), { zone });
    if (!parsed.isValid) {
      throw new FlowsteadError(
        'DATE_PARSE',
        `Could not read \`${text}\` as a date${format ? ` in the format \`${format}\`` : ' in ISO 8601 form'}: ${parsed.invalidExplanation ?? parsed.invalidReason}. Check the text and the format.`,
        { text, format: format ?? null },
      );
    }
    return { date: utc(parsed) };
  },
});
