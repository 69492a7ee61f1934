import type { z } from 'zod';
import type { ValidationProblem } from '../api/contract.js';
import { flowDocumentSchema, TRIGGER_NODE_ID, type FlowDocument } from './schema.js';

type Issue = z.core.$ZodIssue;

function describeReceived(received: string): string {
  switch (received) {
    case 'string':
      return 'text';
    case 'array':
      return 'a list';
    case 'object':
      return 'an object';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true/false';
    case 'null':
      return 'empty (null)';
    default:
      return received;
  }
}

const quoted = (values: readonly unknown[]): string => values.map((v) => `\`${String(v)}\``).join(', ');

/** What to fix, in words: zod's own wording for its built-in checks, our schema's messages as written. */
function whatToFix(issue: Issue): string {
  const generic = /^(Invalid|Too small|Too big|Unrecognized)/.test(issue.message);
  if (!generic) return issue.message;
  switch (issue.code) {
    case 'invalid_type': {
      const received = /received (\w+)/.exec(issue.message)?.[1];
      if (received === 'undefined') return `is missing; add ${describeReceived(issue.expected)}.`;
      return `should be ${describeReceived(issue.expected)}, but is ${describeReceived(received ?? 'something else')}.`;
    }
    case 'invalid_union': {
      const options = (issue as { options?: unknown[] }).options;
      if (options) return `should be one of ${quoted(options)}.`;
      return 'has a shape Flowstead does not recognise; check it against an exported flow.';
    }
    case 'invalid_value':
      return `should be one of ${quoted(issue.values)}.`;
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) === 1) return 'must not be empty.';
      return `is too small (at least ${String(issue.minimum)}).`;
    case 'too_big':
      return `is too big (at most ${String(issue.maximum)}).`;
    case 'unrecognized_keys':
      return `has unknown fields ${quoted(issue.keys)}; remove them.`;
    default:
      return issue.message;
  }
}

function elementAt(raw: unknown, key: string, index: unknown): unknown {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const list = (raw as Record<string, unknown>)[key];
  return Array.isArray(list) && typeof index === 'number' ? list[index] : undefined;
}

/** Which card (or the trigger) an issue belongs to, and how to name the place in a message. */
function locate(raw: unknown, path: readonly (string | number)[]): { node: string; where: string } {
  const [section, index, ...rest] = path;
  const field = (parts: readonly (string | number)[]) => (parts.length > 0 ? ` field \`${parts.join('.')}\`` : '');
  if (section === 'nodes' && typeof index === 'number') {
    const id = (elementAt(raw, 'nodes', index) as { id?: unknown } | undefined)?.id;
    const named = typeof id === 'string' && id !== '';
    return { node: named ? id : '', where: `${named ? `Card \`${id}\`` : `Card ${index + 1}`}${field(rest)}` };
  }
  if (section === 'edges' && typeof index === 'number') {
    return { node: '', where: `Connection ${index + 1}${field(rest)}` };
  }
  if (section === 'trigger') {
    return { node: TRIGGER_NODE_ID, where: `The trigger${field(path.slice(1))}` };
  }
  if (path.length === 0) return { node: '', where: 'The flow document' };
  return { node: '', where: `The flow${field(path)}` };
}

/** Parses a flow document; every schema mistake becomes a SCHEMA problem saying where and what to fix. */
export function parseFlowDocument(raw: unknown): { flow?: FlowDocument; problems: ValidationProblem[] } {
  const result = flowDocumentSchema.safeParse(raw);
  if (result.success) return { flow: result.data, problems: [] };
  const problems = result.error.issues.map((issue): ValidationProblem => {
    const path = issue.path.map((key) => (typeof key === 'number' ? key : String(key)));
    const { node, where } = locate(raw, path);
    const fix = whatToFix(issue);
    // Our schema's own messages are full sentences; zod's generic ones read as a continuation.
    const message = /^[a-z]/.test(fix) ? `${where} ${fix}` : `${where}: ${fix}`;
    return { code: 'SCHEMA', node, path, message };
  });
  return { problems };
}
