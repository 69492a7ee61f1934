/**
 * The SCIM filter language (RFC 7644 §3.4.2.2), which Okta's `search` and `filter` parameters also
 * speak: `profile.department eq "Sales" and status eq "ACTIVE"`, `userName sw "j"`, `title pr`,
 * `emails[type eq "work"].value co "@"`, `not (…)`, parentheses. Attribute names match
 * case-insensitively; string comparisons ignore case unless the caller asks otherwise.
 */

export type CompareOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';
type Literal = string | number | boolean | null;

export type FilterNode =
  | { kind: 'compare'; path: string; op: CompareOperator; value: Literal }
  | { kind: 'present'; path: string }
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; inner: FilterNode }
  /** `emails[type eq "work"]` or `emails[type eq "work"].value` */
  | { kind: 'valuePath'; path: string; inner: FilterNode; subAttribute?: string; then?: FilterNode };

export class FilterSyntaxError extends Error {}

const operators = new Set(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);

type Token = { type: 'word' | 'string' | 'punct'; text: string };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const char = input[i] as string;
    if (/\s/.test(char)) {
      i++;
    } else if ('()[]'.includes(char)) {
      tokens.push({ type: 'punct', text: char });
      i++;
    } else if (char === '"') {
      // Reuse JSON's escape rules for quoted values: the RFC says values are JSON strings.
      let end = i + 1;
      while (end < input.length && input[end] !== '"') end += input[end] === '\\' ? 2 : 1;
      if (end >= input.length) throw new FilterSyntaxError('Unterminated string in filter');
      try {
        tokens.push({ type: 'string', text: JSON.parse(input.slice(i, end + 1)) as string });
      } catch {
        throw new FilterSyntaxError('Invalid string in filter');
      }
      i = end + 1;
    } else {
      const match = /^[^\s()[\]"]+/.exec(input.slice(i));
      if (!match) throw new FilterSyntaxError(`Unexpected character '${char}' in filter`);
      tokens.push({ type: 'word', text: match[0] });
      i += match[0].length;
    }
  }
  return tokens;
}

export function parseFilter(input: string): FilterNode {
  const tokens = tokenize(input);
  let position = 0;
  const peek = () => tokens[position];
  const next = () => {
    const token = tokens[position++];
    if (!token) throw new FilterSyntaxError('Filter ends too early');
    return token;
  };
  const isKeyword = (token: Token | undefined, keyword: string) =>
    token?.type === 'word' && token.text.toLowerCase() === keyword;
  const expect = (text: string) => {
    const token = next();
    if (token.text !== text) throw new FilterSyntaxError(`Expected '${text}' but found '${token.text}'`);
  };

  function parseOr(): FilterNode {
    let left = parseAnd();
    while (isKeyword(peek(), 'or')) {
      position++;
      left = { kind: 'or', left, right: parseAnd() };
    }
    return left;
  }
  function parseAnd(): FilterNode {
    let left = parseUnary();
    while (isKeyword(peek(), 'and')) {
      position++;
      left = { kind: 'and', left, right: parseUnary() };
    }
    return left;
  }
  function parseUnary(): FilterNode {
    if (isKeyword(peek(), 'not')) {
      position++;
      expect('(');
      const inner = parseOr();
      expect(')');
      return { kind: 'not', inner };
    }
    if (peek()?.text === '(' && peek()?.type === 'punct') {
      position++;
      const inner = parseOr();
      expect(')');
      return inner;
    }
    return parseComparison();
  }
  function parseComparison(): FilterNode {
    const attribute = next();
    if (attribute.type !== 'word') throw new FilterSyntaxError(`Expected an attribute, found '${attribute.text}'`);
    if (peek()?.text === '[' && peek()?.type === 'punct') {
      position++;
      const inner = parseOr();
      expect(']');
      // `emails[type eq "work"].value eq "x"`: the sub-attribute rides on the following word.
      const following = peek();
      if (following?.type === 'word' && following.text.startsWith('.')) {
        position++;
        const subAttribute = following.text.slice(1);
        const rest = parseOperatorFor(subAttribute);
        return { kind: 'valuePath', path: attribute.text, inner, subAttribute, then: rest };
      }
      return { kind: 'valuePath', path: attribute.text, inner };
    }
    return parseOperatorFor(attribute.text);
  }
  function parseOperatorFor(path: string): FilterNode {
    const operator = next();
    const op = operator.text.toLowerCase();
    if (operator.type !== 'word') throw new FilterSyntaxError(`Expected an operator after '${path}'`);
    if (op === 'pr') return { kind: 'present', path };
    if (!operators.has(op)) throw new FilterSyntaxError(`Unknown operator '${operator.text}'`);
    return { kind: 'compare', path, op: op as CompareOperator, value: parseLiteral(next()) };
  }

  const tree = parseOr();
  if (position < tokens.length) throw new FilterSyntaxError(`Unexpected '${tokens[position]?.text}' in filter`);
  return tree;
}

