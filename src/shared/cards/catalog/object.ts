import { input, output, type CardDescriptor } from '../descriptor.js';

const object = (name = 'object', description = 'The object to work on.') => input(name, 'object', description);
const objectOut = (description: string) => output('object', 'object', description);
const keys = () => input('keys', 'list', 'Field names.', { itemType: 'text' });

function card(
  type: string,
  title: string,
  description: string,
  inputs: CardDescriptor['inputs'],
  outputs: CardDescriptor['outputs'],
  extra: Partial<CardDescriptor> = {},
): CardDescriptor {
  return { type, category: 'object', title, description, inputs, outputs, effect: 'pure', ...extra };
}

export const objectCards: readonly CardDescriptor[] = [
  card(
    'object.construct',
    'Construct',
    'Builds an object with one field per input you add.',
    [],
    [objectOut('The new object.')],
    {
      extraInputs: { type: 'any', description: 'A field of the object.' },
    },
  ),
  card(
    'object.get',
    'Get',
    'Reads one field by path, e.g. profile.email or emails[0].',
    [object(), input('path', 'text', 'The field path.')],
    [output('value', 'any', 'The value.'), output('found', 'boolean', 'Whether the path exists.')],
  ),
  card(
    'object.getMultiple',
    'Get multiple',
    'Reads several fields; each input you add is a path and becomes an output of the same name.',
    [object()],
    [],
    {
      extraInputs: { type: 'text', description: 'A field path to read.' },
      dynamicOutputs: true,
    },
  ),
  card(
    'object.set',
    'Set',
    'Returns a copy of the object with one field set; missing parents are created.',
    [
      object(),
      input('path', 'text', 'The field path.'),
      input('value', 'any', 'The value to set.', { required: false }),
    ],
    [objectOut('The changed copy.')],
  ),
  card(
    'object.merge',
    'Merge',
    'Combines two objects; fields of the second win.',
    [
      object('a', 'First object.'),
      object('b', 'Second object.'),
      input('deep', 'boolean', 'Merge nested objects too.', { required: false, default: false }),
    ],
    [objectOut('The merged object.')],
  ),
  card(
    'object.pick',
    'Pick fields',
    'Keeps only the named fields.',
    [object(), keys()],
    [objectOut('The smaller object.')],
  ),
  card(
    'object.omit',
    'Omit fields',
    'Removes the named fields.',
    [object(), keys()],
    [objectOut('The smaller object.')],
  ),
  card(
    'object.keys',
    'Field names',
    'Lists the field names.',
    [object()],
    [output('list', 'list', 'The field names.')],
  ),
  card(
    'object.values',
    'Field values',
    'Lists the field values.',
    [object()],
    [output('list', 'list', 'The field values.')],
  ),
];
