import { input, output, type CardDescriptor } from '../descriptor.js';

const condition = () =>
  input('condition', 'boolean', 'True or false, usually a formula such as trigger.department == "IT".');

export const branchCards: readonly CardDescriptor[] = [
  {
    type: 'branch.if',
    category: 'branch',
    title: 'If / else',
    description: 'Continues on the true or the false path. Use Join where the paths meet to merge their values.',
    inputs: [condition()],
    outputs: [],
    handles: ['true', 'false'],
    effect: 'pure',
  },
  {
    type: 'branch.ifElseIf',
    category: 'branch',
    title: 'If / else-if',
    description: 'Each condition you add is a path; the first true one is taken, otherwise else.',
    inputs: [],
    extraInputs: { type: 'boolean', description: 'A condition; its name is the path it opens.' },
    outputs: [output('matched', 'text', 'The name of the path taken.')],
    handlesFromExtraInputs: ['else'],
    effect: 'pure',
  },
  {
    type: 'branch.join',
    category: 'branch',
    title: 'Join',
    description: 'Where branches meet: each input you add becomes an output, e.g. coalesce(upnA.text, upnB.text).',
    inputs: [],
    extraInputs: { type: 'any', description: 'A value to pass on; cards on the branch that did not run give nothing.' },
    outputs: [],
    dynamicOutputs: true,
    effect: 'pure',
  },
  {
    type: 'branch.continueIf',
    category: 'branch',
    title: 'Continue if',
    description: 'Ends the run successfully, without error, when the condition is false.',
    inputs: [condition()],
    outputs: [],
    effect: 'pure',
  },
  {
    type: 'branch.assignIf',
    category: 'branch',
    title: 'Assign if',
    description: 'Picks one of two values by a condition.',
    inputs: [
      condition(),
      input('whenTrue', 'any', 'The value when true.', { required: false }),
      input('whenFalse', 'any', 'The value when false.', { required: false }),
    ],
    outputs: [output('value', 'any', 'The value picked.')],
    effect: 'pure',
  },
  {
    type: 'branch.lookup',
    category: 'branch',
    title: 'Lookup',
    description: 'Looks a value up in a table of cases, with a default when nothing matches (a switch).',
    inputs: [
      input('value', 'text', 'The value to look up.'),
      input('cases', 'object', 'Cases: each field name is a value, its content the result.'),
      input('default', 'any', 'The result when no case matches.', { required: false }),
      input('caseInsensitive', 'boolean', 'Ignore upper / lower case.', { required: false, default: false }),
    ],
    outputs: [output('result', 'any', 'The result.'), output('matched', 'boolean', 'Whether a case matched.')],
    effect: 'pure',
  },
];
