import { identityCards } from '../../shared/cards/catalog/identity.js';
import { FlowsteadError, type SerializedError } from '../../shared/errors.js';
import { findDuplicateIdentities, type DuplicateSearchOptions } from '../identity/duplicates.js';
import { validateEmailAddress } from '../identity/email.js';
import { normalizePersonName, splitFullName } from '../identity/names.js';
import { toAsciiName } from '../identity/transliterate.js';
import {
  createAddressGenerator,
  type AddressGenerator,
  type AddressGeneratorOptions,
  type AddressLookup,
  type AddressResult,
  type PersonName,
} from '../identity/unique-addresses.js';
import type { TableService } from '../services/table-service.js';
import { implement } from './implement.js';
import type { CardInputs, LookaheadContext, UpcomingRows } from './types.js';

type Row = Record<string, unknown>;

function optionalText(inputs: CardInputs, name: string, fallback = ''): string {
  const value = inputs[name];
  if (value === undefined || value === null) return fallback;
  return typeof value === 'string' ? value : String(value);
}

function requiredText(inputs: CardInputs, name: string): string {
  const value = optionalText(inputs, name).trim();
  if (value === '') throw new FlowsteadError('INPUT_REQUIRED', `Input \`${name}\` needs a value.`, { input: name });
  return value;
}

function textList(inputs: CardInputs, name: string): string[] {
  const value = inputs[name];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    throw new FlowsteadError('INPUT_TYPE', `Input \`${name}\` must be a list of text.`, { input: name });
  }
  return value.filter((item): item is string => typeof item === 'string');
}

const errorText = (error: SerializedError) => `${error.code}: ${error.message}`;

/** The generator options the inputs describe; the addresses in use are added by the caller. */
function addressOptions(inputs: CardInputs): AddressGeneratorOptions {
  const pattern = optionalText(inputs, 'pattern', '{first}.{last}');
  const custom = optionalText(inputs, 'customPattern').trim();
  if (pattern === 'custom' && custom === '') {
    throw new FlowsteadError(
      'ADDRESS_PATTERN_INVALID',
      'The pattern is `custom` but `customPattern` is empty; write a template such as {first}.{last}.',
    );
  }
  const maxLength = inputs['maxLength'];
  return {
    pattern: pattern === 'custom' ? custom : pattern,
    domain: requiredText(inputs, 'domain'),
    maxLength: maxLength === undefined || maxLength === null ? 64 : (maxLength as number),
    collision: optionalText(inputs, 'collision', 'numeric') as AddressGeneratorOptions['collision'],
    reserved: textList(inputs, 'reserved'),
  };
}

/** Below this many rows a table's column is read whole even when it is indexed: one query beats many probes. */
const PROBE_ABOVE_ROWS = 10_000;

/** Addresses in use: read whole, or kept where they are and asked per name. */
interface AddressesInUse {
  existing: string[];
  existingLookups: AddressLookup[];
}

/**
 * A table column of addresses in use. A big table with an indexed column is asked per name through
 * its index (a few µs a question) instead of being read whole (a second or more for a million
 * rows). `probesAbove`: the row count above which asking is cheaper than reading.
 */
function addressesInTable(tables: TableService, table: string, column: string, probesAbove: number): AddressesInUse {
  const lookup = tables.textLookup(table, column);
  return lookup && tables.hasMoreRowsThan(table, probesAbove)
    ? { existing: [], existingLookups: [lookup] }
    : { existing: tables.columnText(table, column), existingLookups: [] };
}

const NONE: AddressesInUse = { existing: [], existingLookups: [] };

/** Several sources as one; a single big list is passed on as it is, not copied. */
function together(...sources: AddressesInUse[]): AddressesInUse {
  const lists = sources.map((s) => s.existing).filter((list) => list.length > 0);
  return {
    existing: lists.length <= 1 ? (lists[0] ?? []) : lists.flat(),
    existingLookups: sources.flatMap((s) => s.existingLookups),
  };
}

/** The row keeps its own fields; the address and status go on top, so nothing the admin sent is lost. */
function resultRow(row: unknown, result: AddressResult): Row {
  const base: Row = row !== null && typeof row === 'object' && !Array.isArray(row) ? (row as Row) : { value: row };
  return result.ok
    ? { ...base, email: result.address, status: 'ok' }
    : { ...base, email: null, status: 'error', error: errorText(result.error) };
}

