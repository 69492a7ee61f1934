import { input, output, type CardDescriptor } from '../descriptor.js';

const helper = () => input('flow', 'flow', 'The helper flow to run.');
const helperInputs = { type: 'any' as const, description: "An input of the helper flow, by the helper's input name." };

export const controlCards: readonly CardDescriptor[] = [
  {
    type: 'control.callFlow',
    category: 'control',
    title: 'Call helper flow',
    description: 'Runs a helper flow and continues with its outputs.',
    inputs: [helper()],
    extraInputs: helperInputs,
    outputs: [],
    dynamicOutputs: true,
    effect: 'sideEffect',
  },
  {
    type: 'control.return',
    category: 'control',
    title: 'Return',
    description: "Ends the flow; the inputs you add are the flow's outputs.",
    inputs: [],
    extraInputs: { type: 'any', description: 'An output of the flow.' },
    outputs: [],
    terminal: true,
    effect: 'pure',
  },
  {
    type: 'control.returnError',
    category: 'control',
    title: 'Return error',
    description: 'Ends the flow as failed with an error code and message.',
    inputs: [
      input('code', 'text', 'A short error code, e.g. USER_NOT_FOUND.', { required: false, default: 'FLOW_ERROR' }),
      input('message', 'text', 'What went wrong, for the admin reading the history.'),
    ],
    outputs: [],
    terminal: true,
    effect: 'pure',
  },
  {
    type: 'control.ifError',
    category: 'control',
    title: 'If error',
    description:
      'Runs a helper flow; when it fails, continues on the error path with the error code and message instead of failing.',
    inputs: [helper()],
    extraInputs: helperInputs,
    outputs: [],
    dynamicOutputs: true,
    handles: ['next', 'error'],
    effect: 'sideEffect',
  },
  {
    type: 'control.waitFor',
    category: 'control',
    title: 'Wait for',
    description: 'Pauses the run for a while; the wait survives a restart of the app.',
    inputs: [
      input('amount', 'number', 'How long.'),
      input('unit', 'text', 'seconds, minutes, hours or days.', {
        required: false,
        default: 'minutes',
        options: ['seconds', 'minutes', 'hours', 'days'],
      }),
    ],
    outputs: [output('wokeAt', 'date', 'When the run continued.')],
    effect: 'sideEffect',
  },
  {
    type: 'control.waitUntil',
    category: 'control',
    title: 'Wait until',
    description: 'Pauses the run until a date and time; the wait survives a restart of the app.',
    inputs: [input('when', 'date', 'When to continue.')],
    outputs: [output('wokeAt', 'date', 'When the run continued.')],
    effect: 'sideEffect',
  },
];
