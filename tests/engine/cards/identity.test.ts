import { afterEach, describe, expect, it, vi } from 'vitest';
import { GENERATOR_INPUTS, identityImplementations, sameRules } from '../../../src/engine/cards/identity.js';
import { createAddressGenerator } from '../../../src/engine/identity/unique-addresses.js';
import { CARD_IMPLEMENTATIONS } from '../../../src/engine/cards/registry.js';
import { identityCards } from '../../../src/shared/cards/catalog/identity.js';
import { card, createTestEngine, flow, lit, ref } from '../../support/test-engine.js';

let engine: ReturnType<typeof createTestEngine> | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

/** A fresh database (and so fresh tables) for the test. */
function useEngine() {
  engine ??= createTestEngine();
  return engine;
}

/** Runs one card through the real executor and returns its outputs (or the run's error). */
async function runCard(type: string, inputs: Record<string, unknown>) {
  const { executor } = useEngine();
  const doc = flow({
    nodes: [
      card('c', type, Object.fromEntries(Object.entries(inputs).map(([name, value]) => [name, lit(value)]))),
      card('done', 'control.return', { out: ref('c') }),
    ],
  });
  const outcome = await executor.start({ flow: doc, flowVersion: 1, helpers: {}, input: {} }).done;
  if (outcome.status !== 'succeeded') throw Object.assign(new Error(outcome.error?.message), outcome.error);
  return (outcome.output as { out: Record<string, unknown> }).out;
}

function existingTable(addresses: string[]): string {
  const { tables } = useEngine();
  const { id } = tables.create({ name: 'Mailboxes', columns: [{ name: 'email', type: 'text' }] });
  if (addresses.length > 0) tables.insertRows({ tableId: id, rows: addresses.map((email) => ({ email })) });
  return id;
}

/** A table of 12,000 mailboxes besides `addresses`, with its email column indexed: asked per name. */
function indexedMailboxes(addresses: string[]): string {
  const filler = Array.from({ length: 12_000 }, (_, i) => `user${i}@example.com`);
  const id = existingTable([...addresses, ...filler]);
  useEngine().tables.setColumnIndex({ tableId: id, column: 'email', index: 'indexed' });
  return id;
}

/** The ranges the tables' lookups are asked to read ahead, from now on (they are still read). */
function rangesReadAhead(): unknown[] {
  const { tables } = useEngine();
  const asked: unknown[] = [];
  const textLookup = tables.textLookup.bind(tables);
  vi.spyOn(tables, 'textLookup').mockImplementation((tableId, column) => {
    const lookup = textLookup(tableId, column);
    if (lookup) {
      const readAhead = lookup.readAhead.bind(lookup);
      lookup.readAhead = (ranges, summary) => {
        asked.push(...ranges);
        readAhead(ranges, summary);
      };
    }
    return lookup;
  });
  return asked;
}

it('implements every identity card with its catalog descriptor, and nothing else', () => {
  expect(identityImplementations.map((impl) => impl.descriptor.type)).toEqual(identityCards.map((d) => d.type));
  identityCards.forEach((descriptor, n) => {
    expect(identityImplementations[n]?.descriptor).toBe(descriptor);
    expect(CARD_IMPLEMENTATIONS.get(descriptor.type)).toBe(identityImplementations[n]);
  });
  // The one-person card's only effect is a row in our own database: it commits with the checkpoint.
  expect(identityImplementations.find((i) => i.descriptor.type === 'identity.uniqueEmail')?.transactional).toBe(true);
});

