import { afterEach, describe, expect, it } from 'vitest';
import { looseFetch } from '../../../support/emulators/loose-fetch.js';
import { startSalesforceEmulator, type SalesforceEmulator } from '../../../support/emulators/salesforce.js';

let sf: SalesforceEmulator;
afterEach(() => sf?.close());

const api = '/services/data/v60.0';

function call(
  path: string,
  init: { method?: string; body?: unknown; token?: string; headers?: Record<string, string> } = {},
) {
  return looseFetch(`${sf.url}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      Authorization: `Bearer ${init.token ?? sf.token}`,
      ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...init.headers,
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

const query = (soql: string, headers?: Record<string, string>) =>
  call(`${api}/query?q=${encodeURIComponent(soql)}`, { headers });

const newUser = (username: string) => ({
  Username: username,
  LastName: 'Lovelace',
  Email: username,
  Alias: 'alove',
  TimeZoneSidKey: 'Europe/London',
  LocaleSidKey: 'en_GB',
  EmailEncodingKey: 'UTF-8',
  LanguageLocaleKey: 'en_US',
  ProfileId: '00e000000000001AAA',
});

describe('Salesforce emulator: OAuth and sessions', () => {
  it('issues a Bearer token with instance_url and no expires_in for client credentials', async () => {
    sf = await startSalesforceEmulator();
    const response = await looseFetch(`${sf.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: sf.clientId,
        client_secret: sf.clientSecret,
      }),
    });
    const token = await response.json();
    expect(token).toMatchObject({ token_type: 'Bearer', instance_url: sf.url });
    expect(token).not.toHaveProperty('expires_in');
    expect((await call(`${api}/query?q=SELECT+Id+FROM+User`, { token: token.access_token })).status).toBe(200);
    expect(sf.stats.tokenRequests).toBe(1);
    const refused = await looseFetch(`${sf.url}/services/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: sf.clientId, client_secret: 'x' }),
    });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error).toBe('invalid_client');
  });

  it('answers a bad or expired session with 401 INVALID_SESSION_ID', async () => {
    sf = await startSalesforceEmulator();
    const wrong = await call(`${api}/sobjects/User/005000000000000`, { token: 'nope' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual([
      { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID', fields: [] },
    ]);
    sf.expireSessions();
    expect((await query('SELECT Id FROM User')).status).toBe(401);
  });
});

describe('Salesforce emulator: sObjects', () => {
  it('creates a User (201), reads it by 18- or 15-character id, and updates it (204)', async () => {
    sf = await startSalesforceEmulator();
    const created = await call(`${api}/sobjects/User`, { method: 'POST', body: newUser('ada@example.com') });
    expect(created.status).toBe(201);
    const { id, success, errors } = await created.json();
    expect({ success, errors }).toEqual({ success: true, errors: [] });
    expect(id).toMatch(/^005[0-9A-Za-z]{15}$/);
    const read = await (await call(`${api}/sobjects/User/${id.slice(0, 15)}`)).json();
    expect(read).toMatchObject({
      attributes: { type: 'User', url: `${api}/sobjects/User/${id}` },
      Id: id,
      IsActive: true,
    });
    expect((await call(`${api}/sobjects/User/${id}`, { method: 'PATCH', body: { IsActive: false } })).status).toBe(204);
    expect(sf.state.records.get('User')?.get(id)?.IsActive).toBe(false);
  });

  it('reports REQUIRED_FIELD_MISSING, INVALID_FIELD and NOT_FOUND with their statuses', async () => {
    sf = await startSalesforceEmulator();
    const missing = await call(`${api}/sobjects/Contact`, { method: 'POST', body: { FirstName: 'No' } });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual([
      { message: 'Required fields are missing: [LastName]', errorCode: 'REQUIRED_FIELD_MISSING', fields: ['LastName'] },
    ]);
    const invalid = await call(`${api}/sobjects/Contact`, { method: 'POST', body: { LastName: 'X', Shoe__c: 1 } });
    expect(invalid.status).toBe(400);
    expect((await invalid.json())[0]).toMatchObject({ errorCode: 'INVALID_FIELD', fields: ['Shoe__c'] });
    const absent = await call(`${api}/sobjects/User/005000000000000AAA`, {
      method: 'PATCH',
      body: { IsActive: false },
    });
    expect(absent.status).toBe(404);
    expect((await absent.json())[0].errorCode).toBe('NOT_FOUND');
  });
});

describe('Salesforce emulator: SOQL', () => {
  it('selects fields with WHERE … AND … and LIMIT, records carrying attributes', async () => {
    sf = await startSalesforceEmulator();
    sf.seed.record('User', { ...newUser('a@example.com'), Department: 'Sales' });
    sf.seed.record('User', { ...newUser('b@example.com'), Department: 'Sales', IsActive: false });
    sf.seed.record('User', { ...newUser('c@example.com'), Department: 'IT' });
    const body = await (
      await query("SELECT Id, Username FROM User WHERE Department = 'sales' AND IsActive = true")
    ).json();
    expect(body).toMatchObject({
      totalSize: 1,
      done: true,
      records: [{ attributes: { type: 'User' }, Username: 'a@example.com' }],
    });
    expect(body.records[0]).not.toHaveProperty('Email');
    const limited = await (await query("SELECT username FROM user WHERE Username LIKE '%example.com' LIMIT 2")).json();
    expect(limited.records.map((r: { Username: string }) => r.Username)).toEqual(['a@example.com', 'b@example.com']);
  });

  it('pages in batches through nextRecordsUrl', async () => {
    sf = await startSalesforceEmulator({ batchSize: 2 });
    for (let i = 0; i < 5; i++) sf.seed.record('Account', { Name: `Acme ${i}` });
    const names: string[] = [];
    let body = await (await query('SELECT Name FROM Account')).json();
    expect(body).toMatchObject({ totalSize: 5, done: false });
    names.push(...body.records.map((r: { Name: string }) => r.Name));
    while (!body.done) {
      body = await (await call(body.nextRecordsUrl)).json();
      names.push(...body.records.map((r: { Name: string }) => r.Name));
    }
    expect(names).toEqual(['Acme 0', 'Acme 1', 'Acme 2', 'Acme 3', 'Acme 4']);
    expect(body).not.toHaveProperty('nextRecordsUrl');
  });

  it('answers a bad field with INVALID_FIELD and broken syntax with MALFORMED_QUERY (400)', async () => {
    sf = await startSalesforceEmulator();
    const badField = await query('SELECT Shoe FROM User');
    expect(badField.status).toBe(400);
    expect((await badField.json())[0].errorCode).toBe('INVALID_FIELD');
    const malformed = await query('SELECT Id User WHERE');
    expect(malformed.status).toBe(400);
    expect((await malformed.json())[0].errorCode).toBe('MALFORMED_QUERY');
  });
});
