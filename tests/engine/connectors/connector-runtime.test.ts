import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildActionRequest } from '../../../src/engine/connectors/runtime/http-action.js';
import { actionSchema } from '../../../src/shared/connectors/definition.js';
import { openTestApp } from '../../support/engine-app.js';
import { card, flow, lit } from '../../support/test-engine.js';
import { sendJson, startTestServer, type TestServer } from './http/test-server.js';

const TOKEN = 'hr-token-6b1f2c9e-must-not-leak';
let server: TestServer;
let app: Awaited<ReturnType<typeof openTestApp>>;
let hrConnection: string;

beforeAll(async () => {
  server = await startTestServer((request, response) => {
    if (request.headers.authorization !== `Bearer ${TOKEN}`) return sendJson(response, 401, { message: 'bad token' });
    if (request.path === '/employees/E%2F42' || request.path === '/employees/E/42') {
      return sendJson(response, 200, { id: 'E/42', name: 'Ana Novak', department: 'Sales' });
    }
    if (request.path === '/employees' && request.method === 'POST') {
      return sendJson(response, 201, { id: 'E-99', ...(JSON.parse(request.body) as object) });
    }
    // A careless API that echoes the credentials it was given in its error.
    return sendJson(response, 404, { message: `No such employee (auth was ${request.headers.authorization})` });
  });
  app = await openTestApp();
  await app.handlers['connectors.save']({
    definition: {
      id: 'hr-portal',
      name: 'HR portal',
      baseUrl: '{{connection.baseUrl}}',
      fields: [
        { name: 'baseUrl', title: 'Base URL', type: 'url' },
        { name: 'token', title: 'Token', secret: true },
      ],
      auth: { scheme: 'bearer', token: '{{connection.token}}' },
      test: { path: '/employees/E%2F42' },
      actions: [
        {
          name: 'getEmployee',
          title: 'Get employee',
          path: '/employees/{id}',
          inputs: [{ name: 'id', in: 'path' }],
          outputs: [
            { name: 'name', type: 'text', from: 'body.name' },
            { name: 'employee', type: 'object', from: 'body' },
          ],
        },
        {
          name: 'createEmployee',
          title: 'Create employee',
          method: 'POST',
          path: '/employees',
          fixedBody: { source: 'flowstead' },
          inputs: [
            { name: 'first', target: 'name.first' },
            { name: 'last', target: 'name.last' },
          ],
          outputs: [
            { name: 'id', type: 'text', from: 'body.id' },
            { name: 'sent', type: 'object', from: 'body' },
          ],
        },
      ],
    },
  });
  const connection = await app.handlers['connections.save']({
    connector: 'hr-portal',
    name: 'HR test',
    settings: { baseUrl: server.origin },
    secrets: { token: TOKEN },
  });
  hrConnection = connection.id;
});
afterAll(async () => {
  await app?.close();
  await server?.close();
});

