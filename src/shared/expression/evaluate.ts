import type jsep from 'jsep';
import { FlowsteadError } from '../errors.js';
import { findFormulaFunction, FORMULA_FUNCTIONS, type Evaluator } from './functions.js';
import type { CompiledExpression, ExpressionReference } from './index.js';
import {
  add,
  arithmetic,
  compare,
  FORBIDDEN_KEYS,
  isTruthy,
  negate,
  readDynamic,
  readName,
  readOwn,
  sameValue,
} from './operators.js';
import { parseFormula, syntaxError, type SyntaxNode } from './parser.js';
import { collectReferences } from './references.js';
import { didYouMean } from './suggest.js';

/**
 * Turns a syntax tree into nested closures once, so evaluating per item costs a few function
 * calls and property reads: no tree walking and no JavaScript eval at run time.
 */
class FormulaCompiler {
  constructor(private readonly source: string) {}

  compile(node: SyntaxNode): Evaluator {
    switch (node.type) {
      case 'Literal':
        return this.literal(node as jsep.Literal);
      case 'Identifier':
        return this.identifier(node as jsep.Identifier);
      case 'MemberExpression':
        return this.member(node as jsep.MemberExpression);
      case 'ArrayExpression':
        return this.list(node as jsep.ArrayExpression);
      case 'CallExpression':
        return this.call(node as jsep.CallExpression);
      case 'UnaryExpression':
        return this.unary(node as jsep.UnaryExpression);
      case 'BinaryExpression':
        return this.binary(node as jsep.BinaryExpression);
      case 'ConditionalExpression': {
        const c = node as jsep.ConditionalExpression;
        const test = this.compile(c.test);
        const then = this.compile(c.consequent);
        const otherwise = this.compile(c.alternate);
        return (scope) => (isTruthy(test(scope)) ? then(scope) : otherwise(scope));
      }
      case 'ThisExpression':
        throw this.forbidden('`this` is not available in formulas; refer to a card by its id, e.g. `compose1.text`.');
      case 'Compound':
      case 'SequenceExpression':
        throw syntaxError(
          this.source,
          0,
          'only one formula is allowed; join the parts with an operator such as `+` or `and`',
        );
      default:
        throw syntaxError(this.source, 0, `\`${node.type}\` is not part of Flowstead formulas`);
    }
  }

  private forbidden(message: string): FlowsteadError {
    return new FlowsteadError('EXPRESSION_FORBIDDEN', `The formula \`${this.source}\`: ${message}`, {
      source: this.source,
    });
  }

  private unsupported(operator: string, hint: string): FlowsteadError {
    const at = Math.max(0, this.source.indexOf(operator));
    return syntaxError(this.source, at, `\`${operator}\` is not an operator in Flowstead formulas; ${hint}`);
  }

  private literal(node: jsep.Literal): Evaluator {
    const value = node.value;
    if (value instanceof RegExp) throw this.forbidden('patterns (regular expressions) are not supported.');
    return () => value;
  }

  private identifier(node: jsep.Identifier): Evaluator {
    const name = node.name;
    if (FORBIDDEN_KEYS.has(name)) throw this.forbidden(`\`${name}\` cannot be read.`);
    return (scope) => readName(scope, name);
  }

  private member(node: jsep.MemberExpression): Evaluator {
    const key = staticKey(node);
    if (typeof key === 'string' && FORBIDDEN_KEYS.has(key)) throw this.forbidden(`\`${key}\` cannot be read.`);
    const path = staticPath(node);
    if (path) return this.pathReader(path.root, path.keys);
    const object = this.compile(node.object);
    if (key !== undefined) return (scope) => readOwn(object(scope), key);
    const dynamicKey = this.compile(node.property);
    return (scope) => readDynamic(object(scope), dynamicKey(scope));
  }

  /** `card.a.b[0]`, the most common formula, as one closure instead of one per step. */
  private pathReader(root: string, keys: readonly (string | number)[]): Evaluator {
    if (FORBIDDEN_KEYS.has(root)) throw this.forbidden(`\`${root}\` cannot be read.`);
    for (const key of keys) {
      if (typeof key === 'string' && FORBIDDEN_KEYS.has(key)) throw this.forbidden(`\`${key}\` cannot be read.`);
    }
    const [first, second] = keys;
    if (keys.length === 1 && first !== undefined) return (scope) => readOwn(readName(scope, root), first);
    if (keys.length === 2 && first !== undefined && second !== undefined) {
      return (scope) => readOwn(readOwn(readName(scope, root), first), second);
    }
    return (scope) => {
      let value = readName(scope, root);
      for (let i = 0; i < keys.length && value !== undefined; i++) value = readOwn(value, keys[i] as string | number);
      return value;
    };
  }

  private list(node: jsep.ArrayExpression): Evaluator {
    const items = node.elements.map((element) => {
      if (element === null)
        throw syntaxError(
          this.source,
          Math.max(0, this.source.indexOf(',,')),
          'a list item is missing between two commas',
        );
      return this.compile(element);
    });
    return (scope) => items.map((item) => item(scope));
  }

