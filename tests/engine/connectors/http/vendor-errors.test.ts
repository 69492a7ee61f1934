import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../../../src/engine/connectors/http/http-client.js';
import type { VendorErrorMapping, VendorErrorPreset } from '../../../../src/engine/connectors/http/errors.js';
import { rejectionOf, sendJson, startTestServer, type TestServer } from './test-server.js';

let server: TestServer;
afterEach(() => server?.close());

async function failureFrom(
  status: number,
  body: unknown,
  errorMapping?: VendorErrorMapping | VendorErrorPreset,
  method: 'GET' | 'POST' = 'GET',
) {
  server = await startTestServer((_request, response) => {
    if (typeof body === 'string') {
      response.writeHead(status, { 'Content-Type': 'text/plain' });
      response.end(body);
    } else sendJson(response, status, body);
  });
  const client = createHttpClient({ baseUrl: server.origin, auth: { scheme: 'none' }, maxRetries: 0, errorMapping });
  return rejectionOf(client.request({ method, path: '/api/v1/users/00u1', query: { expand: 'groups' } }));
}

describe('vendor error presets', () => {
  it('okta: errorSummary, errorCauses and errorCode', async () => {
    const error = await failureFrom(
      400,
      {
        errorCode: 'E0000001',
        errorSummary: 'Api validation failed: login',
        errorCauses: [{ errorSummary: 'login: An object with this field already exists' }],
      },
      'okta',
      'POST',
    );
    expect(error.code).toBe('HTTP_400');
    expect(error.message).toBe(
      'POST /api/v1/users/00u1 failed with 400 Bad Request: Api validation failed: login; login: An object with this field already exists (E0000001).',
    );
    expect(error.details).toEqual({
      status: 400,
      vendorCode: 'E0000001',
      vendorMessage: 'Api validation failed: login; login: An object with this field already exists',
      method: 'POST',
      path: '/api/v1/users/00u1',
    });
  });

  it('okta: 404 carries the not-found hint', async () => {
    const error = await failureFrom(
      404,
      { errorCode: 'E0000007', errorSummary: 'Not found: Resource not found: 00u1 (User)' },
      'okta',
    );
    expect(error.code).toBe('HTTP_404');
    expect(error.message).toMatch(/\(E0000007\)\. Check the path and any ID in it/);
  });

  it('scim: detail and scimType', async () => {
    const error = await failureFrom(
      409,
      {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: '409',
        scimType: 'uniqueness',
        detail: 'userName is taken',
      },
      'scim',
    );
    expect(error.message).toBe('GET /api/v1/users/00u1 failed with 409 Conflict: userName is taken (uniqueness).');
    expect(error.details).toMatchObject({ vendorCode: 'uniqueness', vendorMessage: 'userName is taken' });
  });

  it('slack: a 200 with ok:false is a failure named by its error', async () => {
    const error = await failureFrom(200, { ok: false, error: 'channel_not_found' }, 'slack', 'POST');
    expect(error.code).toBe('VENDOR_ERROR');
    expect(error.message).toBe('POST /api/v1/users/00u1 failed with 200 OK: channel_not_found.');
    expect(error.details).toMatchObject({ status: 200, vendorCode: 'channel_not_found' });
  });

  it('box: code and message, with the 403 scopes hint', async () => {
    const error = await failureFrom(
      403,
      { type: 'error', status: 403, code: 'access_denied_insufficient_permissions', message: 'Access denied' },
      'box',
    );
    expect(error.message).toBe(
      "GET /api/v1/users/00u1 failed with 403 Forbidden: Access denied (access_denied_insufficient_permissions). The connection's credentials were accepted but lack permission; check the scopes or admin role granted to them.",
    );
  });

  it('salesforce: the first item of an error array', async () => {
    const error = await failureFrom(
      400,
      [
        {
          message: 'Required fields are missing: [LastName]',
          errorCode: 'REQUIRED_FIELD_MISSING',
          fields: ['LastName'],
        },
      ],
      'salesforce',
    );
    expect(error.details).toMatchObject({
      vendorCode: 'REQUIRED_FIELD_MISSING',
      vendorMessage: 'Required fields are missing: [LastName]',
    });
  });

  it('generic: error.message and error.code', async () => {
    const error = await failureFrom(422, { error: { code: 'invalid_email', message: 'email is invalid' } });
    expect(error.message).toBe(
      'GET /api/v1/users/00u1 failed with 422 Unprocessable Entity: email is invalid (invalid_email).',
    );
  });

  it('generic: OAuth-style error and error_description', async () => {
    const error = await failureFrom(400, { error: 'invalid_request', error_description: 'missing parameter' });
    expect(error.details).toMatchObject({ vendorCode: 'invalid_request', vendorMessage: 'missing parameter' });
  });

  it('generic: a plain-text body becomes the message, and 5xx gets a try-again hint', async () => {
    const error = await failureFrom(500, 'upstream exploded');
    expect(error.message).toBe(
      'GET /api/v1/users/00u1 failed with 500 Internal Server Error: upstream exploded. The service had a problem; try again later.',
    );
  });

  it('a custom mapping by dotted paths', async () => {
    const error = await failureFrom(
      400,
      { fault: { id: 'F12', text: 'nope' } },
      { code: 'fault.id', message: 'fault.text' },
    );
    expect(error.details).toMatchObject({ vendorCode: 'F12', vendorMessage: 'nope' });
  });
});
