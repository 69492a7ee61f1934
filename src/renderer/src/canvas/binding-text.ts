import type { Binding } from '../../../shared/flow/schema.js';

/** An upstream value the inspector offers: a trigger input or an earlier card's output. */
export interface UpstreamValue {
  node: string;
  nodeTitle: string;
  output: string;
  type: string;
}

export const REF_DRAG_TYPE = 'application/x-flowstead-ref';

export type BindingMode = Binding['kind'];

export function refPath(value: UpstreamValue): string {
  return `${value.node}.${value.output}`;
}

/** Splits a template into text and `{{…}}` parts, so bound fields can be shown as chips. */
export function templateParts(text: string): { text: string; field: boolean }[] {
  const parts: { text: string; field: boolean }[] = [];
  const pattern = /\{\{\s*([^}]+?)\s*\}\}/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > last) parts.push({ text: text.slice(last, match.index), field: false });
    parts.push({ text: match[1]!, field: true });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), field: false });
  return parts;
}

/** A binding switched to another mode keeps what it can (a reference becomes a template field). */
export function convertBinding(binding: Binding | undefined, mode: BindingMode): Binding {
  const asText = (): string => {
    if (!binding) return '';
    if (binding.kind === 'literal')
      return typeof binding.value === 'string' ? binding.value : JSON.stringify(binding.value);
    if (binding.kind === 'ref') return `{{${[binding.node, ...binding.path].join('.')}}}`;
    if (binding.kind === 'template') return binding.text;
    return binding.source;
  };
  switch (mode) {
    case 'literal':
      return { kind: 'literal', value: binding?.kind === 'literal' ? binding.value : '' };
    case 'ref':
      return binding?.kind === 'ref' ? binding : { kind: 'ref', node: 'trigger', path: [] };
    case 'template':
      return { kind: 'template', text: asText() };
    case 'expr':
      return {
        kind: 'expr',
        source:
          binding?.kind === 'expr'
            ? binding.source
            : binding?.kind === 'ref'
              ? [binding.node, ...binding.path].join('.')
              : '',
      };
  }
}
