import jsep from 'jsep';
import { FlowsteadError } from '../errors.js';

/**
 * jsep is a parser only: it turns formula text into a syntax tree and never runs anything.
 * Its operator tables are module-wide, so the word operators admins type (`and`, `or`, `not`)
 * are registered once here; nothing else in Flowstead configures jsep.
 */
jsep.addBinaryOp('or', 1);
jsep.addBinaryOp('and', 2);
jsep.addUnaryOp('not');

export type SyntaxNode = jsep.Expression;

interface JsepError {
  index: number;
  description: string;
}

function isJsepError(error: unknown): error is JsepError {
  return (
    error instanceof Error &&
    typeof (error as unknown as JsepError).index === 'number' &&
    typeof (error as unknown as JsepError).description === 'string'
  );
}

/** Rewords jsep's terse messages into what an admin should look for. */
function explain(description: string): string {
  let match: RegExpMatchArray | null;
  if ((match = /^Expected expression after (.+)$/.exec(description))) return `a value is missing after \`${match[1]}\``;
  if (description.startsWith('Unclosed quote')) return 'a quoted text is not closed; add the closing quote';
  if (description === 'Unclosed (') return 'a `(` is not closed; add `)`';
  if (description === 'Unclosed [') return 'a `[` is not closed; add `]`';
  if ((match = /^Expected (.)$/.exec(description))) return `expected \`${match[1]}\``;
  if (description === 'Expected :') return 'a `?` needs a matching `:` (condition ? then : otherwise)';
  if (description === 'Expected comma') return 'expected `,` between values';
  if (description === 'Expected expression') return 'a value is missing';
  if (description === 'missing unaryOp argument') return 'a value is missing after the operator';
  if ((match = /^Unexpected token (.)$/.exec(description)))
    return `unexpected \`${match[1]}\`; a value is missing before it`;
  if ((match = /^Unexpected "(.*)"$/.exec(description))) return `unexpected \`${match[1]}\``;
  if (description.startsWith('Variable names cannot start with a number')) return 'names cannot start with a digit';
  if (description.startsWith('Expected exponent')) return 'a number is incomplete';
  if (description === 'Unexpected period') return 'unexpected `.`';
  return description;
}

export function syntaxError(source: string, index: number, what: string): FlowsteadError {
  return new FlowsteadError(
    'EXPRESSION_SYNTAX',
    `The formula \`${source}\` has a mistake at character ${index + 1}: ${what}.`,
    { source, index },
  );
}

/** Parses formula text into jsep's syntax tree; mistakes become EXPRESSION_SYNTAX errors with their position. */
export function parseFormula(source: string): SyntaxNode {
  let tree: SyntaxNode;
  try {
    tree = jsep(source);
  } catch (error) {
    if (isJsepError(error)) throw syntaxError(source, error.index, explain(error.description));
    throw error;
  }
  if (tree.type === 'Compound') {
    const body = (tree as jsep.Compound).body;
    if (body.length === 0) throw syntaxError(source, 0, 'the formula is empty; write a value, a name or a calculation');
    throw syntaxError(source, 0, 'only one formula is allowed; join the parts with an operator such as `+` or `and`');
  }
  return tree;
}
