import type jsep from 'jsep';
import type { ExpressionReference } from './index.js';
import type { SyntaxNode } from './parser.js';

function staticStep(node: jsep.MemberExpression): string | number | undefined {
  if (!node.computed) return (node.property as jsep.Identifier).name;
  if (node.property.type !== 'Literal') return undefined;
  const value = (node.property as jsep.Literal).value;
  if (typeof value === 'string') return value;
  // Only list positions continue a path; `a[1.5]` or `a[true]` end it like a computed key.
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  return undefined;
}

function visitChain(node: jsep.MemberExpression, found: ExpressionReference[]): void {
  // Unwind `a.b[x].c` from the outside in, then read it from the root outwards.
  const steps: jsep.MemberExpression[] = [];
  let base: SyntaxNode = node;
  while (base.type === 'MemberExpression') {
    steps.unshift(base as jsep.MemberExpression);
    base = (base as jsep.MemberExpression).object;
  }
  let path: (string | number)[] | undefined;
  if (base.type === 'Identifier') path = [];
  else visit(base, found);
  for (const step of steps) {
    const key = staticStep(step);
    if (path && key !== undefined) {
      path.push(key);
      continue;
    }
    if (path) {
      found.push({ node: (base as jsep.Identifier).name, path });
      path = undefined;
    }
    // A computed key is a formula of its own and may read other cards.
    if (step.computed) visit(step.property, found);
  }
  if (path) found.push({ node: (base as jsep.Identifier).name, path });
}

function visit(node: SyntaxNode, found: ExpressionReference[]): void {
  switch (node.type) {
    case 'Identifier':
      found.push({ node: (node as jsep.Identifier).name, path: [] });
      return;
    case 'MemberExpression':
      visitChain(node as jsep.MemberExpression, found);
      return;
    case 'CallExpression': {
      // The callee is a function name from the whitelist, not a card.
      const call = node as jsep.CallExpression;
      if (call.callee.type !== 'Identifier') visit(call.callee, found);
      for (const arg of call.arguments) visit(arg, found);
      return;
    }
    default:
      for (const value of Object.values(node)) {
        if (Array.isArray(value)) {
          for (const item of value) if (isNode(item)) visit(item, found);
        } else if (isNode(value)) visit(value, found);
      }
  }
}

function isNode(value: unknown): value is SyntaxNode {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/** Every `card.path` a formula reads, in order of appearance, each once. */
export function collectReferences(tree: SyntaxNode): ExpressionReference[] {
  const found: ExpressionReference[] = [];
  visit(tree, found);
  return dedupeReferences(found);
}

export function dedupeReferences(references: Iterable<ExpressionReference>): ExpressionReference[] {
  const seen = new Set<string>();
  const unique: ExpressionReference[] = [];
  for (const reference of references) {
    const key = JSON.stringify([reference.node, reference.path]);
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(reference);
  }
  return unique;
}
