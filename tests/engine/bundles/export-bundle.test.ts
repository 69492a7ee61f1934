import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  canonicalJson,
  computeContentHash,
  serializeBundle,
  type Bundle,
} from '../../../src/engine/bundles/bundle-format.js';
import { connectionEnvVariable, createBundle } from '../../../src/engine/bundles/export-bundle.js';
import { generateSigningKey, loadSigningKey, signBundle } from '../../../src/engine/bundles/signing.js';
import { caught } from '../../support/caught.js';
import { card, flow, lit } from '../../support/test-engine.js';
import { HR_KEY, OKTA_TOKEN, openWorkspace, seedJoiner, type Workspace } from '../../fixtures/bundles/workspace.js';

let workspace: Workspace;
beforeEach(() => {
  workspace = openWorkspace();
});
afterEach(() => workspace.close());

const exportJoiner = (extra: { includeTableData?: boolean } = {}): Bundle =>
  createBundle(workspace.sources, { flowIds: ['joiner'], name: 'Joiner', version: '1.2.0', ...extra });

describe('canonicalJson', () => {
  it('sorts keys at every level, drops undefined and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: true, y: null }], c: 'x' }, u: undefined })).toBe(
      '{"a":{"c":"x","d":[2,{"y":null,"z":true}]},"b":1}',
    );
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });
});

describe('createBundle', () => {
  it('carries the entry flow, its helpers transitively, the custom connector, the table schema and the connections', async () => {
    const seeded = await seedJoiner(workspace);
    const bundle = exportJoiner();

    expect(bundle.format).toBe('flowstead-bundle');
    expect(bundle.formatVersion).toBe(1);
    expect(bundle.flows.map((f) => f.id)).toEqual(['joiner', 'format-name', 'lookup-employee']);
    expect(bundle.flows[0]).toEqual(seeded.flows.joiner);
    expect(bundle.connectors.map((c) => c.id)).toEqual(['hr-portal']);
    expect(bundle.tables).toEqual([
      {
        id: seeded.departments.id,
        name: 'Departments',
        columns: [
          { name: 'code', type: 'text' },
          { name: 'manager', type: 'text' },
        ],
      },
    ]);

    const { manifest } = bundle;
    expect(manifest).toMatchObject({
      name: 'Joiner',
      version: '1.2.0',
      flowsteadVersion: '0.1.0-test',
      schemaVersion: 1,
    });
    expect(manifest.entryFlows).toEqual([{ id: 'joiner', name: 'Joiner', trigger: seeded.flows.joiner.trigger }]);
    expect(manifest.connections).toEqual(
      [
        {
          id: seeded.okta.id,
          name: 'Okta prod',
          connector: 'okta',
          fields: ['orgUrl', 'apiToken'],
          secretFields: ['apiToken'],
          envPrefix: 'FLOWSTEAD_CONN_OKTA_PROD_',
          settings: { orgUrl: 'https://acme.okta.com' },
        },
        {
          id: seeded.hr.id,
          name: 'HR portal',
          connector: 'hr-portal',
          fields: ['baseUrl', 'apiKey'],
          secretFields: ['apiKey'],
          envPrefix: 'FLOWSTEAD_CONN_HR_PORTAL_',
          settings: { baseUrl: 'https://hr.example.com' },
        },
      ].sort((a, b) => a.id.localeCompare(b.id)),
    );
    expect(connectionEnvVariable(manifest.connections[0]!, 'apiToken')).toMatch(/_API_TOKEN$/);
    expect(manifest.contentHash).toBe(computeContentHash(bundle));
    expect(bundle.signature).toBeUndefined();
  });

  it('carries table rows only when asked', async () => {
    await seedJoiner(workspace);
    expect(exportJoiner().tables[0]!.rows).toBeUndefined();
    expect(exportJoiner({ includeTableData: true }).tables[0]!.rows).toEqual([
      { code: 'ENG', manager: 'ada@acme.test' },
      { code: 'OPS', manager: 'grace@acme.test' },
    ]);
  });

  it('never writes a secret value into the bundle, signed or not', async () => {
    await seedJoiner(workspace);
    await generateSigningKey(workspace.secrets);
    const key = (await loadSigningKey(workspace.secrets))!;
    const texts = [serializeBundle(exportJoiner({ includeTableData: true }))];
    texts.push(serializeBundle(signBundle(exportJoiner(), key.privateKey)));
    const storedSecrets = await Promise.all((await workspace.secrets.list()).map((a) => workspace.secrets.get(a)));
    expect(storedSecrets.join('\n')).toContain(OKTA_TOKEN);

    for (const text of texts) {
      const bytes = Buffer.from(text, 'utf8');
      for (const secret of [OKTA_TOKEN, HR_KEY]) {
        expect(bytes.includes(Buffer.from(secret, 'utf8'))).toBe(false);
        expect(text.includes(Buffer.from(secret).toString('base64'))).toBe(false);
      }
      expect(text).not.toContain('PRIVATE KEY');
    }
  });

  it('names the card and the fix when a helper flow is missing', async () => {
    await seedJoiner(workspace);
    workspace.flows.delete({ id: 'format-name' });
    const error = caught(exportJoiner);
    expect(error.code).toBe('BUNDLE_HELPER_NOT_FOUND');
    expect(error.message).toContain('`name1`');
    expect(error.message).toContain('"Look up employee"');
    expect(error.message).toContain('format-name');
    expect(error.message).toMatch(/Pick an existing helper flow/);
  });

  it('names the card when a table or a connection is missing', async () => {
    const seeded = await seedJoiner(workspace);
    workspace.tables.delete({ tableId: seeded.departments.id });
    const tableError = caught(exportJoiner);
    expect(tableError.code).toBe('BUNDLE_TABLE_NOT_FOUND');
    expect(tableError.message).toContain('`dept1`');

    workspace.tables.create({ name: 'Departments', columns: [{ name: 'code', type: 'text' }] });
    workspace.flows.save({
      flow: { ...seeded.flows.lookup, nodes: seeded.flows.lookup.nodes.filter((n) => n.id !== 'dept1') },
    });
    await workspace.connections.delete(seeded.okta.id);
    const connectionError = caught(exportJoiner);
    expect(connectionError.code).toBe('BUNDLE_CONNECTION_NOT_FOUND');
    expect(connectionError.message).toContain('`okta1`');
    expect(connectionError.message).toMatch(/Pick a connection on the card/);
  });

  it('refuses a flow that does not exist and a card of an unknown type', () => {
    expect(caught(() => createBundle(workspace.sources, { flowIds: ['nope'], name: 'X', version: '1' })).code).toBe(
      'BUNDLE_FLOW_NOT_FOUND',
    );
    workspace.flows.save({ flow: flow({ id: 'odd', nodes: [card('x1', 'gone.action', { a: lit(1) })] }) });
    const error = caught(() => createBundle(workspace.sources, { flowIds: ['odd'], name: 'X', version: '1' }));
    expect(error.code).toBe('BUNDLE_UNKNOWN_CARD');
    expect(error.message).toContain('gone.action');
  });

  it('refuses a version that is not a version number', async () => {
    await seedJoiner(workspace);
    const error = caught(() =>
      createBundle(workspace.sources, { flowIds: ['joiner'], name: 'Joiner', version: 'latest' }),
    );
    expect(error.code).toBe('BUNDLE_OPTIONS_INVALID');
    expect(error.message).toContain('manifest.version');
  });
});
