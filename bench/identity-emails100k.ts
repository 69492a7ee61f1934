/**
 * identity.emails100k: 100,000 people (20% exact duplicates; Latin with diacritics, Cyrillic, Greek)
 * get unique addresses, checked against 1,000,000 addresses held in a real table whose email
 * column is indexed (the export has some repeats, so not unique), so the cards ask its index
 * about each candidate.
 * - identity.emails100k: the `identity.uniqueEmails` card over the whole list, in one run.
 * - identity.emails100k.perRow: a bulk run (one flow run per row, history `metadata`) of a flow
 *   using `identity.uniqueEmail`; the run keeps its rows' addresses unique.
 * - identity.emails100k.perRow.claimTable: the same, also claiming each address in a claim table
 *   (so later runs never give it out again).
 * - identity.emails100k.unindexed: the list case again after the column's index is dropped: the
 *   card then reads the whole column (the cost of a table without an index).
 * All are compared with a plain-JS loop doing the same normalisation and Set lookups over the
 * addresses held in memory.
 * Setup (filling the table) is timed separately and not part of either figure.
 * argv[2] picks one case (`wholeList`, `perRow`, `perRowClaims` or `unindexed`, so bench/run.ts
 * measures each one's peak RSS alone); none runs them all.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openEngine, type EngineApp } from '../src/engine/app.js';
import { toAsciiName } from '../src/engine/identity/transliterate.js';
import type { ProgressEvent } from '../src/shared/api/contract.js';
import { FLOW_SCHEMA_VERSION, flowDocumentSchema } from '../src/shared/flow/schema.js';
import { edge, lit, node, ref } from './flow-parts.js';
import { peakRssMb, printLine, round } from './report.js';

const only = process.argv[2];
const PEOPLE = Number(process.env['BENCH_PEOPLE'] ?? 100_000);
const EXISTING = Number(process.env['BENCH_EXISTING'] ?? 1_000_000);
const PER_ROW_PEOPLE = Number(process.env['BENCH_PER_ROW_PEOPLE'] ?? PEOPLE);
const INSERT_BATCH = 100_000;
const DOMAIN = 'example.com';

/** mulberry32: a small seeded generator, so every run sees the same names. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  ...['José', 'Zoë', 'Ana', 'Björn', 'Søren', 'François', 'Łukasz', 'Ágnes', 'Jürgen', 'Chloé', 'Iñaki', 'Renée'],
  ...['John', 'Mary', 'Wei', 'Fatima', 'Olga', 'Ömer', 'Çağla', 'Dvořák', 'Mikuláš', 'Đorđe', 'Émile', 'Núria'],
  ...['Иван', 'Мария', 'Алексей', 'Наталья', 'Дмитрий', 'Ольга', 'Сергей', 'Юлия', 'Пётр', 'Ёлка'],
  ...['Γιώργος', 'Μαρία', 'Νίκος', 'Ελένη', 'Δημήτρης', 'Σοφία', 'Κώστας', 'Αθηνά'],
];
const LAST = [
  ...['Müller', 'García', 'Smith', 'Nowak', 'Kovačević', 'Øster', 'Ñúñez', 'Lefèvre', 'Schröder', 'Jensen'],
  ...['Brown', 'Silva', 'Rossi', 'Dubois', 'Horváth', 'Yılmaz', 'Novák', 'Åberg', 'Kowalczyk', 'Özdemir'],
  ...['Иванов', 'Петрова', 'Смирнов', 'Кузнецова', 'Попов', 'Соколов', 'Лебедев', 'Щукин', 'Жуков'],
  ...['Παπαδόπουλος', 'Οικονόμου', 'Γεωργίου', 'Νικολάου', 'Αντωνίου', 'Ιωάννου', 'Καραγιάννης'],
];
const SYLLABLES = ['', '', '', 'son', 'berg', 'ov', 'ić', 'ez', 'ini', 'ová', 'sen', 'ski'];

interface Person {
  first: string;
  last: string;
}

function people(count: number): Person[] {
  const random = seeded(20_250_101);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const list: Person[] = [];
  for (let i = 0; i < count; i++) {
    // One row in five repeats an earlier row exactly: the same person exported twice.
    if (i > 0 && random() < 0.2) list.push({ ...list[Math.floor(random() * i)]! });
    else list.push({ first: pick(FIRST), last: pick(LAST) + pick(SYLLABLES) });
  }
  return list;
}

/** Addresses already in use: many of the same names with suffixes, so lookups really collide. */
function existingAddresses(count: number): string[] {
  const random = seeded(42);
  const firsts = FIRST.map((n) =>
    toAsciiName(n)
      .toLowerCase()
      .replace(/[^a-z]/g, ''),
  );
  const lasts = LAST.flatMap((l) =>
    SYLLABLES.map((s) =>
      toAsciiName(l + s)
        .toLowerCase()
        .replace(/[^a-z]/g, ''),
    ),
  );
  const out: string[] = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    const first = firsts[Math.floor(random() * firsts.length)]!;
    const last = lasts[Math.floor(random() * lasts.length)]!;
    const r = random();
    // A third are plain first.last; the rest numbered or other staff.
    const local =
      r < 0.02
        ? `${first}.${last}`
        : r < 0.3
          ? `${first}.${last}${2 + Math.floor(random() * 60)}`
          : `${first[0]}${last}.${i}`;
    out[i] = `${local}@${DOMAIN}`;
  }
  return out;
}

