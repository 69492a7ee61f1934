import { input, output, type CardDescriptor } from '../descriptor.js';

export const jsonCards: readonly CardDescriptor[] = [
  {
    type: 'json.parse',
    category: 'json',
    title: 'Parse JSON',
    description: 'Reads JSON text into a value.',
    inputs: [input('text', 'text', 'The JSON text.', { multiline: true })],
    outputs: [output('value', 'any', 'The parsed value.')],
    effect: 'pure',
  },
  {
    type: 'json.stringify',
    category: 'json',
    title: 'To JSON',
    description: 'Writes a value as JSON text.',
    inputs: [
      input('value', 'any', 'The value.'),
      input('pretty', 'boolean', 'Indent for people to read.', { required: false, default: false }),
    ],
    outputs: [output('text', 'text', 'The JSON text.')],
    effect: 'pure',
  },
];
