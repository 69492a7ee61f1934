/**
 * executor.steps10: 100,000 user records through a for-each whose helper flow has 10 cards,
 * at one history level (argv[2]); compared with a plain-JS loop doing the same 10 steps.
 * Run by bench/run.ts in its own process so peak RSS belongs to this case alone.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CARD_IMPLEMENTATIONS } from '../src/engine/cards/registry.js';
import { Executor } from '../src/engine/executor/executor.js';
import { RunStore } from '../src/engine/executor/run-store.js';
import { TableService } from '../src/engine/services/table-service.js';
import { openDatabase } from '../src/engine/store/database.js';
import { FLOW_SCHEMA_VERSION, flowDocumentSchema, type HistoryLevel } from '../src/shared/flow/schema.js';
import { edge, lit, node, ref } from './flow-parts.js';
import { peakRssMb, printLine, round } from './report.js';

const level = (process.argv[2] ?? 'none') as HistoryLevel;
const RECORDS = Number(process.env['BENCH_RECORDS'] ?? 100_000);
const CARDS_PER_RECORD = 10;

interface User {
  first: string;
  last: string;
  dept: string;
  status: string;
}

function users(): User[] {
  const firsts = ['Ana', 'Bo', 'Chen', 'Dara', 'Eli', 'Femi', 'Gus', 'Hana'];
  const lasts = ['Smith', 'Okafor', 'Novak', 'Garcia', 'Kim', 'Larsen'];
  return Array.from({ length: RECORDS }, (_, i) => ({
    first: firsts[i % firsts.length]!,
    last: lasts[i % lasts.length]!,
    dept: i % 3 === 0 ? 'IT' : 'Sales',
    status: i % 5 === 0 ? 'staged' : 'active',
  }));
}

const helper = flowDocumentSchema.parse({
  schemaVersion: FLOW_SCHEMA_VERSION,
  id: 'shapeUser',
  name: 'Shape user',
  historyLevel: level,
  trigger: {
    kind: 'helper',
    inputs: [
      { name: 'item', type: 'object' },
      { name: 'index', type: 'number' },
    ],
    outputs: [],
  },
  nodes: [
    node('domain', 'text.compose', { text: lit('example.com') }),
    node('displayName', 'text.compose', {
      text: { kind: 'template', text: '{{trigger.item.first}} {{trigger.item.last}}' },
    }),
    node('source', 'text.compose', { text: lit('HR') }),
    node('username', 'text.lower', {
      text: { kind: 'expr', source: 'substring(trigger.item.first, 0, 1) + trigger.item.last' },
    }),
    node('isIT', 'branch.if', { condition: { kind: 'expr', source: 'trigger.item.dept == "IT"' } }),
    node('typeIT', 'text.compose', { text: lit('it-staff') }),
    node('typeStaff', 'text.compose', { text: lit('staff') }),
    node('email', 'text.compose', { text: { kind: 'template', text: '{{username.text}}@{{domain.text}}' } }),
    node('renamed', 'object.construct', { lifecycle: ref('trigger', 'item', 'status') }),
    node('isActive', 'branch.if', { condition: { kind: 'expr', source: 'renamed.object.lifecycle == "active"' } }),
    node('upn', 'text.upper', { text: ref('email', 'text') }),
  ],
  edges: [
    edge('trigger', 'domain'),
    edge('domain', 'displayName'),
    edge('displayName', 'source'),
    edge('source', 'username'),
    edge('username', 'isIT'),
    edge('isIT', 'typeIT', 'true'),
    edge('isIT', 'typeStaff', 'false'),
    edge('typeIT', 'email'),
    edge('typeStaff', 'email'),
    edge('email', 'renamed'),
    edge('renamed', 'isActive'),
    edge('isActive', 'upn', 'true'),
    edge('isActive', 'upn', 'false'),
  ],
});

const main = flowDocumentSchema.parse({
  schemaVersion: FLOW_SCHEMA_VERSION,
  id: 'bulk',
  name: 'Shape all users',
  historyLevel: level,
  trigger: { kind: 'manual', inputs: [{ name: 'users', type: 'list' }] },
  nodes: [node('each', 'list.forEach', { flow: lit('shapeUser'), list: ref('trigger', 'users') })],
  edges: [edge('trigger', 'each')],
});

/** The same 10 steps as plain JavaScript: what the flow would cost with no engine at all. */
function plainLoop(list: User[]): unknown[] {
  const out: unknown[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const u = list[i]!;
    const domain = 'example.com';
    const displayName = `${u.first} ${u.last}`;
    const source = 'HR';
    const username = (u.first.slice(0, 1) + u.last).toLowerCase();
    const type = u.dept === 'IT' ? 'it-staff' : 'staff';
    const email = `${username}@${domain}`;
    const renamed = { lifecycle: u.status };
    const active = renamed.lifecycle === 'active';
    const upn = email.toUpperCase();
    out[i] = { displayName, source, type, email, active, upn };
  }
  return out;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowstead-bench-'));
try {
  const db = openDatabase(path.join(dir, 'bench.db'));
  const store = new RunStore(db);
  const executor = new Executor({
    store,
    findImplementation: (t) => CARD_IMPLEMENTATIONS.get(t),
    services: { tables: new TableService(db) },
  });
  const input = { users: users() };

  // Baseline: best of 5 (it is short and noisy).
  let baselineMs = Infinity;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    plainLoop(input.users);
    baselineMs = Math.min(baselineMs, performance.now() - t);
  }
  // Warm-up on a small slice so the measured run is not dominated by JIT compilation.
  await executor.start({
    flow: main,
    flowVersion: 1,
    helpers: { shapeUser: helper },
    input: { users: input.users.slice(0, 2000) },
  }).done;

  const t0 = performance.now();
  const outcome = await executor.start({ flow: main, flowVersion: 1, helpers: { shapeUser: helper }, input }).done;
  const elapsedMs = performance.now() - t0;
  if (outcome.status !== 'succeeded')
    throw new Error(`benchmark run ${outcome.status}: ${JSON.stringify(outcome.error)}`);
  const executions = RECORDS * CARDS_PER_RECORD;
  const usPerCard = (elapsedMs * 1000) / executions;
  const baselineUs = (baselineMs * 1000) / executions;
  printLine({
    name: `executor.steps10.${level}`,
    value: round(usPerCard),
    unit: 'us/card',
    baseline: round(baselineUs, 4),
    ratio: round(usPerCard / baselineUs, 1),
    peakRssMb: peakRssMb(),
    records: RECORDS,
    totalMs: round(elapsedMs, 1),
  });
  db.close();
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
