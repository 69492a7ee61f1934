import { input, output, type CardDescriptor, type InputDescriptor } from '../descriptor.js';

/** The address patterns offered in the inspector; `custom` uses the `customPattern` input instead. */
export const EMAIL_PATTERN_CHOICES = [
  '{first}.{last}',
  '{f}{last}',
  '{first}{l}',
  '{first}.{middle_initial}.{last}',
  'custom',
] as const;

const optional = { required: false } as const;

/** Inputs shared by the bulk and the one-person address cards: how an address is built and what it must avoid. */
const addressRules: readonly InputDescriptor[] = [
  input('domain', 'text', 'The mail domain, e.g. example.com.', { title: 'Domain' }),
  input('pattern', 'text', 'How an address is built from the name. Pick `custom` to write your own.', {
    title: 'Pattern',
    options: EMAIL_PATTERN_CHOICES,
    required: false,
    default: '{first}.{last}',
  }),
  input(
    'customPattern',
    'text',
    'Used when the pattern is `custom`: a template of {first}, {last}, {middle}, {f}, {l}, {m}, {middle_initial} and fixed characters, e.g. {last}_{f}.',
    { title: 'Custom pattern', ...optional },
  ),
  input('maxLength', 'number', 'The longest part before "@" (1 to 64); longer names are shortened.', {
    title: 'Max length',
    ...optional,
    default: 64,
  }),
  input(
    'collision',
    'text',
    'When an address is taken: numeric gives john.smith2, john.smith3; middleInitialThenNumeric tries john.q.smith first.',
    { title: 'When taken', options: ['numeric', 'middleInitialThenNumeric'], ...optional, default: 'numeric' },
  ),
  input('reserved', 'list', 'Extra names nobody may get (admin, postmaster and the like are always reserved).', {
    title: 'Reserved names',
    itemType: 'text',
    ...optional,
  }),
  input('existingTable', 'table', 'A table whose rows hold addresses already in use.', {
    title: 'Existing addresses table',
    ...optional,
  }),
  input('existingColumn', 'text', 'The column of that table holding the addresses.', {
    title: 'Existing address column',
    ...optional,
    default: 'email',
  }),
  input('existingList', 'list', 'More addresses already in use, e.g. from a directory search.', {
    title: 'Existing addresses',
    itemType: 'text',
    ...optional,
  }),
];

const nameText = (name: string, title: string, description: string, required = true) =>
  input(name, 'text', description, { title, required });

