import { numberCards } from '../../shared/cards/catalog/number.js';
import { FlowsteadError } from '../../shared/errors.js';
import { implement } from './implement.js';

const num = (value: unknown) => value as number;

/** History and outputs are JSON, where Infinity becomes null: say so instead of passing on nothing. */
function finite(title: string, result: number): { result: number } {
  if (!Number.isFinite(result))
    throw new FlowsteadError(
      'NUMBER_TOO_LARGE',
      `${title}: the result is too large to be a number (beyond ±1.8e308). Check the values bound to the inputs.`,
    );
  return { result };
}

/** Rounds via the decimal string form so 1.005 rounds to 1.01 like a person expects. */
function roundTo(value: number, decimals: number, mode: string): number {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 15) {
    throw new FlowsteadError('NUMBER_DECIMALS', `Decimals must be a whole number from 0 to 15, got ${decimals}.`);
  }
  if (!['round', 'floor', 'ceil'].includes(mode))
    throw new FlowsteadError('NUMBER_MODE', `Round: unknown mode \`${mode}\`. Use round, floor or ceil.`);
  const shift = (n: number, by: number) => {
    const [mantissa, exponent = '0'] = String(n).split('e');
    return Number(`${mantissa}e${Number(exponent) + by}`);
  };
  const scaled = shift(value, decimals);
  let rounded: number;
  if (mode === 'floor') rounded = Math.floor(scaled);
  else if (mode === 'ceil') rounded = Math.ceil(scaled);
  else rounded = Math.sign(scaled) * Math.round(Math.abs(scaled));
  return shift(rounded, -decimals) + 0; // + 0 turns -0 into 0
}

export const numberImplementations = implement(numberCards, {
  'number.add': (i) => finite('Add', num(i['a']) + num(i['b'])),
  'number.subtract': (i) => finite('Subtract', num(i['a']) - num(i['b'])),
  'number.multiply': (i) => finite('Multiply', num(i['a']) * num(i['b'])),
  'number.divide': (i) => {
    if (num(i['b']) === 0)
      throw new FlowsteadError(
        'NUMBER_DIVIDE_BY_ZERO',
        'Divide: b is 0, and a number cannot be divided by zero. Check the value bound to b.',
      );
    return finite('Divide', num(i['a']) / num(i['b']));
  },
  'number.modulo': (i) => {
    if (num(i['b']) === 0)
      throw new FlowsteadError(
        'NUMBER_DIVIDE_BY_ZERO',
        'Remainder: b is 0, and there is no remainder of a division by zero.',
      );
    return finite('Remainder', num(i['a']) % num(i['b']));
  },
  'number.round': (i) =>
    finite('Round', roundTo(num(i['value']), num(i['decimals'] ?? 0), (i['mode'] as string | undefined) ?? 'round')),
  'number.randomInt': (i, ctx) => {
    const min = Math.ceil(num(i['min']));
    const max = Math.floor(num(i['max']));
    if (min > max)
      throw new FlowsteadError(
        'NUMBER_RANGE',
        num(i['min']) > num(i['max'])
          ? `Random integer: min (${i['min']}) is greater than max (${i['max']}). Swap them.`
          : `Random integer: there is no whole number between ${i['min']} and ${i['max']}. Widen the range.`,
      );
    // Beyond 2^53 not every whole number exists as a number, so draws would skip values.
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || !Number.isSafeInteger(max - min + 1))
      throw new FlowsteadError(
        'NUMBER_RANGE',
        `Random integer: the range ${i['min']} to ${i['max']} is too wide to draw whole numbers evenly. Keep max − min below 9,007,199,254,740,991.`,
      );
    return { result: min + Math.floor(ctx.random() * (max - min + 1)) };
  },
});
