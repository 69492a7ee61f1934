/**
 * The slice of SOQL the Salesforce emulator understands:
 * `SELECT f1, f2 FROM Type [WHERE f = 'x' AND (g != null OR h LIKE 'a%') AND k IN ('a','b')]
 * [ORDER BY f [ASC|DESC]] [LIMIT n]`. Keywords and field names are case-insensitive, as in SOQL.
 */

export class SoqlError extends Error {
  constructor(
    readonly errorCode: 'MALFORMED_QUERY' | 'INVALID_FIELD' | 'INVALID_TYPE',
    message: string,
  ) {
    super(message);
  }
}

type Value = string | number | boolean | null;
export type SoqlCondition =
  | { kind: 'compare'; field: string; op: '=' | '!=' | '<' | '>' | '<=' | '>=' | 'LIKE'; value: Value }
  | { kind: 'in'; field: string; values: Value[]; negated: boolean }
  | { kind: 'and' | 'or'; left: SoqlCondition; right: SoqlCondition };

export interface SoqlQuery {
  fields: string[];
  objectType: string;
  where?: SoqlCondition;
  orderBy?: { field: string; descending: boolean };
  limit?: number;
}

type Token = { kind: 'word' | 'string' | 'symbol'; text: string };

function tokenize(soql: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s+|'((?:\\.|[^'\\])*)'|(!=|<>|<=|>=|[=<>(),])|([\w.]+)/y;
  let index = 0;
  while (index < soql.length) {
    pattern.lastIndex = index;
    const match = pattern.exec(soql);
    if (!match) throw new SoqlError('MALFORMED_QUERY', `unexpected token: '${soql.slice(index, index + 10)}'`);
    index = pattern.lastIndex;
    if (match[1] !== undefined) tokens.push({ kind: 'string', text: match[1].replace(/\\(.)/g, '$1') });
    else if (match[2] !== undefined) tokens.push({ kind: 'symbol', text: match[2] === '<>' ? '!=' : match[2] });
    else if (match[3] !== undefined) tokens.push({ kind: 'word', text: match[3] });
  }
  return tokens;
}

