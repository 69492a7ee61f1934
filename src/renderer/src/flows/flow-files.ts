import { findDescriptor } from '../../../shared/cards/catalog.js';
import { FLOW_SCHEMA_VERSION, type FlowDocument } from '../../../shared/flow/schema.js';
import { parseAndValidateFlow } from '../../../shared/flow/validate.js';
import type { ValidationProblem } from '../../../shared/api/contract.js';

/** A new, empty flow: a manual trigger and no cards yet. */
export function blankFlow(name: string, folder = ''): FlowDocument {
  return {
    schemaVersion: FLOW_SCHEMA_VERSION,
    id: crypto.randomUUID(),
    name,
    description: '',
    folder,
    trigger: { kind: 'manual', inputs: [] },
    nodes: [],
    edges: [],
    historyLevel: 'full',
  };
}

/** The file an admin downloads: the flow document, pretty-printed so it diffs well. */
export function flowFileContent(flow: FlowDocument): string {
  return `${JSON.stringify(flow, null, 2)}\n`;
}

export function flowFileName(flow: FlowDocument): string {
  const base =
    flow.name
      .replace(/[^\p{L}\p{N} _-]+/gu, '')
      .trim()
      .replace(/\s+/g, '-') || 'flow';
  return `${base}.flowstead.json`;
}

export type ImportResult =
  { ok: true; flow: FlowDocument; problems: ValidationProblem[] } | { ok: false; message: string };

/**
 * Reads an exported flow file. A file that is not a flow is refused with every problem named;
 * a flow whose id already exists gets a new id so importing never overwrites a saved flow.
 */
export function readFlowFile(text: string, existingIds: ReadonlySet<string>): ImportResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      message: `The file is not valid JSON (${(error as Error).message}). Choose a file exported from Flowstead.`,
    };
  }
  const { flow, problems } = parseAndValidateFlow(raw, { findDescriptor, findFlow: () => undefined });
  if (!flow) {
    const list = problems.map((p) => `${p.path.join('.') || '(file)'}: ${p.message}`).join('\n');
    return { ok: false, message: `The file is not a Flowstead flow:\n${list}` };
  }
  const imported = existingIds.has(flow.id) ? { ...flow, id: crypto.randomUUID() } : flow;
  return { ok: true, flow: imported, problems };
}

/** Triggers a download of text as a file, without any server round trip. */
export function downloadText(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