export const identityCards: readonly CardDescriptor[] = [
  {
    type: 'identity.uniqueEmails',
    category: 'identity',
    title: 'Unique email addresses',
    description:
      'Gives every person in a list a unique address (José Müller → jose.muller@example.com), skipping addresses in use. ' +
      'A row that cannot get one keeps its place with status error.',
    inputs: [
      input('people', 'list', 'The people: objects with name fields, e.g. rows of a CSV.', {
        title: 'People',
        itemType: 'object',
      }),
      input('firstField', 'text', 'The field holding the first name.', {
        title: 'First name field',
        ...optional,
        default: 'first',
      }),
      input('lastField', 'text', 'The field holding the last name.', {
        title: 'Last name field',
        ...optional,
        default: 'last',
      }),
      input('middleField', 'text', 'The field holding the middle name.', {
        title: 'Middle name field',
        ...optional,
        default: 'middle',
      }),
      ...addressRules,
    ],
    outputs: [
      output(
        'results',
        'list',
        'One entry per person, in order: the row with `email` and `status` ok, or `email` empty, `status` error and the `error`.',
        'Results',
      ),
      output('okCount', 'number', 'How many people got an address.', 'Addresses made'),
      output('errorCount', 'number', 'How many rows could not get one.', 'Errors'),
    ],
    // Reads the existing-addresses table, whose contents change between runs.
    effect: 'nondeterministic',
  },
  {
    type: 'identity.uniqueEmail',
    category: 'identity',
    title: 'Unique email address',
    description:
      'Gives one person a unique address, for flows run once per row: no two rows of a bulk run get the same one, ' +
      'also when the run is resumed. With a claim table, each address handed out is also recorded there so later ' +
      'runs never get it again.',
    inputs: [
      nameText('first', 'First name', 'The first name.'),
      nameText('middle', 'Middle name', 'The middle name, if any.', false),
      nameText('last', 'Last name', 'The last name.'),
      ...addressRules,
      input('claimTable', 'table', 'A table where every address handed out is added as a row, and checked against.', {
        title: 'Claim table',
        ...optional,
      }),
      input('claimColumn', 'text', 'The text column of the claim table that receives the address.', {
        title: 'Claim column',
        ...optional,
        default: 'email',
      }),
    ],
    outputs: [
      output('email', 'text', 'The address, or empty when the person could not get one.', 'Email'),
      output('ok', 'boolean', 'Whether the person got an address.', 'OK'),
      output('error', 'text', 'Why not, as "CODE: message"; empty when ok.', 'Error'),
    ],
    // Adds a row to the claim table (without one it only reads, see writesOnlyWith in the engine).
    effect: 'sideEffect',
  },
  {
    type: 'identity.normalizeName',
    category: 'identity',
    title: 'Tidy name',
    description:
      'Trims and proper-cases a name: "JEAN-LUC o\'brien" → "Jean-Luc O\'Brien", keeping van, de and MacDonald right.',
    inputs: [nameText('text', 'Name', 'The name as typed or exported.')],
    outputs: [output('text', 'text', 'The tidied name.', 'Name')],
    effect: 'pure',
  },
  {
    type: 'identity.splitName',
    category: 'identity',
    title: 'Split full name',
    description:
      '"Smith, John Paul" or "John Paul Smith" → first John, middle Paul, last Smith; van and de stay with the surname.',
    inputs: [nameText('fullName', 'Full name', 'The whole name.')],
    outputs: [
      output('first', 'text', 'The first name.', 'First'),
      output('middle', 'text', 'The middle name(s), or empty.', 'Middle'),
      output('last', 'text', 'The last name, or empty for a single name.', 'Last'),
    ],
    effect: 'pure',
  },
  {
    type: 'identity.validateEmail',
    category: 'identity',
    title: 'Check email address',
    description:
      'Checks that an address is one a mail server would accept for a new mailbox, and says what is wrong if not.',
    inputs: [nameText('address', 'Address', 'The address to check.')],
    outputs: [
      output('valid', 'boolean', 'Whether the address is usable.', 'Valid'),
      output('reason', 'text', 'What is wrong and how to fix it; empty when valid.', 'Reason'),
      output(
        'normalized',
        'text',
        'The address trimmed with its domain in lower case; empty when not valid.',
        'Normalized',
      ),
    ],
    effect: 'pure',
  },
  {
    type: 'identity.transliterate',
    category: 'identity',
    title: 'Name to plain letters',
    description: 'Writes a name in plain ASCII letters: Müller → Muller, Łukasz → Lukasz, Иван → Ivan.',
    inputs: [nameText('text', 'Text', 'The name or text to transliterate.')],
    outputs: [output('text', 'text', 'The text in ASCII; empty when nothing can be written in ASCII.', 'Text')],
    effect: 'pure',
  },
  {
    type: 'identity.findDuplicates',
    category: 'identity',
    title: 'Find duplicate people',
    description:
      'Finds rows that describe the same person (same email, same employee id, or same name and another field) before they become two accounts.',
    inputs: [
      input('people', 'list', 'The rows to compare.', { title: 'People', itemType: 'object' }),
      input('emailField', 'text', 'The field holding the email, if rows with the same email are duplicates.', {
        title: 'Email field',
        ...optional,
      }),
      input('employeeIdField', 'text', 'The field holding the employee id.', {
        title: 'Employee id field',
        ...optional,
      }),
      input('firstField', 'text', 'The first name field, compared with the extra fields.', {
        title: 'First name field',
        ...optional,
      }),
      input('lastField', 'text', 'The last name field, compared with the extra fields.', {
        title: 'Last name field',
        ...optional,
      }),
      input('extraFields', 'list', 'Fields that with the same name mark a likely duplicate, e.g. birthDate.', {
        title: 'Extra fields',
        itemType: 'text',
        ...optional,
      }),
    ],
    outputs: [
      output(
        'groups',
        'list',
        'Each group of duplicates: `indexes` (positions from 0), `rows`, `reason` and `confidence` (certain or likely).',
        'Groups',
      ),
      output('found', 'boolean', 'Whether any duplicates were found.', 'Found'),
    ],
    effect: 'pure',
  },
];