function personFrom(row: unknown, fields: { first: string; middle: string; last: string }): PersonName | null {
  if (row === null || typeof row !== 'object' || Array.isArray(row)) return null;
  const r = row as Row;
  return { first: r[fields.first] as string, middle: r[fields.middle] as string, last: r[fields.last] as string };
}

/**
 * What the one-person card needs to stay unique across the rows of a bulk run, where each row is a
 * separate flow run. Per engine (table service):
 * - per run and option set, one generator that reads the existing and claim tables once (or, for
 *   big tables with an indexed column, asks the index about each candidate), so a row costs a Set
 *   lookup or an index probe instead of a table scan;
 * - per run, the addresses its rows were given without a claim table: also noted in the run, so a
 *   run resumed after a crash or cancel never gives one out again;
 * - per claim table, every address this process has claimed, which every generator also checks, so
 *   concurrent runs, or runs with other options, sharing a claim table never hand out one address twice.
 * A new run reloads the tables, so rows others added between runs are seen; rows added to those
 * tables by other means *during* a run are not seen by that run.
 */
interface AddressBook {
  runs: Map<string, RunAddresses>;
  claimed: Map<string, Set<string>>;
}

interface RunAddresses {
  generators: Map<string, RunGenerator>;
  /**
   * Addresses this run gave out without a claim table, kept once the run has a second generator (a
   * row with other rules), which must also skip what the first gives out. A generator built later
   * starts from the run's notes.
   */
  givenOut: Set<string> | undefined;
  /** The generator the last row used, with the rule inputs it was chosen for. */
  last: { values: unknown[]; generator: RunGenerator } | undefined;
}

/** The run note kind holding the addresses a run gave out without a claim table. */
const GIVEN_OUT = 'identity.address';

const books = new WeakMap<TableService, AddressBook>();
/** Runs whose generators are kept; older ones are dropped (a later row of theirs reloads from the tables). */
const KEPT_RUNS = 8;

function addressBook(tables: TableService): AddressBook {
  let book = books.get(tables);
  if (!book) books.set(tables, (book = { runs: new Map(), claimed: new Map() }));
  return book;
}

function claimedSet(book: AddressBook, claimTableId: string): Set<string> {
  let set = book.claimed.get(claimTableId);
  if (!set) book.claimed.set(claimTableId, (set = new Set()));
  return set;
}

interface RunGenerator {
  generator: AddressGenerator;
  /** The claim table's id, so a table named by name and by id shares one claimed set; '' for none. */
  claimTableId: string;
  /** Adds a row to the claim table (prepared once per run). */
  appendClaim: ((values: Record<string, string>) => void) | undefined;
}

function runAddresses(book: AddressBook, runId: string): RunAddresses {
  let perRun = book.runs.get(runId);
  if (!perRun) {
    if (book.runs.size >= KEPT_RUNS) book.runs.delete(book.runs.keys().next().value as string);
    book.runs.set(runId, (perRun = { generators: new Map(), givenOut: undefined, last: undefined }));
  }
  return perRun;
}

/** The addresses this run gave out without a claim table, from its notes (rows before a restart too). */
function givenOutSoFar(ctx: LookaheadContext): string[] {
  return ctx.runNotes(GIVEN_OUT).filter((note): note is string => typeof note === 'string');
}

/** The inputs that shape a generator; every row of a bulk run gives the same ones. */
export const GENERATOR_INPUTS = [
  'pattern',
  'customPattern',
  'domain',
  'maxLength',
  'collision',
  'reserved',
  'existingTable',
  'existingColumn',
  'claimTable',
  'claimColumn',
] as const;

/**
 * Whether a row passes the rule inputs `values` (in GENERATOR_INPUTS order) hold. Written out
 * name by name: one card's inputs share a shape, so each read is direct, where a loop over the
 * names reads by a varying key at several times the cost, once per row of a bulk run. A test
 * checks that every name of GENERATOR_INPUTS is compared.
 */
export function sameRules(inputs: CardInputs, values: readonly unknown[]): boolean {
  return (
    inputs['pattern'] === values[0] &&
    inputs['customPattern'] === values[1] &&
    inputs['domain'] === values[2] &&
    inputs['maxLength'] === values[3] &&
    inputs['collision'] === values[4] &&
    inputs['reserved'] === values[5] &&
    inputs['existingTable'] === values[6] &&
    inputs['existingColumn'] === values[7] &&
    inputs['claimTable'] === values[8] &&
    inputs['claimColumn'] === values[9]
  );
}