/** The straightforward loop an engineer would write: NFD, strip marks, lower case, keep a-z, Set lookups. */
function plainLoop(list: readonly Person[], existing: readonly string[]): (string | null)[] {
  const clean = (s: string) =>
    s
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^a-z]/g, '');
  const taken = new Set<string>();
  for (const address of existing) taken.add(address.slice(0, address.lastIndexOf('@')).toLowerCase());
  const nextSuffix = new Map<string, number>();
  const out: (string | null)[] = new Array<string | null>(list.length);
  for (let i = 0; i < list.length; i++) {
    const first = clean(list[i]!.first);
    const last = clean(list[i]!.last);
    if (first === '' || last === '') {
      out[i] = null;
      continue;
    }
    const base = `${first}.${last}`;
    let local = base;
    if (nextSuffix.has(base) || taken.has(base)) {
      let n = nextSuffix.get(base) ?? 2;
      while (taken.has(base + n)) n++;
      local = base + n;
      nextSuffix.set(base, n + 1);
    } else {
      nextSuffix.set(base, 2);
    }
    taken.add(local);
    out[i] = `${local}@${DOMAIN}`;
  }
  return out;
}

function wholeListFlow(tableId: string) {
  return flowDocumentSchema.parse({
    schemaVersion: FLOW_SCHEMA_VERSION,
    id: 'emailsWholeList',
    name: 'Unique emails, whole list',
    historyLevel: 'metadata',
    trigger: { kind: 'manual', inputs: [{ name: 'people', type: 'list' }] },
    nodes: [
      node('emails', 'identity.uniqueEmails', {
        people: ref('trigger', 'people'),
        domain: lit(DOMAIN),
        existingTable: lit(tableId),
      }),
      node('done', 'control.return', { okCount: ref('emails', 'okCount'), errorCount: ref('emails', 'errorCount') }),
    ],
    edges: [edge('trigger', 'emails'), edge('emails', 'done')],
  });
}

function perRowFlow(existingTableId: string, claimTableId: string | null) {
  return flowDocumentSchema.parse({
    schemaVersion: FLOW_SCHEMA_VERSION,
    id: 'emailPerRow',
    name: 'Unique email, one person',
    historyLevel: 'metadata',
    trigger: {
      kind: 'manual',
      inputs: [
        { name: 'first', type: 'text', required: true },
        { name: 'last', type: 'text', required: true },
      ],
    },
    nodes: [
      node('email', 'identity.uniqueEmail', {
        first: ref('trigger', 'first'),
        last: ref('trigger', 'last'),
        domain: lit(DOMAIN),
        existingTable: lit(existingTableId),
        ...(claimTableId === null ? {} : { claimTable: lit(claimTableId) }),
      }),
      node('done', 'control.return', { email: ref('email', 'email'), error: ref('email', 'error') }),
    ],
    edges: [edge('trigger', 'email'), edge('email', 'done')],
  });
}

/** Resolves when the run finishes; progress events are collected from before the run starts. */
function finishes(engine: EngineApp) {
  const finished = new Map<string, ProgressEvent>();
  const waiting = new Map<string, (event: ProgressEvent) => void>();
  const stop = engine.onProgress((event) => {
    if (event.kind !== 'run.finished') return;
    const resolve = waiting.get(event.runId);
    if (resolve) resolve(event);
    else finished.set(event.runId, event);
  });
  return {
    wait: (runId: string) =>
      new Promise<ProgressEvent>((resolve) => {
        const done = finished.get(runId);
        if (done) resolve(done);
        else waiting.set(runId, resolve);
      }),
    stop,
  };
}

