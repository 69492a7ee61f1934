import { input, output, type CardDescriptor } from '../descriptor.js';

export const DATE_UNITS = ['years', 'months', 'weeks', 'days', 'hours', 'minutes', 'seconds', 'milliseconds'] as const;

const date = (name = 'date', description = 'The date and time (ISO 8601).') => input(name, 'date', description);
const zone = (description = 'IANA time zone, e.g. Europe/Berlin.') =>
  input('timeZone', 'text', description, { required: false, default: 'UTC' });
const unit = () => input('unit', 'text', 'The unit.', { options: DATE_UNITS, default: 'days' });
const amount = () => input('amount', 'number', 'How many units.');

export const dateCards: readonly CardDescriptor[] = [
  {
    type: 'date.now',
    category: 'date',
    title: 'Now',
    description: 'The current date and time.',
    inputs: [input('timeZone', 'text', 'Give the time with this zone’s offset; empty for UTC.', { required: false })],
    outputs: [output('now', 'date', 'The current date and time.')],
    effect: 'nondeterministic',
  },
  {
    type: 'date.add',
    category: 'date',
    title: 'Add to date',
    description: 'Adds time; calendar units follow the wall clock of the time zone (DST-safe).',
    inputs: [date(), amount(), unit(), zone('Time zone for calendar arithmetic.')],
    outputs: [output('date', 'date', 'The later date.')],
    effect: 'pure',
  },
  {
    type: 'date.subtract',
    category: 'date',
    title: 'Subtract from date',
    description: 'Subtracts time; calendar units follow the wall clock of the time zone (DST-safe).',
    inputs: [date(), amount(), unit(), zone('Time zone for calendar arithmetic.')],
    outputs: [output('date', 'date', 'The earlier date.')],
    effect: 'pure',
  },
  {
    type: 'date.difference',
    category: 'date',
    title: 'Date difference',
    description: 'How much time lies between two dates (end − start).',
    inputs: [date('start', 'The start.'), date('end', 'The end.'), unit()],
    outputs: [output('difference', 'number', 'The difference in the unit; may have decimals.')],
    effect: 'pure',
  },
  {
    type: 'date.format',
    category: 'date',
    title: 'Format date',
    description: 'Writes a date as text, e.g. yyyy-MM-dd HH:mm, in a time zone and language.',
    inputs: [
      date(),
      input(
        'format',
        'text',
        'Format tokens: yyyy year, MM month, dd day, HH hour, mm minute, ss second, EEEE weekday.',
        { default: 'yyyy-MM-dd' },
      ),
      zone(),
      input('locale', 'text', 'Language for names of months and days, e.g. en-US or de-DE.', {
        required: false,
        default: 'en-US',
      }),
    ],
    outputs: [output('text', 'text', 'The formatted date.')],
    effect: 'pure',
  },
  {
    type: 'date.parse',
    category: 'date',
    title: 'Parse date',
    description: 'Reads a date from text, with a format (or ISO 8601 when empty).',
    inputs: [
      input('text', 'text', 'The text, e.g. 03/15/2026.'),
      input('format', 'text', 'The format, e.g. MM/dd/yyyy; empty for ISO 8601.', { required: false }),
      zone('Time zone for texts without an offset.'),
    ],
    outputs: [output('date', 'date', 'The date and time (UTC).')],
    effect: 'pure',
  },
];