describe('connector actions as cards', () => {
  it('runs a custom connector card with the connection’s credentials and maps its outputs', async () => {
    await app.handlers['flows.save']({
      flow: flow({
        id: 'lookup',
        name: 'Look up employee',
        nodes: [
          card('get', 'hr-portal.getEmployee', { connection: lit(hrConnection), id: lit('E/42') }),
          card('done', 'control.return', { name: { kind: 'ref', node: 'get', path: ['name'] } }),
        ],
      }),
    });
    const run = await app.run('lookup');
    expect(run.error).toBeNull();
    expect(run.output).toEqual({ name: 'Ana Novak' });
    expect(server.requests.at(-1)?.path).toBe('/employees/E%2F42');
  });

  it('builds a JSON body from fixed parts and inputs', async () => {
    await app.handlers['flows.save']({
      flow: flow({
        id: 'create',
        name: 'Create employee',
        nodes: [
          card('create', 'hr-portal.createEmployee', {
            connection: lit(hrConnection),
            first: lit('Ana'),
            last: lit('Novak'),
          }),
          card('done', 'control.return', { id: { kind: 'ref', node: 'create', path: ['id'] } }),
        ],
      }),
    });
    const run = await app.run('create');
    expect(run.output).toEqual({ id: 'E-99' });
    expect(JSON.parse(server.requests.at(-1)!.body)).toEqual({
      source: 'flowstead',
      name: { first: 'Ana', last: 'Novak' },
    });
  });

  it('fails the card with the vendor’s message and no secret, also in history', async () => {
    await app.handlers['flows.save']({
      flow: flow({
        id: 'missing',
        name: 'Missing employee',
        nodes: [card('get', 'hr-portal.getEmployee', { connection: lit(hrConnection), id: lit('nobody') })],
      }),
    });
    const run = await app.run('missing');
    expect(run.status).toBe('failed');
    expect(run.error?.code).toBe('HTTP_404');
    expect(run.error?.message).toContain('No such employee');
    const steps = await app.handlers['runs.steps']({ runId: run.id, offset: 0, limit: 5000 });
    expect(JSON.stringify([run, steps])).not.toContain(TOKEN);
  });

  it('reports a missing connection on the card before the run', async () => {
    const saved = await app.handlers['flows.save']({
      flow: flow({
        id: 'orphan',
        name: 'Orphan',
        nodes: [card('get', 'hr-portal.getEmployee', { connection: lit('deleted-connection'), id: lit('1') })],
      }),
    });
    expect(saved.problems.map((p) => [p.code, p.node])).toEqual([['CONNECTION_NOT_FOUND', 'get']]);
  });

  it('tests a connection with a cheap authenticated call, and says why it fails', async () => {
    expect(await app.handlers['connections.test']({ id: hrConnection })).toMatchObject({ ok: true });
    const wrong = await app.handlers['connections.save']({
      connector: 'hr-portal',
      name: 'HR wrong token',
      settings: { baseUrl: server.origin },
      secrets: { token: 'not-the-token' },
    });
    const result = await app.handlers['connections.test']({ id: wrong.id });
    expect(result.ok).toBe(false);
    expect(result.message).toContain('401');
    expect(result.message).not.toContain('not-the-token');
  });
});

describe('per-connection HTTP settings', () => {
  it('fails a slow call after the connection’s own timeout', async () => {
    const slow = await startTestServer((_request, response) => {
      setTimeout(() => sendJson(response, 200, {}), 3000);
    });
    try {
      const connection = await app.handlers['connections.save']({
        connector: 'http',
        name: 'Slow API',
        settings: { baseUrl: slow.origin, authScheme: 'none', timeoutSeconds: 0.3 },
      });
      await app.handlers['flows.save']({
        flow: flow({
          id: 'slow-call',
          name: 'Slow call',
          nodes: [card('post', 'http.post', { connection: lit(connection.id), path: lit('/'), body: lit({ a: 1 }) })],
        }),
      });
      const started = Date.now();
      const run = await app.run('slow-call');
      expect(run.error?.code).toBe('HTTP_TIMEOUT');
      expect(run.error?.message).toContain('300');
      // A POST is not repeated after a timeout (it may have been applied); it stops at 0.3 s, not 30 s.
      expect(Date.now() - started).toBeLessThan(2_500);
    } finally {
      await slow.close();
    }
  }, 30_000);
});

describe('request building', () => {
  const action = (spec: object) => actionSchema.parse({ name: 'a', title: 'A', ...spec });

  it('encodes path values, formats query values and merges objects into the body', () => {
    const request = buildActionRequest(
      action({
        method: 'POST',
        path: '/apps/{appId}/users',
        fixedBody: { scope: 'USER', profile: { source: 'hr' } },
        inputs: [
          { name: 'appId', in: 'path' },
          { name: 'userId', in: 'query', target: 'filter', format: 'user.id eq "{value}"' },
          { name: 'profile', type: 'object', target: 'profile' },
          { name: 'member', target: 'Operations.0.value.0.value' },
        ],
      }),
      { appId: 'a b/c', userId: '00u1', profile: { title: 'Lead' }, member: 'u-1' },
    );
    expect(request.path).toBe('/apps/a%20b%2Fc/users');
    expect(request.query).toEqual({ filter: 'user.id eq "00u1"' });
    expect(request.body).toEqual({
      kind: 'json',
      value: { scope: 'USER', profile: { source: 'hr', title: 'Lead' }, Operations: [{ value: [{ value: 'u-1' }] }] },
    });
  });

  it('names a missing required input', () => {
    expect(() =>
      buildActionRequest(
        action({ path: '/users/{id}', inputs: [{ name: 'id', in: 'path', description: 'The user id.' }] }),
        {},
      ),
    ).toThrow(/Input `id` is required/);
  });
});