function bestOf(times: number, fn: () => void): number {
  let best = Infinity;
  for (let i = 0; i < times; i++) {
    const t = performance.now();
    fn();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowstead-identity-bench-'));
const engine = await openEngine({ dbPath: path.join(dir, 'bench.db') });
const runs = finishes(engine);
try {
  const api = engine.handlers;
  const list = people(PEOPLE);
  const existing = existingAddresses(EXISTING);

  const setupStart = performance.now();
  const table = await api['tables.create']({ name: 'Mailboxes', columns: [{ name: 'email', type: 'text' }] });
  for (let i = 0; i < existing.length; i += INSERT_BATCH) {
    await api['tables.insertRows']({
      tableId: table.id,
      rows: existing.slice(i, i + INSERT_BATCH).map((email) => ({ email })),
    });
  }
  await api['tables.setColumnIndex']({ tableId: table.id, column: 'email', index: 'indexed' });
  const setupMs = performance.now() - setupStart;

  const baselineMs = bestOf(3, () => plainLoop(list, existing));
  const baselineRowsPerS = PEOPLE / (baselineMs / 1000);

  // Whole list: one run of the list card.
  if (only === undefined || only === 'wholeList') await wholeList('identity.emails100k');
  if (only === undefined || only === 'perRow') await perRow('identity.emails100k.perRow', false);
  if (only === undefined || only === 'perRowClaims') await perRow('identity.emails100k.perRow.claimTable', true);
  if (only === undefined || only === 'unindexed') {
    await api['tables.setColumnIndex']({ tableId: table.id, column: 'email', index: 'none' });
    await wholeList('identity.emails100k.unindexed');
  }

  async function wholeList(name: string) {
    await api['flows.save']({ flow: wholeListFlow(table.id) });
    const t0 = performance.now();
    const { runId } = await api['runs.start']({ flowId: 'emailsWholeList', input: { people: list as never } });
    const finished = await runs.wait(runId);
    const wholeMs = performance.now() - t0;
    if (finished.kind !== 'run.finished' || finished.status !== 'succeeded')
      throw new Error(`whole-list run ended ${JSON.stringify(finished)}`);
    const wholeOutput = (await api['runs.get']({ runId })).output as { okCount: number; errorCount: number };
    const wholeRowsPerS = PEOPLE / (wholeMs / 1000);
    printLine({
      name,
      value: Math.round(wholeRowsPerS),
      unit: 'rows/s',
      baseline: Math.round(baselineRowsPerS),
      ratio: round(wholeMs / baselineMs, 2),
      peakRssMb: peakRssMb(),
      rows: PEOPLE,
      existing: EXISTING,
      totalMs: round(wholeMs, 1),
      baselineMs: round(baselineMs, 1),
      ok: wholeOutput.okCount,
      errors: wholeOutput.errorCount,
      setupMs: round(setupMs, 1),
      existingIndex: name === 'identity.emails100k' ? 'indexed' : 'none',
      goal: name === 'identity.emails100k' ? 'ratio <= 1.5' : null,
    });
  }

  /**
   * Per row: a bulk run, one flow run per person. Without a claim table the rows of the run are
   * unique among themselves (the run notes what it gave out); with one, each address is also
   * claimed in the table for later runs.
   */
  async function perRow(name: string, withClaims: boolean) {
    const claims = withClaims
      ? await api['tables.create']({ name: 'Claimed', columns: [{ name: 'email', type: 'text' }] })
      : undefined;
    await api['flows.save']({ flow: perRowFlow(table.id, claims?.id ?? null) });
    const rows = list.slice(0, PER_ROW_PEOPLE);
    const perRowBaselineMs = bestOf(3, () => plainLoop(rows, existing));
    const t1 = performance.now();
    const bulk = await api['bulk.start']({
      flowId: 'emailPerRow',
      rows: rows as never,
      mode: 'perRow',
      concurrency: 50,
      historyLevel: 'metadata',
    });
    const bulkFinished = await runs.wait(bulk.runId);
    const perRowMs = performance.now() - t1;
    if (bulkFinished.kind !== 'run.finished' || bulkFinished.status !== 'succeeded')
      throw new Error(`bulk run ended ${JSON.stringify(bulkFinished)}`);
    const results = await api['bulk.results']({ runId: bulk.runId });
    const distinct = new Set(results.rows.map((r) => r.output?.['email']).filter((e) => typeof e === 'string')).size;
    const claimed = claims
      ? (await api['tables.query']({ tableId: claims.id, offset: 0, limit: 1, filters: [] })).total
      : null;
    printLine({
      name,
      value: Math.round(rows.length / (perRowMs / 1000)),
      unit: 'rows/s',
      baseline: Math.round(rows.length / (perRowBaselineMs / 1000)),
      ratio: round(perRowMs / perRowBaselineMs, 1),
      peakRssMb: peakRssMb(),
      rows: rows.length,
      existing: EXISTING,
      totalMs: round(perRowMs, 1),
      ok: results.ok,
      errors: results.failed,
      distinctAddresses: distinct,
      claimed,
      goal: withClaims ? null : '>= 50000 rows/s',
    });
  }
} finally {
  runs.stop();
  await engine.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
