import { FlowsteadError } from '../../shared/errors.js';

export const DEFAULT_ALLOWED_CHARACTERS = 'a-z0-9._-';

/** Characters a dot-atom local part may hold (RFC 5322 atext plus the dot); addresses are lower case. */
const ADDRESS_SAFE = /^[a-z0-9!#$%&'*+\-/=?^_`{|}~.]$/;

/**
 * Reads a character-class style list ("a-z0-9._-") into a lookup table indexed by char code.
 * A "-" at the start or end is the hyphen itself, as in a regular-expression class.
 * Upper-case letters count as their lower-case form because generated addresses are lower case.
 */
export function parseAllowedCharacters(spec: string): readonly boolean[] {
  if (typeof spec !== 'string' || spec === '') {
    throw allowedError(spec, 'is empty; use a list like "a-z0-9._-"');
  }
  const allowed = new Array<boolean>(128).fill(false);
  const chars = [...spec];
  for (let i = 0; i < chars.length; i++) {
    const start = chars[i] ?? '';
    const isRange = chars[i + 1] === '-' && i + 2 < chars.length;
    const end = isRange ? (chars[i + 2] ?? '') : start;
    const from = start.toLowerCase().charCodeAt(0);
    const to = end.toLowerCase().charCodeAt(0);
    if (from > to) throw allowedError(spec, `has the backwards range "${start}-${end}"; write it as "${end}-${start}"`);
    for (let code = from; code <= to; code++) {
      const char = String.fromCharCode(code);
      if (!ADDRESS_SAFE.test(char)) {
        throw allowedError(spec, `includes "${char}", which a mail address cannot hold; remove it`);
      }
      allowed[code] = true;
    }
    if (isRange) i += 2;
  }
  return allowed;
}

function allowedError(spec: unknown, problem: string): FlowsteadError {
  return new FlowsteadError(
    'ADDRESS_ALLOWED_CHARACTERS_INVALID',
    `The allowed characters "${String(spec)}" ${problem}.`,
    {
      allowedCharacters: spec,
    },
  );
}