/**
 * The run's generator for these rules. Rows bound to the same literals pass the very same values,
 * so the last generator is found by comparing those; otherwise by a key of the inputs' text.
 */
function generatorFor(perRun: RunAddresses, inputs: CardInputs, build: () => RunGenerator): RunGenerator {
  const last = perRun.last;
  if (last !== undefined && sameRules(inputs, last.values)) return last.generator;
  let key = '';
  for (const name of GENERATOR_INPUTS)
    key += `${name === 'reserved' ? JSON.stringify(inputs[name] ?? []) : optionalText(inputs, name)}\u0000`;
  let generator = perRun.generators.get(key);
  if (!generator) perRun.generators.set(key, (generator = build()));
  perRun.last = { values: GENERATOR_INPUTS.map((name) => inputs[name]), generator };
  return generator;
}

/** A generator for the rules `inputs` hold, reading the tables they name. */
function buildRunGenerator(inputs: CardInputs, ctx: LookaheadContext, perRun: RunAddresses): RunGenerator {
  const tables = ctx.services.tables;
  const options = addressOptions(inputs);
  const existingTable = optionalText(inputs, 'existingTable').trim();
  const existingColumn = optionalText(inputs, 'existingColumn', 'email');
  const claimTable = optionalText(inputs, 'claimTable').trim();
  const claimColumn = optionalText(inputs, 'claimColumn', 'email');
  const claimTableId = claimTable === '' ? '' : claimTableIdOf(tables, claimTable, claimColumn);
  // Without a claim table: what this run gave out so far (before a restart too).
  const givenOut = claimTableId === '' ? givenOutSoFar(ctx) : [];
  const inUse = together(
    existingTable === '' ? NONE : addressesInTable(tables, existingTable, existingColumn, PROBE_ABOVE_ROWS),
    claimTableId === '' ? NONE : addressesInTable(tables, claimTableId, claimColumn, PROBE_ABOVE_ROWS),
    { existing: givenOut, existingLookups: [] },
  );
  // A second generator in the run: from now on each checks what the others give out.
  if (claimTableId === '' && perRun.generators.size > 0) perRun.givenOut ??= new Set(givenOut);
  return {
    generator: createAddressGenerator({ ...options, ...inUse }),
    claimTableId,
    appendClaim: claimTableId === '' ? undefined : tables.rowAppender(claimTableId),
  };
}

function personOf(inputs: CardInputs): PersonName {
  return { first: inputs['first'], middle: inputs['middle'], last: inputs['last'] } as PersonName;
}

/**
 * Rows to come of a bulk run or loop: the run's generator for the rows' rules reads ahead what
 * the tables hold of their names (their results are the same whether or not it does).
 */
function readAheadForRows(rows: UpcomingRows, ctx: LookaheadContext): void {
  // Rules taken from the row (a domain per row) could give each row another generator: those
  // rows read in their turn, as without a lookahead.
  if (rows.count === 0 || !GENERATOR_INPUTS.every((name) => rows.sameForEveryRow(name))) return;
  const rules: CardInputs = {};
  for (const name of GENERATOR_INPUTS) rules[name] = rows.input(0, name);
  const perRun = runAddresses(addressBook(ctx.services.tables), ctx.runId);
  const { generator } = generatorFor(perRun, rules, () => buildRunGenerator(rules, ctx, perRun));
  const people: PersonName[] = new Array<PersonName>(rows.count);
  for (let i = 0; i < rows.count; i++) {
    people[i] = {
      first: rows.input(i, 'first'),
      middle: rows.input(i, 'middle'),
      last: rows.input(i, 'last'),
    } as PersonName;
  }
  generator.readAhead(people);
}