describe('identity.uniqueEmails', () => {
  it('turns accented names into plain addresses and numbers duplicates, in input order', async () => {
    const out = await runCard('identity.uniqueEmails', {
      people: [
        { first: 'José', last: 'Müller', dept: 'IT' },
        { first: 'Jose', last: 'Muller' },
        { first: 'Иван', last: 'Петров' },
        { first: 'JOSÉ', last: 'MÜLLER' },
      ],
      domain: 'example.com',
    });
    expect(out['results']).toEqual([
      { first: 'José', last: 'Müller', dept: 'IT', email: 'jose.muller@example.com', status: 'ok' },
      { first: 'Jose', last: 'Muller', email: 'jose.muller2@example.com', status: 'ok' },
      { first: 'Иван', last: 'Петров', email: 'ivan.petrov@example.com', status: 'ok' },
      { first: 'JOSÉ', last: 'MÜLLER', email: 'jose.muller3@example.com', status: 'ok' },
    ]);
    expect(out).toMatchObject({ okCount: 4, errorCount: 0 });
  });

  it('skips addresses held in an existing-addresses table and list', async () => {
    const table = existingTable(['ana.silva@example.com', 'ANA.SILVA2@example.com', 'ana.silva3@other.org']);
    const out = await runCard('identity.uniqueEmails', {
      people: [{ given: 'Ana', family: 'Silva' }],
      firstField: 'given',
      lastField: 'family',
      domain: 'example.com',
      existingTable: table,
      existingList: ['ana.silva3@example.com'],
    });
    expect(out['results']).toEqual([{ given: 'Ana', family: 'Silva', email: 'ana.silva4@example.com', status: 'ok' }]);
  });

  it('keeps a row whose name is empty, with status error, and drops nothing', async () => {
    const out = await runCard('identity.uniqueEmails', {
      people: [{ first: 'Ana', last: '' }, { first: 'Bo', last: 'Kim' }, null, { first: '张', last: '伟' }],
      domain: 'example.com',
    });
    const results = out['results'] as Record<string, unknown>[];
    expect(results).toHaveLength(4);
    expect(results[0]).toMatchObject({ first: 'Ana', email: null, status: 'error' });
    expect(results[0]?.['error']).toMatch(/^NAME_EMPTY: The last name is empty/);
    expect(results[1]).toEqual({ first: 'Bo', last: 'Kim', email: 'bo.kim@example.com', status: 'ok' });
    expect(results[2]).toMatchObject({ value: null, email: null, status: 'error' });
    expect(results[3]).toMatchObject({ status: 'error', error: expect.stringMatching(/^NAME_UNREPRESENTABLE: /) });
    expect(out).toMatchObject({ okCount: 1, errorCount: 3 });
  });

  it('uses the chosen pattern, a custom template and the middle-initial strategy', async () => {
    const people = [
      { first: 'John', middle: 'Quincy', last: 'Smith' },
      { first: 'John', middle: 'Quincy', last: 'Smith' },
    ];
    const emails = async (inputs: Record<string, unknown>) =>
      (
        (await runCard('identity.uniqueEmails', { people, domain: 'example.com', ...inputs }))['results'] as {
          email: string;
        }[]
      ).map((r) => r.email);
    expect(await emails({ pattern: '{f}{last}' })).toEqual(['jsmith@example.com', 'jsmith2@example.com']);
    expect(await emails({ pattern: 'custom', customPattern: '{last}_{f}' })).toEqual([
      'smith_j@example.com',
      'smith_j2@example.com',
    ]);
    expect(await emails({ collision: 'middleInitialThenNumeric' })).toEqual([
      'john.smith@example.com',
      'john.q.smith@example.com',
    ]);
  });

  it('asks a big table’s index about each name instead of reading it, with the same addresses', async () => {
    const { tables } = useEngine();
    // Above the size where asking beats reading: 12,000 rows, a few of them in the way.
    const inTheWay = ['Jose.Muller@Example.com', 'jose.muller2@example.com', 'ana.silva@other.org', 'bob', 'jb.x'];
    const filler = Array.from({ length: 12_000 }, (_, i) => `user${i}@example.com`);
    const mailboxes = existingTable([...inTheWay, ...filler]);
    const people = [
      { first: 'José', last: 'Müller' },
      { first: 'Jose', last: 'Muller' },
      { first: 'Ana', last: 'Silva' },
      { first: 'Bob', last: 'Stone' },
      { first: 'User', last: '7' },
    ];
    const emails = async (pattern: string) =>
      (
        (await runCard('identity.uniqueEmails', { people, domain: 'example.com', existingTable: mailboxes, pattern }))[
          'results'
        ] as { email: string }[]
      ).map((r) => r.email);
    const read = { dotted: await emails('{first}.{last}'), initial: await emails('{f}{last}') };
    expect(read.dotted).toEqual([
      'jose.muller3@example.com',
      'jose.muller4@example.com',
      'ana.silva@example.com',
      'bob.stone@example.com',
      'user.7@example.com',
    ]);

    tables.setColumnIndex({ tableId: mailboxes, column: 'email', index: 'indexed' });
    const columnText = vi.spyOn(tables, 'columnText');
    expect({ dotted: await emails('{first}.{last}'), initial: await emails('{f}{last}') }).toEqual(read);
    expect(columnText).not.toHaveBeenCalled();
  });

  it('fails the card, not a row, when the options are wrong', async () => {
    await expect(runCard('identity.uniqueEmails', { people: [], domain: 'not a domain' })).rejects.toMatchObject({
      code: 'ADDRESS_DOMAIN_INVALID',
    });
    await expect(
      runCard('identity.uniqueEmails', { people: [], domain: 'example.com', pattern: 'custom' }),
    ).rejects.toMatchObject({ code: 'ADDRESS_PATTERN_INVALID' });
  });
});

