import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CardImplementation } from '../../src/engine/cards/types.js';
import { CARD_IMPLEMENTATIONS } from '../../src/engine/cards/registry.js';
import { Executor } from '../../src/engine/executor/executor.js';
import { RunStore } from '../../src/engine/executor/run-store.js';
import { closeRangeReaders } from '../../src/engine/services/range-reader.js';
import { openDatabase } from '../../src/engine/store/database.js';
import { TableService } from '../../src/engine/services/table-service.js';
import {
  FLOW_SCHEMA_VERSION,
  flowDocumentSchema,
  type FlowDocument,
  type FlowDocumentInput,
} from '../../src/shared/flow/schema.js';

export function tempDir(prefix = 'flowstead-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A real SQLite file, store and executor; extra card implementations may be added for a test. */
export function createTestEngine(
  options: { extraCards?: CardImplementation[]; dbPath?: string; now?: () => Date } = {},
) {
  const dir = tempDir();
  const dbPath = options.dbPath ?? path.join(dir, 'flowstead.db');
  const db = openDatabase(dbPath);
  const store = new RunStore(db);
  const tables = new TableService(db);
  const extra = new Map((options.extraCards ?? []).map((card) => [card.descriptor.type, card]));
  const executor = new Executor({
    store,
    findImplementation: (type) => extra.get(type) ?? CARD_IMPLEMENTATIONS.get(type),
    services: { tables },
    random: () => 0.5,
    ...(options.now ? { now: options.now } : {}),
  });
  return {
    dir,
    dbPath,
    db,
    store,
    tables,
    executor,
    /** Closes the database (after any worker reading it ahead) and removes its folder. */
    async close() {
      await closeRangeReaders(dbPath);
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

type NodeSpec = FlowDocumentInput['nodes'][number];

/** Builds a valid flow document; `chain` connects the cards in order from the trigger. */
export function flow(spec: Partial<FlowDocumentInput> & { nodes: NodeSpec[]; chain?: boolean }): FlowDocument {
  const { chain = true, ...rest } = spec;
  const edges =
    spec.edges ??
    (chain
      ? spec.nodes.map((node, i) => ({
          id: `e${i}`,
          source: i === 0 ? 'trigger' : spec.nodes[i - 1]!.id,
          sourceHandle: 'next',
          target: node.id,
        }))
      : []);
  return flowDocumentSchema.parse({
    schemaVersion: FLOW_SCHEMA_VERSION,
    id: 'flow1',
    name: 'Test flow',
    trigger: { kind: 'manual', inputs: [] },
    ...rest,
    edges,
  });
}

export function card(
  id: string,
  type: string,
  inputs: NodeSpec['inputs'] = {},
  settings?: NodeSpec['settings'],
): NodeSpec {
  return { id, type, position: { x: 0, y: 0 }, inputs, ...(settings ? { settings } : {}) };
}

export const lit = (value: unknown) => ({ kind: 'literal' as const, value: value as never });
export const ref = (node: string, ...path: (string | number)[]) => ({ kind: 'ref' as const, node, path });
export const tpl = (text: string) => ({ kind: 'template' as const, text });
export const expr = (source: string) => ({ kind: 'expr' as const, source });
