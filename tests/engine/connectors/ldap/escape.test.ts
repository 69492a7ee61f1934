import { describe, expect, it } from 'vitest';
import { escapeDnValue, escapeFilterValue } from '../../../../src/engine/connectors/ldap/escape.js';
import { splitDn } from '../../../../src/engine/connectors/ldap/entries.js';

describe('escapeFilterValue (RFC 4515)', () => {
  it('escapes the characters that would change a filter', () => {
    expect(escapeFilterValue("O'Brien (contractor)*")).toBe("O'Brien \\28contractor\\29\\2a");
    expect(escapeFilterValue('a\\b')).toBe('a\\5cb');
    expect(escapeFilterValue('nul\0byte')).toBe('nul\\00byte');
  });

  it('leaves ordinary text, accents and DN punctuation alone', () => {
    expect(escapeFilterValue('Zoë Müller-Ørsted, IT')).toBe('Zoë Müller-Ørsted, IT');
  });
});

describe('escapeDnValue (RFC 4514)', () => {
  it('escapes DN specials anywhere in the value', () => {
    expect(escapeDnValue('Smith, John')).toBe('Smith\\, John');
    expect(escapeDnValue('a+b"c\\d<e>f;g')).toBe('a\\+b\\"c\\\\d\\<e\\>f\\;g');
  });

  it('escapes a leading space or hash and a trailing space', () => {
    expect(escapeDnValue(' #lead')).toBe('\\ #lead');
    expect(escapeDnValue('#1 fan')).toBe('\\#1 fan');
    expect(escapeDnValue('trail ')).toBe('trail\\ ');
  });

  it('keeps parentheses, stars and accents, which are plain in DNs', () => {
    expect(escapeDnValue("O'Brien (contractor)*")).toBe("O'Brien (contractor)*");
    expect(escapeDnValue('Zoë')).toBe('Zoë');
  });
});

describe('splitDn', () => {
  it('splits at the first unescaped comma', () => {
    expect(splitDn('cn=Smith\\, John,ou=People,dc=example,dc=test')).toEqual({
      rdn: 'cn=Smith\\, John',
      parentDn: 'ou=People,dc=example,dc=test',
    });
  });
});
