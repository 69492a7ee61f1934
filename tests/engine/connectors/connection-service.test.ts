import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectionService } from '../../../src/engine/connectors/connection-service.js';
import { ConnectorCatalog } from '../../../src/engine/connectors/connector-catalog.js';
import { createMemorySecretStore, type SecretStore } from '../../../src/engine/secrets/secret-store.js';
import { openDatabase } from '../../../src/engine/store/database.js';
import { findDescriptor } from '../../../src/shared/cards/catalog.js';
import { caught, rejected } from '../../support/caught.js';
import { FlowsteadError } from '../../../src/shared/errors.js';
import { tempDir } from '../../support/test-engine.js';

const TOKEN = '00aBcD-okta-token-that-must-never-leak-9f8e7d';

let dir: string;
let dbPath: string;
let db: ReturnType<typeof openDatabase>;
let secrets: SecretStore;
let service: ConnectionService;
let catalog: ConnectorCatalog;

beforeEach(() => {
  dir = tempDir();
  dbPath = path.join(dir, 'flowstead.db');
  db = openDatabase(dbPath);
  secrets = createMemorySecretStore();
  catalog = new ConnectorCatalog(db);
  service = new ConnectionService(db, secrets, catalog);
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const okta = (extra: Partial<Parameters<ConnectionService['save']>[0]> = {}) =>
  service.save({
    connector: 'okta',
    name: 'Okta production',
    settings: { orgUrl: 'https://acme.okta.com' },
    secrets: { apiToken: TOKEN },
    ...extra,
  });

describe('connections', () => {
  it('keeps settings in SQLite and the secret only in the secret store', async () => {
    const saved = await okta();
    expect(saved.settings).toEqual({ orgUrl: 'https://acme.okta.com' });
    expect(saved.secretsSet).toEqual(['apiToken']);
    expect(JSON.parse((await secrets.get(saved.id))!)).toEqual({ apiToken: TOKEN });

    db.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = Buffer.concat(fs.readdirSync(dir).map((file) => fs.readFileSync(path.join(dir, file))));
    expect(bytes.includes(Buffer.from(TOKEN))).toBe(false);
    expect(JSON.stringify(service.list())).not.toContain(TOKEN);
  });

  it('keeps a secret when an edit leaves it out, replaces it when given, and clears it with null', async () => {
    const saved = await okta();
    await service.save({
      id: saved.id,
      connector: 'okta',
      name: 'Okta prod',
      settings: { orgUrl: 'https://acme.okta.com' },
    });
    expect((await service.resolve(saved.id, 'okta')).values['apiToken']).toBe(TOKEN);

    await service.save({
      id: saved.id,
      connector: 'okta',
      name: 'Okta prod',
      settings: { orgUrl: 'https://acme.okta.com' },
      secrets: { apiToken: 'new-token' },
    });
    expect((await service.resolve(saved.id, 'okta')).values['apiToken']).toBe('new-token');

    const cleared = await service.save({
      id: saved.id,
      connector: 'okta',
      name: 'Okta prod',
      settings: { orgUrl: 'https://acme.okta.com' },
      secrets: { apiToken: null },
    });
    expect(cleared.secretsSet).toEqual([]);
    const error = await rejected(service.resolve(saved.id, 'okta'));
    expect(error.code).toBe('CONNECTION_SECRET_MISSING');
    expect(error.message).toContain('API token');
  });

  it('deleting a connection removes its keychain entry', async () => {
    const saved = await okta();
    await service.delete(saved.id);
    expect(await secrets.get(saved.id)).toBeNull();
    expect(service.list()).toEqual([]);
  });

  it('refuses bad input with the field to fix, and stores nothing', async () => {
    const cases: [Parameters<ConnectionService['save']>[0], string, string][] = [
      [{ connector: 'okta', name: 'x', settings: {} }, 'orgUrl', 'Org URL'],
      [{ connector: 'okta', name: 'x', settings: { orgUrl: 'acme.okta.com' } }, 'orgUrl', 'URL'],
      [
        { connector: 'okta', name: 'x', settings: { orgUrl: 'https://a.okta.com', apiToken: 'x' } },
        'apiToken',
        'OS keychain',
      ],
      [
        { connector: 'okta', name: 'x', settings: { orgUrl: 'https://a.okta.com', colour: 'red' } },
        'colour',
        'no field',
      ],
      [{ connector: 'okta', name: ' ', settings: { orgUrl: 'https://a.okta.com' } }, 'name', 'name'],
    ];
    for (const [input, field, words] of cases) {
      const error = await rejected(service.save(input));
      expect(error.code, field).toBe('CONNECTION_INVALID');
      expect(error.details?.['field'], field).toBe(field);
      expect(error.message, field).toContain(words);
    }
    expect((await rejected(service.save({ connector: 'nope', name: 'x', settings: {} }))).code).toBe(
      'CONNECTOR_NOT_FOUND',
    );
    expect(service.list()).toEqual([]);
    expect(await secrets.list()).toEqual([]);
  });

  it('fills defaults and refuses a connection used with another connector', async () => {
    const slack = await service.save({
      connector: 'slack',
      name: 'Slack',
      settings: {},
      secrets: { botToken: 'xoxb-1' },
    });
    expect(slack.settings['baseUrl']).toBe('https://slack.com/api');
    expect((await rejected(service.resolve(slack.id, 'okta'))).code).toBe('CONNECTION_WRONG_CONNECTOR');
  });

  it('leaves the database unchanged when the keychain cannot be written', async () => {
    const broken: SecretStore = {
      ...createMemorySecretStore(),
      set: async () => {
        throw new FlowsteadError('KEYCHAIN_UNAVAILABLE', 'The OS keychain could not be reached.');
      },
    };
    const withBroken = new ConnectionService(db, broken, catalog);
    const error = await rejected(
      withBroken.save({
        connector: 'okta',
        name: 'x',
        settings: { orgUrl: 'https://a.okta.com' },
        secrets: { apiToken: TOKEN },
      }),
    );
    expect(error.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(withBroken.list()).toEqual([]);
  });
});

describe('custom connectors', () => {
  const definition = {
    id: 'hr-portal',
    name: 'HR portal',
    fields: [
      { name: 'baseUrl', title: 'Base URL', type: 'url' },
      { name: 'token', title: 'Token', secret: true },
    ],
    auth: { scheme: 'bearer', token: '{{connection.token}}' },
    actions: [
      { name: 'getEmployee', title: 'Get employee', path: '/employees/{id}', inputs: [{ name: 'id', in: 'path' }] },
    ],
  };

  it('turns each action into a card and survives a restart', () => {
    catalog.saveCustom(definition);
    expect(findDescriptor('hr-portal.getEmployee')?.title).toBe('HR portal: Get employee');
    expect(findDescriptor('hr-portal.getEmployee')?.inputs.map((i) => i.name)).toEqual(['connection', 'id']);
    const reopened = new ConnectorCatalog(db);
    expect(reopened.find('hr-portal')?.name).toBe('HR portal');
    reopened.deleteCustom('hr-portal');
    expect(findDescriptor('hr-portal.getEmployee')).toBeUndefined();
  });

  it('names the invalid field of a definition and refuses built-in ids', () => {
    const bad = caught(() => catalog.saveCustom({ ...definition, actions: [{ name: 'Get Employee', title: 'x' }] }));
    expect(bad.code).toBe('CONNECTOR_INVALID');
    expect(bad.message).toContain('actions.0.name');
    expect(caught(() => catalog.saveCustom({ ...definition, id: 'okta' })).code).toBe('CONNECTOR_ID_TAKEN');
  });
});
