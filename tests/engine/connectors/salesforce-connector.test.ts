import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp } from '../../support/engine-app.js';
import { startSalesforceEmulator, type SalesforceEmulator } from '../../support/emulators/salesforce.js';
import { card, flow, lit, ref } from '../../support/test-engine.js';

// Every Salesforce card through the whole engine against an emulator of the REST API v60.0: the
// OAuth 2.0 client credentials flow of a connected app, sObject create and update, SOQL with
// query-locator batches (nextRecordsUrl), and errors as `[{message, errorCode, fields}]`.
let sf: SalesforceEmulator;
let app: Awaited<ReturnType<typeof openTestApp>>;
let connection: string;

beforeAll(async () => {
  // Small batches so a modest query needs several round trips, as 2000+ records would in an org.
  sf = await startSalesforceEmulator({ batchSize: 200 });
  app = await openTestApp();
  connection = (
    await app.handlers['connections.save']({
      connector: 'salesforce',
      name: 'Salesforce emulator',
      settings: { instanceUrl: sf.url, clientId: sf.clientId },
      secrets: { clientSecret: sf.clientSecret },
    })
  ).id;
});
afterAll(async () => {
  await app?.close();
  await sf?.close();
});

async function runCards(id: string, nodes: Parameters<typeof flow>[0]['nodes'], input = {}) {
  await app.handlers['flows.save']({ flow: flow({ id, name: id, nodes }) });
  return app.run(id, input);
}

const c = () => ({ connection: lit(connection) });
const users = () => [...(sf.state.records.get('User')?.values() ?? [])];

describe('Salesforce connector', () => {
  it('creates a user, updates it and queries it back, with one token for every card', async () => {
    const profile = sf.seed.record('Profile', { Name: 'Standard User' });
    const run = await runCards('joiner', [
      card('create', 'salesforce.createRecord', {
        ...c(),
        objectType: lit('User'),
        fields: lit({
          Username: 'ana.novak@example.com.acme',
          FirstName: 'Ana',
          LastName: 'Novak',
          Email: 'ana.novak@example.com',
          Alias: 'anovak',
          ProfileId: profile.Id,
          TimeZoneSidKey: 'Europe/Prague',
          LocaleSidKey: 'en_US',
          EmailEncodingKey: 'UTF-8',
          LanguageLocaleKey: 'en_US',
        }),
      }),
      card('update', 'salesforce.updateRecord', {
        ...c(),
        objectType: lit('User'),
        recordId: ref('create', 'id'),
        fields: lit({ Title: 'Controller', Department: 'Finance' }),
      }),
      card('query', 'salesforce.query', {
        ...c(),
        soql: lit("SELECT Id, Username, Title, Department, IsActive FROM User WHERE Email = 'ana.novak@example.com'"),
      }),
      card('done', 'control.return', { id: ref('create', 'id'), found: ref('query', 'items') }),
    ]);
    expect(run.error).toBeNull();
    const stored = users().find((u) => u.Username === 'ana.novak@example.com.acme')!;
    expect(run.output?.['id']).toBe(stored.Id);
    expect(stored).toMatchObject({
      FirstName: 'Ana',
      LastName: 'Novak',
      ProfileId: profile.Id,
      IsActive: true,
      Title: 'Controller',
      Department: 'Finance',
    });
    expect(run.output?.['found']).toEqual([
      expect.objectContaining({
        Id: stored.Id,
        Username: 'ana.novak@example.com.acme',
        Title: 'Controller',
        Department: 'Finance',
        IsActive: true,
      }),
    ]);
    expect(sf.requests.some((r) => r.method === 'PATCH' && r.path.endsWith(`/sobjects/User/${stored.Id}`))).toBe(true);
    // The token is fetched once, then reused by all three cards.
    expect(sf.stats.tokenRequests).toBe(1);
  });

  it('returns every record of a SOQL query across nextRecordsUrl batches', async () => {
    const account = sf.seed.record('Account', { Name: 'Acme' });
    for (let i = 0; i < 450; i++) {
      sf.seed.record('Contact', { LastName: `Bulk${String(i).padStart(3, '0')}`, AccountId: account.Id });
    }
    const tokensBefore = sf.stats.tokenRequests;
    const queriesBefore = sf.requests.length;
    const run = await runCards('bulk-query', [
      card('query', 'salesforce.query', {
        ...c(),
        soql: lit(`SELECT Id, LastName FROM Contact WHERE AccountId = '${account.Id}' ORDER BY LastName`),
      }),
      card('done', 'control.return', { contacts: ref('query', 'items') }),
    ]);
    expect(run.error).toBeNull();
    const contacts = run.output?.['contacts'] as { Id: string; LastName: string }[];
    expect(contacts).toHaveLength(450);
    expect(new Set(contacts.map((x) => x.Id)).size).toBe(450);
    expect(contacts[0]?.LastName).toBe('Bulk000');
    expect(contacts.at(-1)?.LastName).toBe('Bulk449');
    const batches = sf.requests.slice(queriesBefore).filter((r) => r.path.startsWith('/services/data/v60.0/query'));
    expect(batches).toHaveLength(3);
    expect(batches.slice(1).every((r) => /\/query\/01g/.test(r.path))).toBe(true);
    expect(sf.stats.tokenRequests - tokensBefore).toBe(0);
  });

  it('fails a record without required fields with REQUIRED_FIELD_MISSING, never showing secret or token', async () => {
    const run = await runCards('missing-fields', [
      card('create', 'salesforce.createRecord', {
        ...c(),
        objectType: lit('User'),
        fields: lit({ Username: 'incomplete@example.com.acme', LastName: 'Incomplete' }),
      }),
    ]);
    expect(run.status).toBe('failed');
    expect(run.error?.code).toBe('HTTP_400');
    expect(run.error?.message).toContain('REQUIRED_FIELD_MISSING');
    expect(run.error?.message).toContain('Required fields are missing');
    const shown = JSON.stringify(run.error);
    expect(shown).not.toContain(sf.clientSecret);
    const tokens = sf.requests.map((r) => r.headers.authorization?.replace(/^Bearer /, '')).filter(Boolean);
    for (const token of tokens) expect(shown).not.toContain(token);
    expect(users().some((u) => u.Username === 'incomplete@example.com.acme')).toBe(false);
  });

  it('fails broken SOQL with MALFORMED_QUERY', async () => {
    const run = await runCards('bad-soql', [
      card('query', 'salesforce.query', { ...c(), soql: lit('SELECT FROM WHERE') }),
    ]);
    expect(run.status).toBe('failed');
    expect(run.error?.code).toBe('HTTP_400');
    expect(run.error?.message).toContain('MALFORMED_QUERY');
  });

  it('gets a new token once after the session expires', async () => {
    const contact = sf.seed.record('Contact', { LastName: 'Expiry' });
    const before = sf.stats.tokenRequests;
    sf.expireSessions();
    const run = await runCards('after-expiry', [
      card('update', 'salesforce.updateRecord', {
        ...c(),
        objectType: lit('Contact'),
        recordId: lit(contact.Id),
        fields: lit({ Title: 'Renewed' }),
      }),
      card('query', 'salesforce.query', {
        ...c(),
        soql: lit("SELECT Id, Title FROM Contact WHERE LastName = 'Expiry'"),
      }),
      card('done', 'control.return', { found: ref('query', 'items') }),
    ]);
    expect(run.error).toBeNull();
    expect(run.output?.['found']).toEqual([expect.objectContaining({ Id: contact.Id, Title: 'Renewed' })]);
    expect(sf.stats.tokenRequests - before).toBe(1);
  });
});
