import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeychainSecretStore } from '../../../src/engine/secrets/secret-store.js';
import { openTestApp } from '../../support/engine-app.js';
import { card, flow, lit } from '../../support/test-engine.js';
import { sendJson, startTestServer, type TestServer } from './http/test-server.js';

// A real gnome-keyring in a private D-Bus session (npm run test:keychain): the connection's
// secret goes there, a flow uses it, and its bytes are then searched for everywhere else.
const SECRET = `kc-${process.pid}-4f7a1c0e9b2d-never-outside-the-keychain`;
const secrets = createKeychainSecretStore({ service: `Flowstead-connections-test-${process.pid}` });
let server: TestServer;
let app: Awaited<ReturnType<typeof openTestApp>>;

beforeAll(async () => {
  if (process.env.FLOWSTEAD_THROWAWAY_KEYCHAIN !== '1') {
    throw new Error('Keychain tests write real secrets: run them with `npm run test:keychain` (throwaway keyring).');
  }
  server = await startTestServer((request, response) =>
    request.headers['x-api-key'] === SECRET && request.path === '/users'
      ? sendJson(response, 200, { users: [{ email: 'ana@example.com' }] })
      : // Echoes what it got, as a careless API might.
        sendJson(response, 403, { error: { message: `key ${String(request.headers['x-api-key'])} refused` } }),
  );
  app = await openTestApp({ secrets });
});
afterAll(async () => {
  for (const account of await secrets.list()) await secrets.delete(account);
  await app?.close();
  await server?.close();
});

describe('connection secrets in the OS keychain', () => {
  it('runs flows with a keychain secret and leaves no trace of it in SQLite, history or exports', async () => {
    const connection = await app.handlers['connections.save']({
      connector: 'http',
      name: 'Directory API',
      settings: { baseUrl: server.origin, authScheme: 'apiKeyHeader', apiKeyName: 'X-API-Key' },
      secrets: { secret: SECRET },
    });
    expect(await secrets.list()).toEqual([connection.id]);
    expect(connection.secretsSet).toEqual(['secret']);

    await app.handlers['flows.save']({
      flow: flow({
        id: 'users',
        name: 'List users',
        nodes: [
          card('get', 'http.get', { connection: lit(connection.id), path: lit('/users') }),
          card('done', 'control.return', { body: { kind: 'ref', node: 'get', path: ['body'] } }),
        ],
      }),
    });
    const ok = await app.run('users');
    expect(ok.output).toEqual({ body: { users: [{ email: 'ana@example.com' }] } });

    // A failing call whose error body quotes the key.
    await app.handlers['flows.save']({
      flow: flow({
        id: 'echo',
        name: 'Echoing API',
        nodes: [card('get', 'http.get', { connection: lit(connection.id), path: lit('/echo') })],
      }),
    });
    const failed = await app.run('echo');
    expect(failed.status).toBe('failed');
    expect(failed.error?.message).toContain('refused');

    const exported = JSON.stringify(await app.handlers['flows.get']({ id: 'users' }));
    const history = JSON.stringify([
      await app.handlers['runs.list']({ limit: 100, offset: 0 }),
      await app.handlers['runs.steps']({ runId: ok.id, offset: 0, limit: 5000 }),
      await app.handlers['runs.steps']({ runId: failed.id, offset: 0, limit: 5000 }),
      failed,
    ]);
    await app.engine.close();
    const files = fs.readdirSync(app.dir).map((f) => fs.readFileSync(path.join(app.dir, f)));
    for (const bytes of [...files, Buffer.from(exported), Buffer.from(history)]) {
      expect(bytes.includes(Buffer.from(SECRET))).toBe(false);
    }
    app = await openTestApp({ secrets });
  });

  it('deleting the connection deletes its keychain entry', async () => {
    const connection = await app.handlers['connections.save']({
      connector: 'okta',
      name: 'Okta test',
      settings: { orgUrl: 'https://acme.okta.com' },
      secrets: { apiToken: SECRET },
    });
    expect(await secrets.get(connection.id)).toContain(SECRET);
    await app.handlers['connections.delete']({ id: connection.id });
    expect(await secrets.get(connection.id)).toBeNull();
  });
});
