import { describe, expect, it } from 'vitest';
import {
  createAddressGenerator,
  generateUniqueAddresses,
  type AddressGeneratorOptions,
  type AddressResult,
  type PersonName,
} from '../../../src/engine/identity/unique-addresses.js';
import { validateEmailAddress } from '../../../src/engine/identity/email.js';
import { caught } from '../../support/caught.js';

const mail: AddressGeneratorOptions = { domain: 'example.com' };

function addresses(people: PersonName[], options: AddressGeneratorOptions = mail): string[] {
  return generateUniqueAddresses(people, options).map((r) => (r.ok ? r.address : `!${r.error.code}`));
}

function one(person: PersonName, options: AddressGeneratorOptions = mail): string {
  return addresses([person], options)[0] ?? '';
}

describe('generateUniqueAddresses: turning names into addresses', () => {
  it('strips accents rather than spelling them out', () => {
    expect(one({ first: 'José', last: 'Müller' })).toBe('jose.muller@example.com');
  });

  it('drops apostrophes and spaces, keeps hyphens unless asked not to', () => {
    expect(one({ first: 'Seán', last: "O'Brien" })).toBe('sean.obrien@example.com');
    expect(one({ first: 'Siobhán', last: 'O’Connor' })).toBe('siobhan.oconnor@example.com');
    expect(one({ first: 'Anna', last: 'van der Berg' })).toBe('anna.vanderberg@example.com');
    expect(one({ first: 'Jean-Luc', last: 'Picard' })).toBe('jean-luc.picard@example.com');
    expect(one({ first: 'Jean-Luc', last: 'Picard' }, { ...mail, keepHyphens: false })).toBe(
      'jeanluc.picard@example.com',
    );
  });

  it('spells out letters without accents: ß æ ø ł đ þ', () => {
    expect(
      addresses([
        { first: 'Jörg', last: 'Weiß' },
        { first: 'Ægir', last: 'Sæmundsson' },
        { first: 'Søren', last: 'Kierkegård' },
        { first: 'Łukasz', last: 'Wałęsa' },
        { first: 'Đorđe', last: 'Đoković' },
        { first: 'Þóra', last: 'Sigurðardóttir' },
      ]),
    ).toEqual([
      'jorg.weiss@example.com',
      'aegir.saemundsson@example.com',
      'soren.kierkegard@example.com',
      'lukasz.walesa@example.com',
      'dorde.dokovic@example.com',
      'thora.sigurdardottir@example.com',
    ]);
  });

  it('transliterates Cyrillic and Greek names', () => {
    expect(one({ first: 'Борис', last: 'Щукин' })).toBe('boris.schukin@example.com');
    expect(one({ first: 'Αθηνά', last: 'Παππά' })).toBe('athina.pappa@example.com');
  });

  it('reports a Chinese name it cannot spell as a row error asking for a romanised spelling', () => {
    const [result] = generateUniqueAddresses([{ first: '伟', last: '张' }], mail);
    expect(result).toMatchObject({ ok: false, error: { code: 'NAME_UNREPRESENTABLE' } });
    expect(result?.ok === false && result.error.message).toContain('"伟"');
    expect(result?.ok === false && result.error.message).toContain('pinyin');
  });

  it('produces usernames when no domain is given', () => {
    expect(generateUniqueAddresses([{ first: 'Ada', last: 'Lovelace' }], { pattern: '{f}{last}' })[0]).toEqual({
      ok: true,
      address: 'alovelace',
      localPart: 'alovelace',
      attempt: 1,
    });
  });

  it('supports the built-in patterns and custom templates', () => {
    const person = { first: 'John', middle: 'Quincy', last: 'Smith' };
    expect(one(person, { pattern: '{first}.{last}' })).toBe('john.smith');
    expect(one(person, { pattern: '{f}{last}' })).toBe('jsmith');
    expect(one(person, { pattern: '{first}{l}' })).toBe('johns');
    expect(one(person, { pattern: '{first}.{middle_initial}.{last}' })).toBe('john.q.smith');
    expect(one(person, { pattern: '{last}_{f}{m}' })).toBe('smith_jq');
    expect(one(person, { pattern: '{first}-{middle}-{last}' })).toBe('john-quincy-smith');
  });

  it('leaves no doubled or dangling separator when the middle name is missing', () => {
    expect(one({ first: 'John', last: 'Smith' }, { ...mail, pattern: '{first}.{middle_initial}.{last}' })).toBe(
      'john.smith@example.com',
    );
    expect(one({ first: 'John', last: 'Smith', middle: ' ' }, { pattern: '{last}.{middle}' })).toBe('smith');
  });

  it('produces addresses that pass email validation', () => {
    const results = generateUniqueAddresses(
      [
        { first: "D'Arcy", last: '-Smith-' },
        { first: 'Ola.', last: '.Nordmann' },
      ],
      mail,
    );
    for (const result of results) {
      expect(result.ok).toBe(true);
      if (result.ok) expect(validateEmailAddress(result.address).valid).toBe(true);
    }
  });
});

