import { input, output, type CardDescriptor } from '../descriptor.js';

const list = (name = 'list', description = 'The list to work on.') => input(name, 'list', description);
const listOut = (description: string) => output('list', 'list', description);
const expression = (description: string) => input('expression', 'expression', description);
/** An optional per-item formula that sort and unique compare instead of the items themselves. */
const by = (title: string, description: string) => input('by', 'expression', description, { title, required: false });

function simple(
  type: string,
  title: string,
  description: string,
  inputs: CardDescriptor['inputs'],
  outputs: CardDescriptor['outputs'],
): CardDescriptor {
  return { type, category: 'list', title, description, inputs, outputs, effect: 'pure' };
}

export const listCards: readonly CardDescriptor[] = [
  {
    type: 'list.forEach',
    category: 'list',
    title: 'For each',
    description: 'Runs a helper flow once per item (it receives item and index), several at a time if you allow it.',
    inputs: [
      input('flow', 'flow', 'The helper flow to run for each item.'),
      list(),
      input('concurrency', 'number', 'How many items run at the same time (1 to 50).', { required: false, default: 1 }),
      input(
        'continueOnError',
        'boolean',
        'Keep going when an item fails and list its error instead of failing the card.',
        { required: false, default: false },
      ),
    ],
    extraInputs: { type: 'any', description: 'A value passed to every helper run.' },
    outputs: [
      output('results', 'list', "Each item's helper outputs, in item order."),
      output('errors', 'list', 'Failed items with their index and error.'),
    ],
    effect: 'sideEffect',
  },
  simple(
    'list.map',
    'Map',
    'Turns each item into a new value with a formula, e.g. upper(item.name).',
    [list(), expression('The formula; item is the current item, index its position.')],
    [listOut('The new values.')],
  ),
  simple(
    'list.filter',
    'Filter',
    'Keeps the items for which a formula is true, e.g. item.active == true.',
    [list(), expression('The condition.')],
    [listOut('The items kept.')],
  ),
  simple(
    'list.find',
    'Find',
    'Finds the first item for which a formula is true.',
    [list(), expression('The condition.')],
    [
      output('item', 'any', 'The first matching item.'),
      output('index', 'number', 'Its position, or -1.'),
      output('found', 'boolean', 'Whether an item matched.'),
    ],
  ),
  simple(
    'list.pluck',
    'Pluck',
    'Takes one field from every item, e.g. profile.email.',
    [list(), input('path', 'text', 'The field path, e.g. profile.email or emails.0.')],
    [listOut('The field values.')],
  ),
  simple(
    'list.sort',
    'Sort',
    'Sorts a list; numbers by value, text alphabetically, empty values last.',
    [
      list(),
      by('Sort by', 'A formula of item to sort by, e.g. item.profile.lastName; empty sorts the items themselves.'),
      input('direction', 'text', 'asc or desc.', { required: false, default: 'asc', options: ['asc', 'desc'] }),
    ],
    [listOut('The sorted list.')],
  ),
  simple(
    'list.unique',
    'Remove duplicates',
    'Keeps the first of items that are equal (or whose formula result is equal).',
    [list(), by('Compare by', 'A formula of item to compare, e.g. lower(item.email); empty compares whole items.')],
    [listOut('The list without duplicates.')],
  ),
  simple('list.length', 'List length', 'Counts the items.', [list()], [output('length', 'number', 'Number of items.')]),
  simple(
    'list.at',
    'Item at',
    'Takes the item at a position; negative positions count from the end.',
    [list(), input('index', 'number', 'Position, from 0.')],
    [output('item', 'any', 'The item.')],
  ),
  simple(
    'list.first',
    'First item',
    'Takes the first item.',
    [list()],
    [output('item', 'any', 'The first item.'), output('found', 'boolean', 'False for an empty list.')],
  ),
  simple(
    'list.last',
    'Last item',
    'Takes the last item.',
    [list()],
    [output('item', 'any', 'The last item.'), output('found', 'boolean', 'False for an empty list.')],
  ),
  simple(
    'list.join',
    'Join to text',
    'Joins the items into one text.',
    [list(), input('separator', 'text', 'Put between items.', { required: false, default: ', ' })],
    [output('text', 'text', 'The joined text.')],
  ),
  simple(
    'list.flatten',
    'Flatten',
    'Turns a list of lists into one list.',
    [list(), input('depth', 'number', 'How many levels to flatten.', { required: false, default: 1 })],
    [listOut('The flat list.')],
  ),
  simple(
    'list.union',
    'Union',
    'Items in either list, without duplicates.',
    [list('a', 'First list.'), list('b', 'Second list.')],
    [listOut('The union.')],
  ),
  simple(
    'list.intersection',
    'Intersection',
    'Items in both lists.',
    [list('a', 'First list.'), list('b', 'Second list.')],
    [listOut('The common items.')],
  ),
  simple(
    'list.difference',
    'Difference',
    'Items of the first list that are not in the second.',
    [list('a', 'First list.'), list('b', 'Second list.')],
    [listOut('The remaining items.')],
  ),
];
