import { buildExpression } from './evaluate.js';
import type { CompiledExpression, CompiledTemplate } from './index.js';
import { buildTemplate } from './template.js';

/** Enough for every distinct formula of the open flows; the oldest entries make room for new ones. */
const CACHE_LIMIT = 1000;

function remember<T>(cache: Map<string, T>, key: string, value: T): T {
  if (cache.size >= CACHE_LIMIT) {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
  cache.set(key, value);
  return value;
}

const expressions = new Map<string, CompiledExpression>();
const templates = new Map<string, CompiledTemplate>();

/**
 * Compiles a formula in Flowstead's safe expression language. Cards compile the same formula
 * for every item, so results are memoized by source text. Mistakes throw a FlowsteadError
 * (EXPRESSION_SYNTAX, EXPRESSION_FORBIDDEN, EXPRESSION_UNKNOWN_FUNCTION, EXPRESSION_ARGUMENTS);
 * evaluating may throw EXPRESSION_TYPE or EXPRESSION_DIVISION_BY_ZERO.
 */
export function compileExpression(source: string): CompiledExpression {
  return expressions.get(source) ?? remember(expressions, source, buildExpression(source));
}

/** Compiles text with `{{ formula }}` placeholders (`\{{` is a literal `{{`), memoized by text. */
export function compileTemplate(text: string): CompiledTemplate {
  return templates.get(text) ?? remember(templates, text, buildTemplate(text));
}