export const identityImplementations = implement(
  identityCards,
  {
    'identity.uniqueEmails': (inputs, ctx) => {
      const people = inputs['people'];
      if (!Array.isArray(people)) {
        throw new FlowsteadError('INPUT_TYPE', 'Input `people` must be a list of objects with name fields.');
      }
      const fields = {
        first: optionalText(inputs, 'firstField', 'first'),
        middle: optionalText(inputs, 'middleField', 'middle'),
        last: optionalText(inputs, 'lastField', 'last'),
      };
      const tables = ctx.services.tables;
      const table = optionalText(inputs, 'existingTable').trim();
      const column = optionalText(inputs, 'existingColumn', 'email');
      const generator = createAddressGenerator({
        ...addressOptions(inputs),
        ...together(
          table === '' ? NONE : addressesInTable(tables, table, column, Math.max(PROBE_ABOVE_ROWS, 2 * people.length)),
          { existing: textList(inputs, 'existingList'), existingLookups: [] },
        ),
      });
      const results: Row[] = new Array<Row>(people.length);
      let okCount = 0;
      for (let i = 0; i < people.length; i++) {
        const result = generator.next(personFrom(people[i], fields));
        if (result.ok) okCount++;
        results[i] = resultRow(people[i], result);
      }
      return { results, okCount, errorCount: people.length - okCount };
    },

    'identity.uniqueEmail': (inputs, ctx) => {
      const tables = ctx.services.tables;
      const claimColumn = optionalText(inputs, 'claimColumn', 'email');
      const book = addressBook(tables);
      const perRun = runAddresses(book, ctx.runId);
      const { generator, claimTableId, appendClaim } = generatorFor(perRun, inputs, () =>
        buildRunGenerator(inputs, ctx, perRun),
      );
      // Taken since the generator was built: claimed in the claim table by any run, or, without one,
      // given out by another generator of this run (a row with other rules).
      const claimed = claimTableId === '' ? undefined : claimedSet(book, claimTableId);
      const taken = claimed ?? perRun.givenOut;
      const listed = textList(inputs, 'existingList');
      const blocked = listed.length === 0 ? undefined : generator.localPartsInUse(listed);

      const person = personOf(inputs);
      let result = generator.next(person);
      // A candidate taken elsewhere, or listed for this row, is now taken for the generator too: ask again.
      while (result.ok && (taken?.has(result.address) === true || blocked?.has(result.localPart) === true)) {
        result = generator.next(person);
      }
      if (!result.ok) return { email: null, ok: false, error: errorText(result.error) };
      if (claimed && appendClaim) {
        // Transactional: the row commits with the run's checkpoint, so a repeated step cannot claim twice.
        appendClaim({ [claimColumn]: result.address });
        claimed.add(result.address);
      } else {
        // Committed no later than this row's result: a resumed run knows the address is given out.
        ctx.noteForRun(GIVEN_OUT, result.address);
        perRun.givenOut?.add(result.address);
      }
      return { email: result.address, ok: true, error: null };
    },

    'identity.normalizeName': (inputs) => ({ text: normalizePersonName(optionalText(inputs, 'text')) }),

    'identity.splitName': (inputs) => ({ ...splitFullName(optionalText(inputs, 'fullName')) }),

    'identity.validateEmail': (inputs) => {
      const checked = validateEmailAddress(optionalText(inputs, 'address'));
      return { valid: checked.valid, reason: checked.reason ?? null, normalized: checked.normalized ?? null };
    },

    'identity.transliterate': (inputs) => ({ text: toAsciiName(optionalText(inputs, 'text')) }),

    'identity.findDuplicates': (inputs) => {
      const people = inputs['people'];
      if (!Array.isArray(people)) throw new FlowsteadError('INPUT_TYPE', 'Input `people` must be a list of objects.');
      const field = (name: string) => optionalText(inputs, name).trim() || undefined;
      const options: DuplicateSearchOptions = {};
      const email = field('emailField');
      const employeeId = field('employeeIdField');
      const first = field('firstField');
      const last = field('lastField');
      if (email) options.emailField = email;
      if (employeeId) options.employeeIdField = employeeId;
      if (first) options.firstNameField = first;
      if (last) options.lastNameField = last;
      options.extraFields = textList(inputs, 'extraFields');
      const groups = findDuplicateIdentities(people as Row[], options).map((group) => ({
        ...group,
        rows: group.indexes.map((index) => people[index] as unknown),
      }));
      return { groups, found: groups.length > 0 };
    },
  },
  // Without a claim table the card writes nothing: it reads the tables and notes its address in the run.
  {
    transactional: ['identity.uniqueEmail'],
    writesOnlyWith: { 'identity.uniqueEmail': 'claimTable' },
    lookahead: { 'identity.uniqueEmail': readAheadForRows },
  },
);

/** The claim table's id (so a name and an id share one claimed set), after checking its column exists. */
function claimTableIdOf(tables: TableService, table: string, column: string): string {
  const info = tables.get(table);
  if (!info.columns.some((c) => c.name === column && c.type === 'text')) {
    throw new FlowsteadError(
      'TABLE_UNKNOWN_COLUMN',
      `The claim table "${info.name}" needs a text column "${column}" to record addresses in. Its columns are ${info.columns.map((c) => `"${c.name}"`).join(', ')}.`,
      { table: info.name, column },
    );
  }
  return info.id;
}
