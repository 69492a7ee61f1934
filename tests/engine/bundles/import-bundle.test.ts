import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serializeBundle, type Bundle } from '../../../src/engine/bundles/bundle-format.js';
import { createBundle } from '../../../src/engine/bundles/export-bundle.js';
import { importBundle } from '../../../src/engine/bundles/import-bundle.js';
import { generateSigningKey, loadSigningKey, signBundle, verifyBundle } from '../../../src/engine/bundles/signing.js';
import { caught } from '../../support/caught.js';
import { openWorkspace, seedJoiner, type Workspace } from '../../fixtures/bundles/workspace.js';

let source: Workspace;
let target: Workspace;
let seeded: Awaited<ReturnType<typeof seedJoiner>>;

beforeEach(async () => {
  source = openWorkspace();
  seeded = await seedJoiner(source);
  target = openWorkspace();
});
afterEach(() => {
  source.close();
  target.close();
});

/** Exports from the source, signs, writes the text, and reads it back through verification. */
async function shipped(options: { includeTableData?: boolean } = {}): Promise<Bundle> {
  const { publicKeyPem } = await generateSigningKey(source.secrets, { replace: true });
  const key = (await loadSigningKey(source.secrets))!;
  const bundle = createBundle(source.sources, { flowIds: ['joiner'], name: 'Joiner', version: '1.0.0', ...options });
  const text = serializeBundle(signBundle(bundle, key.privateKey));
  return verifyBundle(text, { trustedKeys: [publicKeyPem] }).bundle;
}

describe('importBundle', () => {
  it('round trips: sign, verify and import into a fresh database gives the same flows', async () => {
    const bundle = await shipped({ includeTableData: true });
    const summary = importBundle(target.targets, bundle);

    expect(summary.flows).toEqual(['joiner', 'format-name', 'lookup-employee']);
    expect(summary.connectors).toEqual(['hr-portal']);
    expect(summary.connectionsNeeded.map((c) => c.name).sort()).toEqual(['HR portal', 'Okta prod']);
    expect(target.connectors.find('hr-portal')).toEqual(source.connectors.find('hr-portal'));

    const [table] = summary.tables;
    expect(table).toMatchObject({
      bundleId: seeded.departments.id,
      name: 'Departments',
      created: true,
      rowsInserted: 2,
    });
    expect(target.tables.get(table!.id).columns).toEqual(seeded.departments.columns);
    expect(target.tables.query({ tableId: table!.id }).rows.map((r) => r.values)).toEqual([
      { code: 'ENG', manager: 'ada@acme.test' },
      { code: 'OPS', manager: 'grace@acme.test' },
    ]);

    // The flows are the same documents, except that the table card points at the table here.
    expect(target.flows.findFlow('joiner')).toEqual(source.flows.findFlow('joiner'));
    expect(target.flows.findFlow('format-name')).toEqual(source.flows.findFlow('format-name'));
    const lookup = target.flows.findFlow('lookup-employee')!;
    const original = source.flows.findFlow('lookup-employee')!;
    expect(lookup.nodes.find((n) => n.id === 'dept1')!.inputs.table).toEqual({ kind: 'literal', value: table!.id });
    expect({ ...lookup, nodes: lookup.nodes.filter((n) => n.id !== 'dept1') }).toEqual({
      ...original,
      nodes: original.nodes.filter((n) => n.id !== 'dept1'),
    });
    expect(target.flows.findFlow('unrelated')).toBeUndefined();
  });

  it('carries a unique column: the imported table has the index and refuses duplicates', async () => {
    source.tables.setColumnIndex({ tableId: seeded.departments.id, column: 'code', index: 'unique' });
    const bundle = await shipped({ includeTableData: true });
    expect(bundle.tables[0]!.columns[0]).toEqual({ name: 'code', type: 'text', index: 'unique' });
    const [table] = importBundle(target.targets, bundle).tables;
    expect(target.tables.get(table!.id).columns).toEqual(source.tables.get(seeded.departments.id).columns);
    expect(target.tables.textLookup(table!.id, 'code')!.has('eng')).toBe(true);
    expect(caught(() => target.tables.insertRows({ tableId: table!.id, rows: [{ code: 'Ops' }] })).code).toBe(
      'TABLE_VALUE_NOT_UNIQUE',
    );
  });

  it('imports the same bundle twice without duplicating tables, rows or versions', async () => {
    const bundle = await shipped({ includeTableData: true });
    importBundle(target.targets, bundle);
    const again = importBundle(target.targets, bundle);
    expect(again.tables[0]).toMatchObject({ created: false, rowsInserted: 0 });
    expect(target.tables.list()).toHaveLength(1);
    expect(target.tables.get('Departments').rowCount).toBe(2);
    expect(target.flows.versions({ id: 'joiner' })).toHaveLength(1);
  });

  it('refuses to overwrite a different flow with the same id unless asked, and writes nothing then', async () => {
    const bundle = await shipped();
    target.flows.save({ flow: { ...seeded.flows.joiner, name: 'Our own joiner' } });

    const error = caught(() => importBundle(target.targets, bundle));
    expect(error.code).toBe('BUNDLE_IMPORT_CONFLICT');
    expect(error.message).toContain('"Our own joiner" (joiner)');
    expect(error.message).toMatch(/replace/);
    expect(target.flows.findFlow('format-name')).toBeUndefined();
    expect(target.tables.list()).toEqual([]);
    expect(target.connectors.find('hr-portal')).toBeUndefined();

    importBundle(target.targets, bundle, { replace: true });
    expect(target.flows.findFlow('joiner')!.name).toBe('Joiner');
    expect(target.flows.versions({ id: 'joiner' })).toHaveLength(2);
  });

  it('undoes what it wrote when a write fails half-way', async () => {
    const bundle = await shipped({ includeTableData: true });
    // A row the table's columns refuse fails the import after connectors and tables were written.
    const broken: Bundle = {
      ...bundle,
      tables: bundle.tables.map((t) => ({ ...t, rows: [...(t.rows ?? []), { nope: 'x' }] })),
    };
    expect(() => importBundle(target.targets, broken)).toThrow();
    expect(target.tables.list()).toEqual([]);
    expect(target.connectors.find('hr-portal')).toBeUndefined();
    expect(target.flows.list({})).toEqual([]);
  });

  it('refuses an existing table that lacks the columns the flows use', async () => {
    const bundle = await shipped();
    target.tables.create({ name: 'Departments', columns: [{ name: 'code', type: 'number' }] });
    const error = caught(() => importBundle(target.targets, bundle));
    expect(error.code).toBe('BUNDLE_IMPORT_CONFLICT');
    expect(error.message).toContain('code (text), manager (text)');
  });
});
