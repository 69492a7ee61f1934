import { describe, expect, it } from 'vitest';
import { CARD_IMPLEMENTATIONS } from '../../../src/engine/cards/registry.js';
import { textImplementations } from '../../../src/engine/cards/text.js';
import { textCards } from '../../../src/shared/cards/catalog/text.js';
import { code, outputs, runCard } from './fake-context.js';

const text = async (type: string, inputs: Record<string, unknown>) => (await outputs(type, inputs))['text'];

describe('text cards', () => {
  it('implements every text card with the catalog descriptor itself, and nothing else', () => {
    expect(textImplementations.map((impl) => impl.descriptor.type)).toEqual(textCards.map((d) => d.type));
    textCards.forEach((descriptor, n) => {
      expect(textImplementations[n]?.descriptor, descriptor.type).toBe(descriptor);
      expect(CARD_IMPLEMENTATIONS.get(descriptor.type), descriptor.type).toBe(textImplementations[n]);
      expect(descriptor.effect, descriptor.type).toBe('pure');
    });
  });

  it('compose passes the rendered text on', async () => {
    expect(await text('text.compose', { text: 'Welcome, Ana!' })).toBe('Welcome, Ana!');
    expect(await text('text.compose', { text: null })).toBe('');
  });

  it('concatenate joins the added parts in order with the separator', async () => {
    expect(await text('text.concatenate', { first: 'ana', second: 'lopez' })).toBe('analopez');
    expect(await text('text.concatenate', { separator: '.', first: 'ana', second: 'lopez', domain: null })).toBe(
      'ana.lopez.',
    );
    expect(await text('text.concatenate', {})).toBe('');
  });

  it('split cuts at every separator and keeps at most limit parts', async () => {
    expect(await outputs('text.split', { text: 'a,b,,c', separator: ',' })).toEqual({ list: ['a', 'b', '', 'c'] });
    expect(await outputs('text.split', { text: 'a,b,c,d', separator: ',', limit: 2 })).toEqual({ list: ['a', 'b'] });
    expect(await outputs('text.split', { text: 'a,b', separator: ',', limit: 0 })).toEqual({ list: [] });
    expect(await outputs('text.split', { text: '', separator: ',' })).toEqual({ list: [''] });
  });

  it('split with an empty separator gives whole characters, not halves of emoji', async () => {
    expect(await outputs('text.split', { text: 'a😀é', separator: '' })).toEqual({ list: ['a', '😀', 'é'] });
    expect(await outputs('text.split', { text: 'a😀é', separator: '', limit: 2 })).toEqual({ list: ['a', '😀'] });
  });

  it('replace changes every occurrence by default, or only the first', async () => {
    expect(await text('text.replace', { text: 'a-b-c', find: '-', replaceWith: '_' })).toBe('a_b_c');
    expect(await text('text.replace', { text: 'a-b-c', find: '-', replaceWith: '_', all: false })).toBe('a_b-c');
    expect(await text('text.replace', { text: 'a-b-c', find: '-' })).toBe('abc');
    expect(await text('text.replace', { text: 'abc', find: '', replaceWith: 'x' })).toBe('abc');
  });

  it('replace treats $ in the replacement literally', async () => {
    expect(await text('text.replace', { text: 'price: X', find: 'X', replaceWith: '$&$1', all: false })).toBe(
      'price: $&$1',
    );
    expect(await text('text.replace', { text: 'X X', find: 'X', replaceWith: '$&' })).toBe('$& $&');
  });

  it('regexFind lists every match and its groups', async () => {
    const result = await outputs('text.regexFind', {
      text: 'ana.lopez@example.com, bo.ek@example.org',
      pattern: '([a-z]+)\\.([a-z]+)@',
    });
    expect(result).toEqual({
      matches: ['ana.lopez@', 'bo.ek@'],
      groups: [
        ['ana', 'lopez'],
        ['bo', 'ek'],
      ],
      found: true,
    });
  });

  it('regexFind gives null for groups that did not take part and found=false without matches', async () => {
    expect(await outputs('text.regexFind', { text: 'ab', pattern: 'a(x)?(b)' })).toEqual({
      matches: ['ab'],
      groups: [[null, 'b']],
      found: true,
    });
    expect(await outputs('text.regexFind', { text: 'abc', pattern: '\\d+' })).toEqual({
      matches: [],
      groups: [],
      found: false,
    });
  });

  it('regexFind honours flags, including an explicit u, and ignores g / y', async () => {
    expect((await outputs('text.regexFind', { text: 'ANA ana', pattern: 'ana', flags: 'i' }))['matches']).toEqual([
      'ANA',
      'ana',
    ]);
    expect((await outputs('text.regexFind', { text: 'ANA ana', pattern: 'ana', flags: 'gy' }))['matches']).toEqual([
      'ana',
    ]);
    expect((await outputs('text.regexFind', { text: 'ANA ana', pattern: 'ana', flags: 'iu' }))['matches']).toEqual([
      'ANA',
      'ana',
    ]);
    expect((await outputs('text.regexFind', { text: '😀x', pattern: '^.x$', flags: 'u' }))['found']).toBe(true);
  });

  it('regexFind refuses an invalid or over-long pattern with TEXT_REGEX_INVALID', async () => {
    await expect(runCard('text.regexFind', { text: 'x', pattern: '([a-z' })).rejects.toEqual(
      code('TEXT_REGEX_INVALID'),
    );
    await expect(runCard('text.regexFind', { text: 'x', pattern: 'a', flags: 'q' })).rejects.toEqual(
      code('TEXT_REGEX_INVALID'),
    );
    await expect(runCard('text.regexFind', { text: 'x', pattern: 'a'.repeat(1001) })).rejects.toThrow(
      /limited to 1000/,
    );
    await expect(runCard('text.regexFind', { text: 'x', pattern: 'a'.repeat(1001) })).rejects.toEqual(
      code('TEXT_REGEX_INVALID'),
    );
  });

  it('explains a pattern mistake without repeating the engine jargon', async () => {
    const failure = runCard('text.regexFind', { text: 'x', pattern: '([a-z' });
    await expect(failure).rejects.toThrow(/^The pattern `\(\[a-z` is not a valid regular expression: /);
    await expect(failure).rejects.not.toThrow(/Invalid regular expression: \//);
    await expect(failure).rejects.toEqual(expect.objectContaining({ details: { pattern: '([a-z' } }));
  });

  it('hints at Unicode mode when a pattern escapes a plain character', async () => {
    await expect(runCard('text.regexFind', { text: 'ana@x', pattern: 'ana\\@x' })).rejects.toThrow(
      /Unicode mode: put a backslash only before special characters/,
    );
    expect((await outputs('text.regexFind', { text: 'ana@x', pattern: 'ana@x' }))['found']).toBe(true);
  });

  it('names unknown flags and the ones to use', async () => {
    await expect(runCard('text.regexReplace', { text: 'x', pattern: 'a', flags: 'ix' })).rejects.toThrow(
      /flags `ix`.*Use i \(ignore case\), m .* or s/,
    );
  });

  it('regexFind matches letters of any alphabet with \\p{L} and counts an emoji as one character', async () => {
    expect((await outputs('text.regexFind', { text: 'José Øberg', pattern: '\\p{L}+' }))['matches']).toEqual([
      'José',
      'Øberg',
    ]);
    expect((await outputs('text.regexFind', { text: 'a😀b', pattern: 'a.b' }))['found']).toBe(true);
  });

  it('regexReplace inserts captured groups with $1 and replaces all or only the first', async () => {
    expect(
      await text('text.regexReplace', {
        text: 'Lopez, Ana',
        pattern: '^(\\w+), (\\w+)$',
        replaceWith: '$2 $1',
      }),
    ).toBe('Ana Lopez');
    expect(await text('text.regexReplace', { text: 'a1b22c', pattern: '\\d+', replaceWith: '#' })).toBe('a#b#c');
    expect(await text('text.regexReplace', { text: 'a1b22c', pattern: '\\d+', replaceWith: '#', global: false })).toBe(
      'a#b22c',
    );
    expect(await text('text.regexReplace', { text: 'A a', pattern: 'a', replaceWith: 'x', flags: 'i' })).toBe('x x');
    await expect(runCard('text.regexReplace', { text: 'x', pattern: '(' })).rejects.toEqual(code('TEXT_REGEX_INVALID'));
  });

  it('lower, upper and trim', async () => {
    expect(await text('text.lower', { text: 'José MÜLLER' })).toBe('josé müller');
    expect(await text('text.upper', { text: 'José Müller' })).toBe('JOSÉ MÜLLER');
    expect(await text('text.trim', { text: ' \t ana@example.com \n' })).toBe('ana@example.com');
  });

  it('substring counts code points and accepts negative positions', async () => {
    expect(await text('text.substring', { text: 'Flowstead', start: 0, end: 4 })).toBe('Flow');
    expect(await text('text.substring', { text: 'Flowstead', start: 4 })).toBe('stead');
    expect(await text('text.substring', { text: 'Flowstead', start: -4 })).toBe('tead');
    expect(await text('text.substring', { text: 'Flowstead', start: 1, end: -1 })).toBe('lowstea');
    expect(await text('text.substring', { text: '😀José', start: 1, end: 3 })).toBe('Jo');
    expect(await text('text.substring', { text: 'a😀b', start: 1, end: 2 })).toBe('😀');
    expect(await text('text.substring', { text: 'abc', start: 5 })).toBe('');
  });

  it('length counts code points, so an emoji is one character', async () => {
    expect(await outputs('text.length', { text: 'José' })).toEqual({ length: 4 });
    expect(await outputs('text.length', { text: '👍🏽' })).toEqual({ length: 2 });
    expect(await outputs('text.length', { text: 'a😀' })).toEqual({ length: 2 });
    expect(await outputs('text.length', { text: '' })).toEqual({ length: 0 });
  });

  it('base64 encodes UTF-8 and decodes it back', async () => {
    const encoded = await text('text.base64Encode', { text: 'José Müller' });
    expect(encoded).toBe(Buffer.from('José Müller', 'utf8').toString('base64'));
    expect(encoded).toBe('Sm9zw6kgTcO8bGxlcg==');
    expect(await text('text.base64Decode', { text: encoded })).toBe('José Müller');
    expect(await text('text.base64Decode', { text: 'Sm9zw6kg\nTcO8bGxlcg==' })).toBe('José Müller');
    expect(await text('text.base64Encode', { text: '' })).toBe('');
    expect(await text('text.base64Decode', { text: '' })).toBe('');
  });

  it('base64 url-safe uses - and _ without padding', async () => {
    const source = 'subjects?>>~ José';
    const standard = (await text('text.base64Encode', { text: source })) as string;
    const urlSafe = (await text('text.base64Encode', { text: source, urlSafe: true })) as string;
    expect(standard).toMatch(/[+/]/);
    expect(urlSafe).not.toMatch(/[+/=]/);
    expect(urlSafe).toBe(standard.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''));
    expect(await text('text.base64Decode', { text: urlSafe, urlSafe: true })).toBe(source);
  });

  it('refuses text that is not Base64 with TEXT_BASE64_INVALID', async () => {
    await expect(runCard('text.base64Decode', { text: 'not base64!' })).rejects.toEqual(code('TEXT_BASE64_INVALID'));
    await expect(runCard('text.base64Decode', { text: 'abcde' })).rejects.toEqual(code('TEXT_BASE64_INVALID'));
    await expect(runCard('text.base64Decode', { text: 'ab-_' })).rejects.toThrow(/urlSafe/);
    await expect(runCard('text.base64Decode', { text: 'ab+/', urlSafe: true })).rejects.toEqual(
      code('TEXT_BASE64_INVALID'),
    );
  });

  it('refuses Base64 of data that is not UTF-8 text instead of giving garbled characters', async () => {
    const latin1 = Buffer.from('José', 'latin1').toString('base64');
    await expect(runCard('text.base64Decode', { text: latin1 })).rejects.toEqual(code('TEXT_BASE64_NOT_TEXT'));
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff]).toString('base64');
    await expect(runCard('text.base64Decode', { text: png })).rejects.toThrow(/not UTF-8 text/);
  });
});
