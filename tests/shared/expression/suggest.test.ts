import { describe, expect, it } from 'vitest';
import { closeNames, didYouMean } from '../../../src/shared/expression/suggest.js';

describe('did-you-mean hints', () => {
  it('find typos, swapped letters, other case and shared prefixes', () => {
    expect(closeNames('lowr', ['lower', 'upper', 'length'])).toEqual(['lower']);
    expect(closeNames('emial', ['email', 'status'])).toEqual(['email']);
    expect(closeNames('UPPER', ['upper', 'lower'])).toEqual(['upper']);
    expect(closeNames('start', ['startsWith', 'substring'])).toEqual(['startsWith']);
  });

  it('suggest nothing when no name is close', () => {
    expect(didYouMean('zebra', ['lower', 'upper'])).toBe('');
    expect(didYouMean('x', [])).toBe('');
  });

  it('list several close names in order of closeness', () => {
    expect(didYouMean('lenght', ['length', 'left', 'lengthy'])).toBe(' Did you mean `length` or `lengthy`?');
  });
});