function parseLiteral(token: Token): Literal {
  if (token.type === 'string') return token.text;
  const word = token.text.toLowerCase();
  if (word === 'true') return true;
  if (word === 'false') return false;
  if (word === 'null') return null;
  if (token.type === 'word' && /^-?\d+(\.\d+)?$/.test(token.text)) return Number(token.text);
  throw new FilterSyntaxError(`Expected a value, found '${token.text}'`);
}

/** Looks a key up ignoring case, as SCIM attribute names are case-insensitive. */
export function getIgnoringCase(record: Record<string, unknown>, key: string): unknown {
  if (key in record) return record[key];
  const lower = key.toLowerCase();
  for (const [candidate, value] of Object.entries(record)) if (candidate.toLowerCase() === lower) return value;
  return undefined;
}

/**
 * Every value at a dotted path, flattening multi-valued attributes on the way, so `emails.value`
 * yields each address. A URN prefix (`urn:…:enterprise:2.0:User:department`) selects the extension
 * object; the core schema URN is the resource itself.
 */
export function valuesAt(resource: unknown, path: string): unknown[] {
  let roots: unknown[] = [resource];
  let attributePath = path;
  if (path.toLowerCase().startsWith('urn:')) {
    const split = path.lastIndexOf(':');
    const schema = path.slice(0, split);
    attributePath = path.slice(split + 1);
    if (!schema.toLowerCase().includes(':core:') && typeof resource === 'object' && resource !== null) {
      roots = [getIgnoringCase(resource as Record<string, unknown>, schema)];
    }
  }
  let current = roots;
  for (const part of attributePath.split('.')) {
    const nextValues: unknown[] = [];
    for (const value of current.flatMap((item) => (Array.isArray(item) ? item : [item]))) {
      if (typeof value === 'object' && value !== null) {
        const found = getIgnoringCase(value as Record<string, unknown>, part);
        if (found !== undefined) nextValues.push(found);
      }
    }
    current = nextValues;
  }
  return current.flatMap((item) => (Array.isArray(item) ? item : [item]));
}

export interface MatchOptions {
  /** Compare strings exactly; SCIM's default for most attributes is case-insensitive. */
  caseExact?: boolean;
}

export function matchesFilter(resource: unknown, node: FilterNode, options: MatchOptions = {}): boolean {
  switch (node.kind) {
    case 'and':
      return matchesFilter(resource, node.left, options) && matchesFilter(resource, node.right, options);
    case 'or':
      return matchesFilter(resource, node.left, options) || matchesFilter(resource, node.right, options);
    case 'not':
      return !matchesFilter(resource, node.inner, options);
    case 'present':
      return valuesAt(resource, node.path).some((value) => value !== null && value !== '');
    case 'valuePath': {
      const elements = valuesAt(resource, node.path).filter((element) => matchesFilter(element, node.inner, options));
      if (!node.then) return elements.length > 0;
      return elements.some((element) => matchesFilter(element, node.then as FilterNode, options));
    }
    case 'compare': {
      const values = valuesAt(resource, node.path);
      if (node.op === 'ne') return !values.some((value) => compare(value, 'eq', node.value, options));
      return values.some((value) => compare(value, node.op, node.value, options));
    }
  }
}

function compare(actual: unknown, op: CompareOperator, expected: Literal, options: MatchOptions): boolean {
  if (expected === null) return op === 'eq' ? actual === null : false;
  if (typeof expected === 'boolean' || typeof expected === 'number') {
    if (op === 'eq') return actual === expected;
    if (typeof expected === 'boolean' || typeof actual !== 'number') return false;
    return ordered(actual - expected, op);
  }
  if (typeof actual !== 'string') return false;
  const left = options.caseExact ? actual : actual.toLowerCase();
  const right = options.caseExact ? expected : expected.toLowerCase();
  switch (op) {
    case 'eq':
      return left === right;
    case 'co':
      return left.includes(right);
    case 'sw':
      return left.startsWith(right);
    case 'ew':
      return left.endsWith(right);
    default:
      // ISO timestamps order correctly as strings, which is what Okta and SCIM compare them as.
      return ordered(left < right ? -1 : left > right ? 1 : 0, op);
  }
}

function ordered(difference: number, op: CompareOperator): boolean {
  if (op === 'gt') return difference > 0;
  if (op === 'ge') return difference >= 0;
  if (op === 'lt') return difference < 0;
  if (op === 'le') return difference <= 0;
  return false;
}