describe('generateUniqueAddresses: collisions', () => {
  it('numbers identical names from 2 upwards', () => {
    const people = Array.from({ length: 5 }, () => ({ first: 'John', last: 'Smith' }));
    const results = generateUniqueAddresses(people, mail);
    expect(results.map((r) => r.ok && r.address)).toEqual([
      'john.smith@example.com',
      'john.smith2@example.com',
      'john.smith3@example.com',
      'john.smith4@example.com',
      'john.smith5@example.com',
    ]);
    expect(results.map((r) => r.ok && r.attempt)).toEqual([1, 2, 3, 4, 5]);
  });

  it('numbers people whose different names give the same address as one name, in row order', () => {
    // {f}{last}: John, Jane and Jim Smith are all jsmith; the same person spelled three ways is one name.
    expect(
      addresses(
        [
          { first: 'John', last: 'Smith' },
          { first: 'Jane', last: 'Smith' },
          { first: 'John', last: 'Smith' },
          { first: 'Jim', last: 'Smith' },
        ],
        { ...mail, pattern: '{f}{last}' },
      ),
    ).toEqual(['jsmith@example.com', 'jsmith2@example.com', 'jsmith3@example.com', 'jsmith4@example.com']);
    expect(
      addresses([
        { first: 'José', last: 'Müller' },
        { first: 'Jose', middle: 'A', last: 'Muller' },
        { first: ' JOSÉ ', middle: 'B', last: 'MÜLLER' },
        { first: 'José', last: 'Müller' },
      ]),
    ).toEqual([
      'jose.muller@example.com',
      'jose.muller2@example.com',
      'jose.muller3@example.com',
      'jose.muller4@example.com',
    ]);
  });

  it('never repeats an address when a name ending in a digit, or one cut to fit, meets numbered ones', () => {
    // With a lookup every name's numbered forms are known, so the generator counts its claims by
    // name; names ending in digits and cut names can meet another name's numbers, and are checked.
    const nothingInUse = { has: () => false, hasPrefix: () => false, valuesInRange: () => [] };
    const withLookup = { ...mail, existingLookups: [nothingInUse] };
    const silva = { first: 'Ana', last: 'Silva' };
    const silva2 = { first: 'Ana', last: 'Silva2' };
    expect(
      addresses([silva, silva, silva, silva2, silva, silva2, { first: 'Ana', last: 'Silva1' }], withLookup),
    ).toEqual([
      'ana.silva@example.com',
      'ana.silva2@example.com',
      'ana.silva3@example.com',
      'ana.silva22@example.com',
      'ana.silva4@example.com',
      'ana.silva23@example.com',
      'ana.silva1@example.com',
    ]);
    // Local parts of at most 8: "ana.silb" fits whole; its number 2 does not, and the cut
    // "ana.sil2" is Ana Sil's second address.
    const sil = { first: 'Ana', last: 'Sil' };
    const silb = { first: 'Ana', last: 'Silb' };
    expect(addresses([sil, sil, sil, silb, silb, sil], { ...withLookup, maxLength: 8 })).toEqual([
      'ana.sil@example.com',
      'ana.sil2@example.com',
      'ana.sil3@example.com',
      'ana.silb@example.com',
      'ana.sil4@example.com',
      'ana.sil5@example.com',
    ]);
  });

  it('keeps numbering a name after more than 100,000 different name parts', () => {
    // Cleaned name parts are remembered up to a limit; past it the generator starts that memory over.
    const people: PersonName[] = [{ first: 'Ann', last: 'Lee' }];
    for (let i = 0; i < 100_001; i++) people.push({ first: `Ann${i}`, last: 'Lee' });
    people.push({ first: 'Ann', last: 'Lee' });
    const results = addresses(people, { domain: 'example.com', allowedCharacters: 'a-z0-9.' });
    expect(results[0]).toBe('ann.lee@example.com');
    expect(results.at(-1)).toBe('ann.lee2@example.com');
    expect(new Set(results).size).toBe(people.length);
  });

  it('tries the middle initial before numbers with middleInitialThenNumeric', () => {
    const options: AddressGeneratorOptions = { ...mail, collision: 'middleInitialThenNumeric' };
    const results = generateUniqueAddresses(
      [
        { first: 'John', middle: 'Quincy', last: 'Smith' },
        { first: 'John', middle: 'Quincy', last: 'Smith' },
        { first: 'John', middle: 'Paul', last: 'Smith' },
        { first: 'John', last: 'Smith' },
      ],
      options,
    );
    expect(results.map((r) => r.ok && r.localPart)).toEqual([
      'john.smith',
      'john.q.smith',
      'john.p.smith',
      'john.smith2',
    ]);
    expect(results.map((r) => r.ok && r.attempt)).toEqual([1, 2, 2, 3]);
    expect(
      addresses(
        [
          { first: 'Ann', middle: 'B', last: 'Cole' },
          { first: 'Ann', middle: 'Beth', last: 'Cole' },
        ],
        {
          pattern: '{f}{last}',
          collision: 'middleInitialThenNumeric',
        },
      ),
    ).toEqual(['acole', 'abcole']);
  });

  it('never hands out reserved names, compared case-insensitively', () => {
    expect(addresses([{ first: 'A', last: 'Dmin' }], { pattern: '{f}{last}' })).toEqual(['admin2']);
    expect(addresses([{ first: 'Root', last: 'X' }], { pattern: '{first}' })).toEqual(['root2']);
    expect(addresses([{ first: 'Hr', last: 'X' }], { pattern: '{first}', reserved: ['HR'] })).toEqual(['hr2']);
    expect(addresses([{ first: 'Info', last: 'X' }], { pattern: '{first}', useDefaultReserved: false })).toEqual([
      'info',
    ]);
  });

  it('skips existing addresses in the same domain and ignores other domains', () => {
    const existing = ['John.Smith@EXAMPLE.com', 'john.smith2@example.com', 'jane.doe@other.org', ' jsmith '];
    expect(
      addresses(
        [
          { first: 'John', last: 'Smith' },
          { first: 'Jane', last: 'Doe' },
        ],
        { ...mail, existing },
      ),
    ).toEqual(['john.smith3@example.com', 'jane.doe@example.com']);
    expect(addresses([{ first: 'John', last: 'Smith' }], { pattern: '{f}{last}', existing })).toEqual(['jsmith2']);
  });

  it('asks an external lookup only about candidates it does not already know are taken', () => {
    const elsewhere = new Set(['john.smith', 'john.smith2', 'root2']);
    const asked: string[] = [];
    const inUse = (localPart: string) => {
      asked.push(localPart);
      return elsewhere.has(localPart);
    };
    const generator = createAddressGenerator({ ...mail, inUse });
    const first = generator.next({ first: 'John', last: 'Smith' });
    const second = generator.next({ first: 'John', last: 'Smith' });
    expect([first, second].map((r) => (r.ok ? r.address : r.error.code))).toEqual([
      'john.smith3@example.com',
      'john.smith4@example.com',
    ]);
    // The second John Smith starts at suffix 4: the generator remembers, no second round of questions.
    expect(asked).toEqual(['john.smith', 'john.smith2', 'john.smith3', 'john.smith4']);
    // Reserved names are refused before the lookup is asked.
    expect(addresses([{ first: 'Root', last: 'X' }], { pattern: '{first}', inUse })).toEqual(['root3']);
  });

  it('fetches a name’s numbered forms in use once, and asks only about the other candidates', () => {
    const elsewhere = ['ana.silva', 'ana.silva2', 'ana.silva3', 'ana.silva.x', 'ana.silvas'];
    const asked: string[] = [];
    const fetchedFor: string[] = [];
    const generator = createAddressGenerator({
      ...mail,
      collision: 'middleInitialThenNumeric',
      inUse: (localPart) => {
        asked.push(localPart);
        return elsewhere.includes(localPart);
      },
      inUseNumbered: (base) => {
        fetchedFor.push(base);
        // A source may return more than the numbered forms: the generator keeps only those.
        return elsewhere.filter((l) => l.startsWith(base));
      },
    });
    const results = [1, 2, 3].map(() => generator.next({ first: 'Ana', middle: 'Beatriz', last: 'Silva' }));
    expect(results.map((r) => (r.ok ? r.localPart : r.error.code))).toEqual([
      'ana.b.silva',
      'ana.silva4',
      'ana.silva5',
    ]);
    expect(fetchedFor).toEqual(['ana.silva']);
    // The plain and the middle-initial forms are asked about; numbered ones come from the fetch.
    expect(asked).toEqual(['ana.silva', 'ana.b.silva']);
  });

  it('asks a lookup once per name, with one range read by the rules for addresses in use', () => {
    // Values as an indexed column returns them (lower case), between the name and the name + 'a'.
    const stored = [
      'jo@example.com', // the name itself: taken
      'jo2@example.com', // taken
      'jo03@example.com', // leading zero: blocks jo03, which is never a candidate, not jo3
      'jo4@other.example', // another domain: blocks nothing
      'jo5', // a bare local part: taken
      'jo.x@example.com', // another name
      'jo6@example.com.evil', // not this domain
      'jo7@example.com',
    ];
    const ranges: [string, string][] = [];
    const asked: string[] = [];
    const lookup = {
      has: (value: string) => {
        asked.push(value);
        return stored.includes(value);
      },
      hasPrefix: (prefix: string) => stored.some((v) => v.startsWith(prefix)),
      valuesInRange: (from: string, to: string) => {
        ranges.push([from, to]);
        return stored.filter((v) => v >= from && v < to);
      },
    };
    const generator = createAddressGenerator({ ...mail, pattern: '{first}', existingLookups: [lookup] });
    const results = [1, 2, 3, 4, 5].map(() => generator.next({ first: 'Jo', last: 'X' }));
    expect(results.map((r) => (r.ok ? r.localPart : r.error.code))).toEqual(['jo3', 'jo4', 'jo6', 'jo8', 'jo9']);
    expect(ranges).toEqual([['jo', 'joa']]);
    expect(asked).toEqual([]);

    // Usernames (no domain): an address in any domain blocks its local part.
    const usernames = createAddressGenerator({ pattern: '{first}', existingLookups: [lookup] });
    expect([1, 2, 3].map(() => usernames.next({ first: 'Jo', last: 'X' })).map((r) => r.ok && r.localPart)).toEqual([
      'jo3',
      'jo8',
      'jo9',
    ]);
  });

  it('reads ahead, once per name, the ranges of people told about before their turn', () => {
    const readAhead: [string, string][][] = [];
    const lookup = {
      has: () => false,
      hasPrefix: () => false,
      valuesInRange: (from: string) => (from === 'ann.lee' ? ['ann.lee@example.com'] : []),
      readAhead: (ranges: readonly (readonly [string, string])[]) => readAhead.push(ranges.map(([a, b]) => [a, b])),
    };
    const generator = createAddressGenerator({ ...mail, existingLookups: [lookup] });
    expect(generator.next({ first: 'Bo', last: 'Ek' })).toMatchObject({ localPart: 'bo.ek' });
    generator.readAhead([
      { first: 'Ann', last: 'Lee' },
      { first: 'Bo', last: 'Ek' }, // its name was read when it came
      { first: 'ANN', last: 'LEE' }, // the same name: asked once
      { first: '', last: 'Lee' }, // no name: nothing to read
      { first: 'Cy', last: 'Ho' },
    ]);
    generator.readAhead([{ first: 'Cy', last: 'Ho' }]); // asked already
    expect(readAhead).toEqual([
      [
        ['ann.lee', 'ann.leea'],
        ['cy.ho', 'cy.hoa'],
      ],
    ]);
    // The addresses are those the lookup gives, read ahead or not.
    expect(generator.next({ first: 'Ann', last: 'Lee' })).toMatchObject({ localPart: 'ann.lee2' });
  });

  it('gives people told about ahead the same addresses, also when some never come or come twice', () => {
    const lookup = { has: () => false, hasPrefix: () => false, valuesInRange: () => [], readAhead: () => undefined };
    const names = ['Ana', 'Bo', 'Cy', 'Di', 'Ed'];
    const people: PersonName[] = Array.from({ length: 60 }, (_, i) => ({ first: names[i % 5], last: 'Lee' }));
    // Rows 10 to 29 skip the card (a branch); row 40 asks twice (its first address was taken elsewhere).
    const comes = people.flatMap((person, i) => (i >= 10 && i < 30 ? [] : i === 40 ? [person, person] : [person]));
    const told = createAddressGenerator({ ...mail, existingLookups: [lookup] });
    told.readAhead(people);
    const plain = createAddressGenerator({ ...mail, existingLookups: [lookup] });
    expect(comes.map((person) => told.next(person))).toEqual(comes.map((person) => plain.next(person)));
  });

  it('copes with a million existing addresses', () => {
    const existing = Array.from({ length: 1_000_000 }, (_, i) => `user${i}@example.com`);
    existing.push('John.Smith@example.com');
    const results = addresses(
      [
        { first: 'John', last: 'Smith' },
        { first: 'User', last: '12' },
      ],
      { ...mail, existing },
    );
    expect(results).toEqual(['john.smith2@example.com', 'user.12@example.com']);
  });

  it('gives 20,000 people with the same name 20,000 distinct numbered addresses', () => {
    const generator = createAddressGenerator(mail);
    const seen = new Set<string>();
    let last: AddressResult | undefined;
    for (let i = 0; i < 20_000; i++) {
      last = generator.next({ first: 'Maria', last: 'García' });
      if (last.ok) seen.add(last.address);
    }
    expect(seen.size).toBe(20_000);
    expect(last).toEqual({
      ok: true,
      address: 'maria.garcia20000@example.com',
      localPart: 'maria.garcia20000',
      attempt: 20_000,
    });
  });

  it('is deterministic: the same people in the same order get the same addresses', () => {
    const people = [
      { first: 'John', last: 'Smith' },
      { first: 'José', last: 'Müller' },
      { first: 'John', last: 'Smith' },
      { first: 'Jose', last: 'Muller' },
    ];
    const first = generateUniqueAddresses(people, mail);
    expect(generateUniqueAddresses(people, mail)).toEqual(first);
    expect(first.map((r) => r.ok && r.localPart)).toEqual(['john.smith', 'jose.muller', 'john.smith2', 'jose.muller2']);
  });
});

