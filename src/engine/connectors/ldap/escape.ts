/**
 * Escaping for values that come from users or spreadsheets and end up inside LDAP filters or DNs.
 * Without it a name such as `O'Brien (contractor)*` changes the meaning of a filter.
 */

/** Escapes a value for use inside an LDAP search filter assertion (RFC 4515 section 3). */
export function escapeFilterValue(value: string): string {
  let escaped = '';
  for (const char of value) {
    switch (char) {
      case '\\':
        escaped += '\\5c';
        break;
      case '*':
        escaped += '\\2a';
        break;
      case '(':
        escaped += '\\28';
        break;
      case ')':
        escaped += '\\29';
        break;
      case '\0':
        escaped += '\\00';
        break;
      default:
        escaped += char;
    }
  }
  return escaped;
}

const DN_SPECIALS = new Set(['"', '+', ',', ';', '<', '>', '\\']);

/** Escapes an attribute value for use inside a distinguished name, e.g. the `cn` of a new user (RFC 4514 section 2.4). */
export function escapeDnValue(value: string): string {
  const chars = [...value];
  return chars
    .map((char, index) => {
      if (char === '\0') return '\\00';
      if (DN_SPECIALS.has(char)) return `\\${char}`;
      // A leading space or '#' and a trailing space would otherwise be read as syntax or trimmed.
      if (index === 0 && (char === ' ' || char === '#')) return `\\${char}`;
      if (index === chars.length - 1 && char === ' ') return '\\ ';
      return char;
    })
    .join('');
}
