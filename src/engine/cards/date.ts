import { DateTime, type DurationLikeObject } from 'luxon';
import { dateCards } from '../../shared/cards/catalog/date.js';
import { FlowsteadError } from '../../shared/errors.js';
import { implement } from './implement.js';

function zoneOf(value: unknown): string {
  const zone = (value as string | undefined) || 'UTC';
  if (!DateTime.now().setZone(zone).isValid) {
    throw new FlowsteadError(
      'DATE_TIME_ZONE',
      `\`${zone}\` is not a known time zone. Use an IANA name such as Europe/Berlin or America/New_York.`,
      { zone },
    );
  }
  return zone;
}

function read(value: unknown, zone = 'UTC'): DateTime {
  const parsed = DateTime.fromISO(String(value), { zone, setZone: false }).setZone(zone);
  if (!parsed.isValid)
    throw new FlowsteadError(
      'DATE_PARSE',
      `\`${String(value)}\` is not a date and time in ISO 8601 form (e.g. 2026-03-15T09:30:00Z).`,
    );
  return parsed;
}

function unitOf(value: unknown): keyof DurationLikeObject {
  const unit = (value as string | undefined) ?? 'days';
  if (!['years', 'months', 'weeks', 'days', 'hours', 'minutes', 'seconds', 'milliseconds'].includes(unit)) {
    throw new FlowsteadError(
      'DATE_UNIT',
      `\`${unit}\` is not a unit. Use years, months, weeks, days, hours, minutes, seconds or milliseconds.`,
    );
  }
  return unit as keyof DurationLikeObject;
}

const utc = (d: DateTime) => d.toUTC().toISO({ suppressMilliseconds: true }) as string;

function shift(i: Record<string, unknown>, sign: 1 | -1) {
  const zone = zoneOf(i['timeZone']);
  const amount = i['amount'] as number;
  if (!Number.isFinite(amount)) throw new FlowsteadError('DATE_AMOUNT', 'The amount must be a number.');
  return { date: utc(read(i['date'], zone).plus({ [unitOf(i['unit'])]: sign * amount })) };
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
  'date.difference': (i) => ({
    difference: read(i['end']).diff(read(i['start']), unitOf(i['unit'])).as(unitOf(i['unit'])),
  }),
  'date.format': (i) => {
    const locale = (i['locale'] as string | undefined) || 'en-US';
    return {
      text: read(i['date'], zoneOf(i['timeZone']))
        .setLocale(locale)
        .toFormat((i['format'] as string | undefined) || 'yyyy-MM-dd'),
    };
  },
  'date.parse': (i) => {
    const zone = zoneOf(i['timeZone']);
    const text = String(i['text'] ?? '');
    const format = i['format'] as string | undefined;
    const parsed = format ? DateTime.fromFormat(text, format, { zone }) : DateTime.fromISO(text, { zone });
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