describe('identity.uniqueEmail', () => {
  it('tells rows with other rules apart by every rule input', () => {
    const values = GENERATOR_INPUTS.map((name) => `${name} value`);
    const inputs = Object.fromEntries(GENERATOR_INPUTS.map((name, i) => [name, values[i]]));
    expect(sameRules(inputs, values)).toBe(true);
    for (const name of GENERATOR_INPUTS) {
      expect(sameRules({ ...inputs, [name]: 'other' }, values), name).toBe(false);
    }
  });

  /** A bulk-style run: a for-each running the one-person card once per row, several rows at a time. */
  async function perRow(people: Record<string, unknown>[], inputs: Record<string, unknown>) {
    const helper = flow({
      id: 'onePerson',
      trigger: {
        kind: 'helper',
        inputs: [
          { name: 'item', type: 'object' },
          { name: 'index', type: 'number' },
        ],
        outputs: [],
      },
      nodes: [
        card('mail', 'identity.uniqueEmail', {
          first: ref('trigger', 'item', 'first'),
          last: ref('trigger', 'item', 'last'),
          domain: lit('example.com'),
          ...Object.fromEntries(Object.entries(inputs).map(([name, value]) => [name, lit(value)])),
        }),
        card('done', 'control.return', { email: ref('mail', 'email'), error: ref('mail', 'error') }),
      ],
    });
    const main = flow({
      trigger: { kind: 'manual', inputs: [{ name: 'people', type: 'list' }] },
      nodes: [
        card('each', 'list.forEach', { flow: lit('onePerson'), list: ref('trigger', 'people'), concurrency: lit(8) }),
        card('done', 'control.return', { results: ref('each', 'results') }),
      ],
    });
    const outcome = await useEngine().executor.start({
      flow: main,
      flowVersion: 1,
      helpers: { onePerson: helper },
      input: { people },
      historyLevel: 'metadata',
    }).done;
    expect(outcome.status).toBe('succeeded');
    return (outcome.output as { results: { email: string | null; error: string | null }[] }).results;
  }

  function claimTable(): string {
    return useEngine().tables.create({ name: 'Claimed', columns: [{ name: 'email', type: 'text' }] }).id;
  }

  it('keeps addresses unique across the runs of a bulk run and records each claim', async () => {
    const existing = existingTable(['jose.muller@example.com']);
    const claims = claimTable();
    const people = [
      { first: 'José', last: 'Müller' },
      { first: 'Jose', last: 'Muller' },
      { first: 'Ana', last: 'Silva' },
      { first: 'ana', last: 'SILVA' },
    ];
    const results = await perRow(people, { existingTable: existing, claimTable: claims });
    expect(results.map((r) => r.email)).toEqual([
      'jose.muller2@example.com',
      'jose.muller3@example.com',
      'ana.silva@example.com',
      'ana.silva2@example.com',
    ]);
    const claimed = useEngine()
      .tables.query({ tableId: claims, limit: 100, filters: [] })
      .rows.map((r) => r.values['email']);
    expect(claimed.sort()).toEqual(results.map((r) => r.email).sort());

    // A later bulk run reads the claims back from the table and never repeats them.
    const again = await perRow([{ first: 'Ana', last: 'Silva' }], { existingTable: existing, claimTable: 'claimed' });
    expect(again.map((r) => r.email)).toEqual(['ana.silva3@example.com']);
  });

  it('asks indexed existing and claim tables per name and gives the addresses reading them would', async () => {
    const { tables } = useEngine();
    const filler = Array.from({ length: 12_000 }, (_, i) => `user${i}@example.com`);
    const existing = existingTable(['jose.muller@example.com', 'ana.silva2@EXAMPLE.com', ...filler]);
    const claims = claimTable();
    tables.insertRows({
      tableId: claims,
      rows: [...filler.map((e) => ({ email: e.replace('user', 'old') })), { email: 'ana.silva@example.com' }],
    });
    const people = [
      { first: 'José', last: 'Müller' },
      { first: 'Ana', last: 'Silva' },
      { first: 'Ana', last: 'Silva' },
    ];
    const expected = ['jose.muller2@example.com', 'ana.silva3@example.com', 'ana.silva4@example.com'];
    const read = await perRow(people, { existingTable: existing, claimTable: claims });
    expect(read.map((r) => r.email)).toEqual(expected);

    tables.setColumnIndex({ tableId: existing, column: 'email', index: 'indexed' });
    tables.setColumnIndex({ tableId: claims, column: 'email', index: 'unique' });
    const columnText = vi.spyOn(tables, 'columnText');
    // A later bulk run: the first run's claims are in the claim table now, found through its index.
    const asked = await perRow(people, { existingTable: existing, claimTable: claims });
    expect(asked.map((r) => r.email)).toEqual([
      'jose.muller3@example.com',
      'ana.silva5@example.com',
      'ana.silva6@example.com',
    ]);
    expect(columnText).not.toHaveBeenCalled();
  });

  it('reads ahead what an indexed table holds of the names of rows to come, with the same addresses', async () => {
    const existing = indexedMailboxes(['ana.silva2@EXAMPLE.com']);
    const readAhead = rangesReadAhead();
    const people = [
      { first: 'José', last: 'Müller' },
      { first: 'Ana', last: 'Silva' },
      { first: 'ANA', last: 'SILVA' },
      { first: 'Bo', last: 'Ek' },
    ];
    const results = await perRow(people, { existingTable: existing });
    expect(results.map((r) => r.email)).toEqual([
      'jose.muller@example.com',
      'ana.silva@example.com',
      'ana.silva3@example.com',
      'bo.ek@example.com',
    ]);
    // The first row was starting when the loop told the card about the others: one range per name.
    expect(readAhead).toEqual([
      ['ana.silva', 'ana.silvaa'],
      ['bo.ek', 'bo.eka'],
    ]);
  });

  it('reads nothing ahead when the rows’ rules differ (a domain per row), with the usual addresses', async () => {
    const { executor } = useEngine();
    const existing = indexedMailboxes(['ana.silva@example.com']);
    const readAhead = rangesReadAhead();
    const helper = flow({
      id: 'onePerson',
      trigger: { kind: 'helper', inputs: [{ name: 'item', type: 'object' }], outputs: [] },
      nodes: [
        card('mail', 'identity.uniqueEmail', {
          first: ref('trigger', 'item', 'first'),
          last: ref('trigger', 'item', 'last'),
          domain: ref('trigger', 'item', 'domain'),
          existingTable: lit(existing),
        }),
        card('done', 'control.return', { email: ref('mail', 'email') }),
      ],
    });
    const people = [
      { first: 'Ana', last: 'Silva', domain: 'example.com' },
      { first: 'Ana', last: 'Silva', domain: 'example.com' },
      { first: 'Ana', last: 'Silva', domain: 'example.org' },
    ];
    const main = flow({
      trigger: { kind: 'manual', inputs: [{ name: 'people', type: 'list' }] },
      nodes: [
        card('each', 'list.forEach', { flow: lit('onePerson'), list: ref('trigger', 'people') }),
        card('done', 'control.return', { results: ref('each', 'results') }),
      ],
    });
    const outcome = await executor.start({
      flow: main,
      flowVersion: 1,
      helpers: { onePerson: helper },
      input: { people },
    }).done;
    expect((outcome.output as { results: { email: string }[] }).results.map((r) => r.email)).toEqual([
      'ana.silva2@example.com',
      'ana.silva3@example.com',
      'ana.silva@example.org',
    ]);
    expect(readAhead).toEqual([]);
  });

  it('gives the same addresses from a table’s ranges read ahead on another thread as from reading them', async () => {
    const { tables } = useEngine();
    const inTheWay = [
      'ana.silva@example.com',
      'ANA.SILVA2@example.com',
      'ana.silva7@example.com',
      'ana.silva3@other.org',
    ];
    const existing = indexedMailboxes([...inTheWay, 'bo.ek', 'cy.ho.x@example.com']);
    const people = [
      ...Array.from({ length: 8 }, () => ({ first: 'Ana', last: 'Silva' })),
      { first: 'Bo', last: 'Ek' },
      { first: 'Cy', last: 'Ho' },
    ];
    const addresses = async (readAhead: boolean) => {
      const lookup = tables.textLookup(existing, 'email')!;
      const generator = createAddressGenerator({ domain: 'example.com', existingLookups: [lookup] });
      if (readAhead) {
        generator.readAhead(people);
        await lookup.readAheadSettled();
      }
      const out = people.map((person) => generator.next(person)).map((r) => (r.ok ? r.address : r.error.code));
      return { out, readAhead: lookup.rangesReadAhead };
    };
    const inPlace = await addresses(false);
    expect(inPlace.out).toEqual([
      'ana.silva3@example.com',
      'ana.silva4@example.com',
      'ana.silva5@example.com',
      'ana.silva6@example.com',
      'ana.silva8@example.com',
      'ana.silva9@example.com',
      'ana.silva10@example.com',
      'ana.silva11@example.com',
      'bo.ek2@example.com',
      'cy.ho@example.com',
    ]);
    expect(inPlace.readAhead).toBe(0);
    expect(await addresses(true)).toEqual({ out: inPlace.out, readAhead: 3 });
  });

  it('answers a bad row with an error value and claims nothing for it', async () => {
    const claims = claimTable();
    const results = await perRow([{ first: 'Bo', last: '' }], { claimTable: claims });
    expect(results).toEqual([{ email: null, error: expect.stringMatching(/^NAME_EMPTY: /) }]);
    expect(useEngine().tables.get(claims).rowCount).toBe(0);
  });

  it('skips the row’s own list of addresses in use', async () => {
    const out = await runCard('identity.uniqueEmail', {
      first: 'Ana',
      last: 'Silva',
      domain: 'example.com',
      existingList: ['ana.silva@example.com', 'ana.silva2'],
    });
    expect(out).toEqual({ email: 'ana.silva3@example.com', ok: true, error: null });
  });

  it('refuses a claim table without the claim column', async () => {
    useEngine().tables.create({ name: 'Wrong', columns: [{ name: 'address', type: 'text' }] });
    await expect(
      runCard('identity.uniqueEmail', { first: 'Ana', last: 'Silva', domain: 'example.com', claimTable: 'Wrong' }),
    ).rejects.toMatchObject({ code: 'TABLE_UNKNOWN_COLUMN' });
  });
});

