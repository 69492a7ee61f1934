import { FlowsteadError } from '../errors.js';
import { buildExpression } from './evaluate.js';
import type { CompiledExpression, CompiledTemplate, ExpressionReference, ExpressionScope } from './index.js';
import { toText } from './operators.js';
import { dedupeReferences } from './references.js';

type TemplatePart = string | CompiledExpression;

/** Finds the `}}` that closes a placeholder, skipping any inside quoted text (`{{ coalesce(a, "}}") }}`). */
function findClose(text: string, from: number): number {
  let quote: string | undefined;
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '}' && text[i + 1] === '}') return i;
  }
  return -1;
}

/** Re-anchors a placeholder's formula error on the template, so the position points into the whole text. */
function placeholderError(text: string, start: number, error: unknown): unknown {
  if (!(error instanceof FlowsteadError)) return error;
  const inner = typeof error.details?.['index'] === 'number' ? (error.details['index'] as number) : 0;
  const index = start + inner;
  return new FlowsteadError(error.code, `In the placeholder at character ${start + 1} of the text: ${error.message}`, {
    ...error.details,
    source: text,
    index,
  });
}

function parseTemplate(text: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('\\{{', i)) {
      literal += '{{';
      i += 3;
      continue;
    }
    if (!text.startsWith('{{', i)) {
      literal += text[i];
      i++;
      continue;
    }
    const close = findClose(text, i + 2);
    if (close < 0) {
      throw new FlowsteadError(
        'EXPRESSION_SYNTAX',
        `The placeholder \`{{\` at character ${i + 1} is not closed; add \`}}\` after the value, or write \`\\{{\` for literal braces.`,
        { source: text, index: i },
      );
    }
    const inner = text.slice(i + 2, close);
    const offset = i + 2 + (inner.length - inner.trimStart().length);
    if (inner.trim() === '') {
      throw new FlowsteadError(
        'EXPRESSION_SYNTAX',
        `The placeholder at character ${i + 1} is empty; put a value inside, e.g. \`{{trigger.email}}\`.`,
        { source: text, index: i },
      );
    }
    try {
      if (literal) parts.push(literal);
      literal = '';
      parts.push(buildExpression(inner.trim()));
    } catch (error) {
      throw placeholderError(text, offset, error);
    }
    i = close + 2;
  }
  if (literal) parts.push(literal);
  return parts;
}

function renderPart(part: TemplatePart, scope: ExpressionScope): string {
  return typeof part === 'string' ? part : toText(part.evaluate(scope));
}

class Template implements CompiledTemplate {
  readonly render: (scope: ExpressionScope) => string;

  constructor(
    readonly text: string,
    readonly references: readonly ExpressionReference[],
    parts: readonly TemplatePart[],
  ) {
    const [only] = parts;
    // The common shapes (plain text, one placeholder) skip the loop.
    if (parts.length === 0) this.render = () => '';
    else if (parts.length === 1 && typeof only === 'string') this.render = () => only;
    else if (parts.length === 1 && only !== undefined) this.render = (scope) => renderPart(only, scope);
    else {
      this.render = (scope) => {
        let out = '';
        for (const part of parts) out += renderPart(part, scope);
        return out;
      };
    }
  }
}

/** Parses and compiles a text template (uncached: use compileTemplate from ./compile.ts). */
export function buildTemplate(text: string): CompiledTemplate {
  const parts = parseTemplate(text);
  const references = dedupeReferences(parts.flatMap((part) => (typeof part === 'string' ? [] : part.references)));
  return new Template(text, Object.freeze(references), parts);
}
