import { describe, expect, it } from 'vitest';
import { validateEmailAddress } from '../../../src/engine/identity/email.js';

describe('validateEmailAddress', () => {
  it('accepts ordinary addresses and lower-cases only the domain', () => {
    expect(validateEmailAddress('  John.Smith@Example.COM ')).toEqual({
      valid: true,
      normalized: 'John.Smith@example.com',
    });
    expect(validateEmailAddress("o'brien+it@mail.example.co.uk").valid).toBe(true);
  });

  it.each([
    ['', 'empty'],
    ['john.example.com', 'no "@"'],
    ['@example.com', 'before "@" is empty'],
    ['.john@example.com', 'starts with a dot'],
    ['john.@example.com', 'ends with a dot'],
    ['john..smith@example.com', 'two dots'],
    ['john smith@example.com', 'contains " "'],
    ['a@b@example.com', 'contains "@"'],
    ['"john smith"@example.com', 'Quoted'],
    ['john@', 'domain (after "@") is empty'],
    ['john@localhost', 'no dot'],
    ['john@example..com', 'empty part'],
    ['john@-example.com', 'hyphen'],
    ['john@example-.com', 'hyphen'],
    ['john@exa_mple.com', 'only letters, digits and hyphens'],
    ['john@exämple.com', 'xn--'],
    ['john@example.123', 'all digits'],
    ['john@[192.0.2.1]', 'IP-address'],
  ])('rejects %j, saying what is wrong', (address, reason) => {
    const result = validateEmailAddress(address);
    expect(result.valid).toBe(false);
    expect(result.reason).toContain(reason);
    expect(result.normalized).toBeUndefined();
  });

  it('enforces the RFC 5321 length limits', () => {
    expect(validateEmailAddress(`${'a'.repeat(64)}@example.com`).valid).toBe(true);
    expect(validateEmailAddress(`${'a'.repeat(65)}@example.com`).reason).toContain('at most 64');
    const label = 'b'.repeat(63);
    const longDomain = `${label}.${label}.${label}.${'c'.repeat(58)}.com`;
    expect(validateEmailAddress(`john@${longDomain}`).reason).toContain('at most 254');
    expect(validateEmailAddress(`john@${'d'.repeat(64)}.com`).reason).toContain('at most 63');
  });

  it('accepts 1-character and 63-character domain labels and numeric labels below the top level', () => {
    expect(validateEmailAddress(`x@a.${'b'.repeat(63)}.com`).valid).toBe(true);
    expect(validateEmailAddress('x@123.example.com').valid).toBe(true);
  });
});