describe('name and address cards', () => {
  it('tidies, splits and transliterates names', async () => {
    expect(await runCard('identity.normalizeName', { text: "  JEAN-LUC   o'brien " })).toEqual({
      text: "Jean-Luc O'Brien",
    });
    expect(await runCard('identity.splitName', { fullName: 'Smith, John Paul' })).toEqual({
      first: 'John',
      middle: 'Paul',
      last: 'Smith',
    });
    expect(await runCard('identity.transliterate', { text: 'Łukasz Müller' })).toEqual({ text: 'Lukasz Muller' });
  });

  it('fails a name card on an empty name with NAME_EMPTY', async () => {
    await expect(runCard('identity.normalizeName', { text: '   ' })).rejects.toMatchObject({ code: 'NAME_EMPTY' });
  });

  it('validates an address and says why one is unusable', async () => {
    expect(await runCard('identity.validateEmail', { address: ' Ana@Example.COM ' })).toEqual({
      valid: true,
      reason: null,
      normalized: 'Ana@example.com',
    });
    const bad = await runCard('identity.validateEmail', { address: 'ana@@example.com' });
    expect(bad).toMatchObject({ valid: false, normalized: null });
    expect(bad['reason']).toEqual(expect.any(String));
  });

  it('groups duplicate people with the reason and the rows', async () => {
    const people = [
      { email: 'a@x.org', first: 'José', last: 'Müller', birth: '1990-01-01' },
      { email: 'b@x.org', first: 'jose', last: 'muller', birth: '1990-01-01' },
      { email: 'A@x.org', first: 'Ana', last: 'Silva', birth: '1985-05-05' },
    ];
    const out = await runCard('identity.findDuplicates', {
      people,
      emailField: 'email',
      firstField: 'first',
      lastField: 'last',
      extraFields: ['birth'],
    });
    expect(out).toEqual({
      found: true,
      groups: [
        { indexes: [0, 2], reason: 'same email', confidence: 'certain', rows: [people[0], people[2]] },
        {
          indexes: [0, 1],
          reason: 'same normalized name and birth',
          confidence: 'likely',
          rows: [people[0], people[1]],
        },
      ],
    });
  });
});
