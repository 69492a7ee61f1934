/**
 * Flowstead's safe expression language and text templates (no JavaScript eval).
 * Entry points: compileExpression / compileTemplate in ./compile.ts (memoized). Inside:
 * ./parser.ts (jsep → syntax tree), ./evaluate.ts (tree → closures), ./operators.ts and
 * ./functions.ts (what operators and the whitelisted functions do), ./references.ts (which
 * `card.path`s a formula reads), ./template.ts (`{{ … }}` text).
 */
export interface ExpressionReference {
  node: string;
  path: (string | number)[];
}

/** Top-level names visible to an expression: card ids (→ their outputs), `trigger`, and per-item `item` / `index`. */
export type ExpressionScope = Readonly<Record<string, unknown>>;

export interface CompiledExpression {
  readonly source: string;
  /** Every `node.path` the expression reads, for validation and the canvas. */
  readonly references: readonly ExpressionReference[];
  evaluate(scope: ExpressionScope): unknown;
}

export interface CompiledTemplate {
  readonly text: string;
  readonly references: readonly ExpressionReference[];
  render(scope: ExpressionScope): string;
}