describe('generateUniqueAddresses: length limits', () => {
  const longName = {
    first: 'Maximiliane',
    last: 'Wolfeschlegelsteinhausenbergerdorffwelchevoralternwarengewissenhaft',
  };

  it('truncates the name, not the suffix, and stays within 64 characters', () => {
    const [first, second] = generateUniqueAddresses([longName, longName], mail);
    expect(first?.ok && first.localPart.length).toBe(64);
    expect(second?.ok && second.localPart.length).toBe(64);
    expect(second?.ok && second.localPart.endsWith('2')).toBe(true);
    expect(first?.ok && second?.ok && second.localPart.slice(0, 63)).toBe(first?.ok && first.localPart.slice(0, 63));
  });

  it('never leaves a trailing dot or hyphen after truncation', () => {
    const results = generateUniqueAddresses(
      [
        { first: 'Jean-Luc', last: 'Picard' },
        { first: 'Jean-Luc', last: 'Picard' },
      ],
      { pattern: '{first}.{last}', maxLength: 9 },
    );
    expect(results.map((r) => r.ok && r.localPart)).toEqual(['jean-luc', 'jean-luc2']);
    expect(one({ first: 'Anna', last: 'Berg' }, { maxLength: 5 })).toBe('anna');
  });

  it('keeps the whole address within 254 characters for a long domain', () => {
    const domain = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(60)}.com`;
    const [result] = generateUniqueAddresses([longName], { domain });
    expect(result?.ok && result.address.length).toBeLessThanOrEqual(254);
    expect(result?.ok && validateEmailAddress(result.address).valid).toBe(true);
  });

  it('reports a row error when no suffix fits any more', () => {
    const results = generateUniqueAddresses(
      Array.from({ length: 11 }, () => ({ first: 'Bo', last: 'Li' })),
      { pattern: '{f}{l}', maxLength: 2 },
    );
    expect(results.slice(0, 10).map((r) => r.ok && r.localPart)).toEqual([
      'bl',
      'b2',
      'b3',
      'b4',
      'b5',
      'b6',
      'b7',
      'b8',
      'b9',
      false,
    ]);
    expect(results[10]).toMatchObject({ ok: false, error: { code: 'NO_FREE_ADDRESS' } });
  });
});

describe('generateUniqueAddresses: bad rows and bad options', () => {
  it('returns a per-row error for empty names and carries on', () => {
    const results = generateUniqueAddresses(
      [{ first: '', last: 'Smith' }, { first: 'Ann', last: '   ' }, null, { first: 'Ann', last: 'Lee' }],
      mail,
    );
    expect(results.map((r) => (r.ok ? r.address : r.error.code))).toEqual([
      'NAME_EMPTY',
      'NAME_EMPTY',
      'NAME_EMPTY',
      'ann.lee@example.com',
    ]);
    expect(results[0]?.ok === false && results[0].error.message).toContain('first name');
    expect(results[1]?.ok === false && results[1].error.message).toContain('last name');
  });

  it('needs only the name parts the pattern uses', () => {
    expect(one({ first: 'Cher' }, { pattern: '{first}' })).toBe('cher');
  });

  it('rejects an unknown template token up front, naming it', () => {
    const error = caught(() => createAddressGenerator({ pattern: '{frist}.{last}' }));
    expect(error.code).toBe('ADDRESS_PATTERN_UNKNOWN_TOKEN');
    expect(error.message).toContain('{frist}');
    expect(error.message).toContain('{first}');
  });

  it.each([
    [{ pattern: '{first' }, 'ADDRESS_PATTERN_INVALID'],
    [{ pattern: 'first}' }, 'ADDRESS_PATTERN_INVALID'],
    [{ pattern: 'staff' }, 'ADDRESS_PATTERN_INVALID'],
    [{ pattern: '{first}+{last}' }, 'ADDRESS_PATTERN_INVALID'],
    [{ domain: 'example' }, 'ADDRESS_DOMAIN_INVALID'],
    [{ domain: 'exa mple.com' }, 'ADDRESS_DOMAIN_INVALID'],
    [{ domain: 'example.com', maxLength: 65 }, 'ADDRESS_MAX_LENGTH_INVALID'],
    [{ maxLength: 0 }, 'ADDRESS_MAX_LENGTH_INVALID'],
    [{ allowedCharacters: 'a-z@' }, 'ADDRESS_ALLOWED_CHARACTERS_INVALID'],
    [{ allowedCharacters: 'z-a' }, 'ADDRESS_ALLOWED_CHARACTERS_INVALID'],
    [{ collision: 'random' as 'numeric' }, 'ADDRESS_COLLISION_INVALID'],
  ])('rejects the options %j with %s', (options, code) => {
    expect(caught(() => createAddressGenerator(options)).code).toBe(code);
  });

  it('applies allowedCharacters to names (digits dropped when not allowed)', () => {
    expect(one({ first: 'Anna2', last: 'Lee' }, { allowedCharacters: 'a-z.' })).toBe('anna.lee');
    expect(one({ first: 'Jean-Luc', last: 'Picard' }, { allowedCharacters: 'a-z0-9.' })).toBe('jeanluc.picard');
  });
});