  private call(node: jsep.CallExpression): Evaluator {
    const callee = node.callee;
    if (callee.type !== 'Identifier') {
      throw this.forbidden(
        'values have no methods to call; use a function instead, e.g. `lower(trigger.email)` rather than `trigger.email.toLowerCase()`.',
      );
    }
    const name = (callee as jsep.Identifier).name;
    const fn = findFormulaFunction(name);
    if (!fn) {
      throw new FlowsteadError(
        'EXPRESSION_UNKNOWN_FUNCTION',
        `The formula \`${this.source}\` calls \`${name}\`, which is not a Flowstead function.${didYouMean(name, Object.keys(FORMULA_FUNCTIONS))}`,
        { source: this.source, function: name },
      );
    }
    const count = node.arguments.length;
    if (count < fn.minArgs || count > fn.maxArgs) {
      const expected =
        fn.minArgs === fn.maxArgs
          ? `${fn.minArgs}`
          : fn.maxArgs === Number.POSITIVE_INFINITY
            ? `at least ${fn.minArgs}`
            : `${fn.minArgs} to ${fn.maxArgs}`;
      throw new FlowsteadError(
        'EXPRESSION_ARGUMENTS',
        `The formula \`${this.source}\` gives \`${name}\` ${count} value${count === 1 ? '' : 's'}; it takes ${expected}.`,
        { source: this.source, function: name },
      );
    }
    const args = node.arguments.map((arg) => this.compile(arg));
    if ('lazy' in fn) {
      const lazy = fn.lazy;
      return (scope) => lazy(args, scope);
    }
    const run = fn.call;
    const [a, b, c] = args;
    // Fixed small arities avoid building an argument array on every evaluation.
    if (args.length === 1 && a) return (scope) => run(a(scope));
    if (args.length === 2 && a && b) return (scope) => run(a(scope), b(scope));
    if (args.length === 3 && a && b && c) return (scope) => run(a(scope), b(scope), c(scope));
    return (scope) => run(...args.map((arg) => arg(scope)));
  }

  private unary(node: jsep.UnaryExpression): Evaluator {
    const operator = node.operator;
    if (
      operator === '-' &&
      node.argument.type === 'Literal' &&
      typeof (node.argument as jsep.Literal).value === 'number'
    ) {
      const value = -((node.argument as jsep.Literal).value as number);
      return () => value;
    }
    const argument = this.compile(node.argument);
    switch (operator) {
      case '-':
        return (scope) => negate(argument(scope));
      case '!':
      case 'not':
        return (scope) => !isTruthy(argument(scope));
      case '+':
        throw this.unsupported('+', 'use number(x) to turn text into a number');
      default:
        throw this.unsupported(operator, 'use `not` for "not"');
    }
  }

  private binary(node: jsep.BinaryExpression): Evaluator {
    const operator = node.operator;
    const left = this.compile(node.left);
    const right = this.compile(node.right);
    switch (operator) {
      case '+':
        return (scope) => add(left(scope), right(scope));
      case '-':
      case '*':
      case '/':
      case '%':
        return (scope) => arithmetic(operator, left(scope), right(scope));
      case '==':
      case '===':
        return (scope) => sameValue(left(scope), right(scope));
      case '!=':
      case '!==':
        return (scope) => !sameValue(left(scope), right(scope));
      case '<':
      case '<=':
      case '>':
      case '>=':
        return (scope) => compare(operator, left(scope), right(scope));
      case '&&':
      case 'and':
        return (scope) => isTruthy(left(scope)) && isTruthy(right(scope));
      case '||':
      case 'or':
        return (scope) => isTruthy(left(scope)) || isTruthy(right(scope));
      case '??':
        throw this.unsupported('??', 'use coalesce(a, b) for "a, or else b"');
      case '|':
        throw this.unsupported('|', 'use `or`');
      case '&':
        throw this.unsupported('&', 'use `and`, or `+` to join text');
      default:
        throw this.unsupported(operator, 'use + - * / % == != < <= > >= and or not');
    }
  }
}

/** The key of `a.b`, `a["b"]` or `a[0]` when it is written in the formula; undefined when computed. */
function staticKey(node: jsep.MemberExpression): string | number | undefined {
  if (!node.computed) return (node.property as jsep.Identifier).name;
  if (node.property.type !== 'Literal') return undefined;
  const value = (node.property as jsep.Literal).value;
  return typeof value === 'string' || typeof value === 'number' ? value : undefined;
}

/** Root name and keys of a member chain written entirely in the formula (`a.b["c"][0]`). */
function staticPath(node: jsep.MemberExpression): { root: string; keys: (string | number)[] } | undefined {
  const keys: (string | number)[] = [];
  let current: SyntaxNode = node;
  while (current.type === 'MemberExpression') {
    const key = staticKey(current as jsep.MemberExpression);
    if (key === undefined) return undefined;
    keys.unshift(key);
    current = (current as jsep.MemberExpression).object;
  }
  return current.type === 'Identifier' ? { root: (current as jsep.Identifier).name, keys } : undefined;
}

class Expression implements CompiledExpression {
  constructor(
    readonly source: string,
    readonly references: readonly ExpressionReference[],
    readonly evaluate: Evaluator,
  ) {}
}

/** Parses and compiles a formula (uncached: use compileExpression from ./compile.ts). */
export function buildExpression(source: string): CompiledExpression {
  const tree = parseFormula(source);
  const evaluate = new FormulaCompiler(source).compile(tree);
  return new Expression(source, Object.freeze(collectReferences(tree)), evaluate);
}
