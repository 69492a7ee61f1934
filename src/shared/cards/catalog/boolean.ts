import { input, output, type CardDescriptor } from '../descriptor.js';

export const COMPARE_OPERATORS = [
  'eq',
  'ne',
  'lt',
  'lte',
  'gt',
  'gte',
  'contains',
  'startsWith',
  'endsWith',
  'isEmpty',
  'notEmpty',
] as const;

const result = () => output('result', 'boolean', 'True or false.');

export const booleanCards: readonly CardDescriptor[] = [
  {
    type: 'boolean.compare',
    category: 'boolean',
    title: 'Compare',
    description: 'Compares two values: equal, less / greater, contains, starts / ends with, empty.',
    inputs: [
      input('a', 'any', 'The value to test.', { required: false }),
      input('operator', 'text', 'How to compare.', { default: 'eq', options: COMPARE_OPERATORS }),
      input('b', 'any', 'The value to compare with (not needed for isEmpty / notEmpty).', { required: false }),
    ],
    outputs: [result()],
    effect: 'pure',
  },
  {
    type: 'boolean.and',
    category: 'boolean',
    title: 'And',
    description: 'True when every condition you add is true.',
    inputs: [],
    extraInputs: { type: 'boolean', description: 'A condition.' },
    outputs: [result()],
    effect: 'pure',
  },
  {
    type: 'boolean.or',
    category: 'boolean',
    title: 'Or',
    description: 'True when at least one condition you add is true.',
    inputs: [],
    extraInputs: { type: 'boolean', description: 'A condition.' },
    outputs: [result()],
    effect: 'pure',
  },
  {
    type: 'boolean.not',
    category: 'boolean',
    title: 'Not',
    description: 'Turns true into false and false into true.',
    inputs: [input('value', 'boolean', 'The condition.')],
    outputs: [result()],
    effect: 'pure',
  },
];
