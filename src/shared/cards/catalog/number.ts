import { input, output, type CardDescriptor } from '../descriptor.js';

const n = (name: string, description: string) => input(name, 'number', description);
const result = () => output('result', 'number', 'The result.');

function arithmetic(type: string, title: string, description: string): CardDescriptor {
  return {
    type,
    category: 'number',
    title,
    description,
    inputs: [n('a', 'First number.'), n('b', 'Second number.')],
    outputs: [result()],
    effect: 'pure',
  };
}

export const numberCards: readonly CardDescriptor[] = [
  arithmetic('number.add', 'Add', 'a + b'),
  arithmetic('number.subtract', 'Subtract', 'a − b'),
  arithmetic('number.multiply', 'Multiply', 'a × b'),
  arithmetic('number.divide', 'Divide', 'a ÷ b'),
  arithmetic('number.modulo', 'Remainder', 'The remainder of a ÷ b.'),
  {
    type: 'number.round',
    category: 'number',
    title: 'Round',
    description: 'Rounds to a number of decimals (halves away from zero), or always down / up.',
    inputs: [
      n('value', 'The number.'),
      input('decimals', 'number', 'Decimals to keep (0 to 15).', { required: false, default: 0 }),
      input('mode', 'text', 'round, floor or ceil.', {
        required: false,
        default: 'round',
        options: ['round', 'floor', 'ceil'],
      }),
    ],
    outputs: [result()],
    effect: 'pure',
  },
  {
    type: 'number.randomInt',
    category: 'number',
    title: 'Random integer',
    description: 'A random whole number between min and max, both included.',
    inputs: [n('min', 'Smallest value.'), n('max', 'Largest value.')],
    outputs: [result()],
    effect: 'nondeterministic',
  },
];