export function parseSoql(soql: string): SoqlQuery {
  const tokens = tokenize(soql);
  let position = 0;
  const peekKeyword = (keyword: string) =>
    tokens[position]?.kind === 'word' && tokens[position]?.text.toUpperCase() === keyword;
  const next = (): Token => {
    const token = tokens[position++];
    if (!token) throw new SoqlError('MALFORMED_QUERY', 'unexpected end of query');
    return token;
  };
  const expectKeyword = (keyword: string) => {
    const token = next();
    if (token.kind !== 'word' || token.text.toUpperCase() !== keyword) {
      throw new SoqlError('MALFORMED_QUERY', `unexpected token: '${token.text}'`);
    }
  };
  const word = () => {
    const token = next();
    if (token.kind !== 'word') throw new SoqlError('MALFORMED_QUERY', `unexpected token: '${token.text}'`);
    return token.text;
  };
  const value = (): Value => {
    const token = next();
    if (token.kind === 'string') return token.text;
    const upper = token.text.toUpperCase();
    if (upper === 'TRUE') return true;
    if (upper === 'FALSE') return false;
    if (upper === 'NULL') return null;
    if (token.kind === 'word' && /^-?\d+(\.\d+)?$/.test(token.text)) return Number(token.text);
    throw new SoqlError('MALFORMED_QUERY', `unexpected token: '${token.text}'`);
  };

  const condition = (): SoqlCondition => {
    let left = term();
    while (peekKeyword('AND') || peekKeyword('OR')) {
      const kind = next().text.toLowerCase() as 'and' | 'or';
      const right = term();
      // AND binds tighter than OR; Salesforce itself demands parentheses when the two are mixed.
      if (kind === 'and' && left.kind === 'or')
        left = { kind: 'or', left: left.left, right: { kind, left: left.right, right } };
      else left = { kind, left, right };
    }
    return left;
  };
  const term = (): SoqlCondition => {
    if (tokens[position]?.text === '(' && tokens[position]?.kind === 'symbol') {
      position++;
      const inner = condition();
      if (next().text !== ')') throw new SoqlError('MALFORMED_QUERY', "expecting ')'");
      return inner;
    }
    const field = word();
    const negated = peekKeyword('NOT');
    if (negated) position++;
    if (peekKeyword('IN')) {
      position++;
      if (next().text !== '(') throw new SoqlError('MALFORMED_QUERY', "expecting '('");
      const values = [value()];
      while (tokens[position]?.text === ',') {
        position++;
        values.push(value());
      }
      if (next().text !== ')') throw new SoqlError('MALFORMED_QUERY', "expecting ')'");
      return { kind: 'in', field, values, negated };
    }
    if (negated) throw new SoqlError('MALFORMED_QUERY', "unexpected token: 'NOT'");
    const operator = next();
    const op = operator.text.toUpperCase();
    if (!['=', '!=', '<', '>', '<=', '>=', 'LIKE'].includes(op)) {
      throw new SoqlError('MALFORMED_QUERY', `unexpected token: '${operator.text}'`);
    }
    return { kind: 'compare', field, op: op as '=', value: value() };
  };

  expectKeyword('SELECT');
  const fields = [word()];
  while (tokens[position]?.text === ',') {
    position++;
    fields.push(word());
  }
  expectKeyword('FROM');
  const query: SoqlQuery = { fields, objectType: word() };
  if (peekKeyword('WHERE')) {
    position++;
    query.where = condition();
  }
  if (peekKeyword('ORDER')) {
    position++;
    expectKeyword('BY');
    const field = word();
    let descending = false;
    if (peekKeyword('ASC') || peekKeyword('DESC')) descending = next().text.toUpperCase() === 'DESC';
    query.orderBy = { field, descending };
  }
  if (peekKeyword('LIMIT')) {
    position++;
    const limit = value();
    if (typeof limit !== 'number' || limit < 0)
      throw new SoqlError('MALFORMED_QUERY', 'LIMIT must be a non-negative integer');
    query.limit = limit;
  }
  if (position < tokens.length) throw new SoqlError('MALFORMED_QUERY', `unexpected token: '${tokens[position]?.text}'`);
  return query;
}

/** Evaluates a condition; `fieldValue` resolves a field name (already checked to exist). */
export function matchesCondition(condition: SoqlCondition, fieldValue: (field: string) => unknown): boolean {
  switch (condition.kind) {
    case 'and':
      return matchesCondition(condition.left, fieldValue) && matchesCondition(condition.right, fieldValue);
    case 'or':
      return matchesCondition(condition.left, fieldValue) || matchesCondition(condition.right, fieldValue);
    case 'in': {
      const actual = normalise(fieldValue(condition.field));
      const found = condition.values.some((v) => normalise(v) === actual);
      return condition.negated ? !found : found;
    }
    case 'compare': {
      const actual = normalise(fieldValue(condition.field));
      const expected = normalise(condition.value);
      switch (condition.op) {
        case '=':
          return actual === expected;
        case '!=':
          return actual !== expected;
        case 'LIKE': {
          if (typeof actual !== 'string' || typeof expected !== 'string') return false;
          const escaped = expected
            .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
            .replace(/%/g, '.*')
            .replace(/_/g, '.');
          return new RegExp(`^${escaped}$`, 's').test(actual);
        }
        default:
          if (actual === null || expected === null) return false;
          return ordered(actual < expected ? -1 : actual > expected ? 1 : 0, condition.op);
      }
    }
  }
}

/** SOQL string comparison ignores case; a missing field is null. */
function normalise(value: unknown): string | number | boolean | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value.toLowerCase();
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}

function ordered(difference: number, op: string): boolean {
  if (op === '<') return difference < 0;
  if (op === '>') return difference > 0;
  if (op === '<=') return difference <= 0;
  return difference >= 0;
}
