import { afterEach, describe, expect, it } from 'vitest';
import { startBoxEmulator, type BoxEmulator } from '../../../support/emulators/box.js';
import { looseFetch } from '../../../support/emulators/loose-fetch.js';

let box: BoxEmulator;
afterEach(() => box?.close());

function call(path: string, init: { method?: string; body?: unknown; token?: string; asUser?: string } = {}) {
  return looseFetch(`${box.url}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      Authorization: `Bearer ${init.token ?? box.token}`,
      ...(init.asUser ? { 'As-User': init.asUser } : {}),
      ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

function requestToken(fields: Record<string, string>) {
  return looseFetch(`${box.url}/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

describe('Box emulator: OAuth client credentials', () => {
  it('issues a bearer token for the enterprise and counts token requests', async () => {
    box = await startBoxEmulator({ tokenLifetimeSeconds: 3600 });
    const response = await requestToken({
      grant_type: 'client_credentials',
      client_id: box.clientId,
      client_secret: box.clientSecret,
      box_subject_type: 'enterprise',
      box_subject_id: box.enterpriseId,
    });
    expect(response.status).toBe(200);
    const token = await response.json();
    expect(token).toMatchObject({ token_type: 'bearer', expires_in: 3600 });
    expect((await call('/2.0/users', { token: token.access_token })).status).toBe(200);
    expect(box.stats.tokenRequests).toBe(1);
  });

  it('refuses bad client credentials and a wrong subject', async () => {
    box = await startBoxEmulator();
    const base = { grant_type: 'client_credentials', client_id: box.clientId, box_subject_type: 'enterprise' };
    const badSecret = await requestToken({ ...base, client_secret: 'nope', box_subject_id: box.enterpriseId });
    expect(badSecret.status).toBe(400);
    expect((await badSecret.json()).error).toBe('invalid_client');
    const badSubject = await requestToken({ ...base, client_secret: box.clientSecret, box_subject_id: '1' });
    expect((await badSubject.json()).error).toBe('invalid_grant');
  });

  it('answers an invalid or expired token with a bare 401 and WWW-Authenticate', async () => {
    box = await startBoxEmulator();
    const wrong = await call('/2.0/users', { token: 'nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('invalid_token');
    expect(await wrong.text()).toBe('');
    box.expireTokens();
    expect((await call('/2.0/users')).status).toBe(401);
  });
});

describe('Box emulator: folders and collaborations', () => {
  it('creates a folder and answers a duplicate name with 409 item_name_in_use and the conflict', async () => {
    box = await startBoxEmulator();
    const created = await call('/2.0/folders', { method: 'POST', body: { name: 'Onboarding', parent: { id: '0' } } });
    expect(created.status).toBe(201);
    const folder = await created.json();
    expect(folder).toMatchObject({ type: 'folder', name: 'Onboarding', parent: { id: '0' } });
    const duplicate = await call('/2.0/folders', { method: 'POST', body: { name: 'onboarding', parent: { id: '0' } } });
    expect(duplicate.status).toBe(409);
    expect(await duplicate.json()).toMatchObject({
      type: 'error',
      status: 409,
      code: 'item_name_in_use',
      context_info: { conflicts: [{ type: 'folder', id: folder.id }] },
    });
    const orphan = await call('/2.0/folders', { method: 'POST', body: { name: 'x', parent: { id: '999' } } });
    expect(orphan.status).toBe(404);
    expect((await orphan.json()).code).toBe('not_found');
  });

  it('adds collaborators by id or login, pending for unknown logins, and refuses a repeat', async () => {
    box = await startBoxEmulator();
    const user = box.seed.user('ada@example.com', 'Ada');
    const folder = box.seed.folder('Team', box.serviceAccount.id);
    const byId = await call('/2.0/collaborations', {
      method: 'POST',
      body: { item: { type: 'folder', id: folder.id }, accessible_by: { type: 'user', id: user.id }, role: 'editor' },
    });
    expect(byId.status).toBe(201);
    expect(await byId.json()).toMatchObject({ type: 'collaboration', role: 'editor', status: 'accepted' });
    const invite = await call('/2.0/collaborations', {
      method: 'POST',
      body: {
        item: { type: 'folder', id: folder.id },
        accessible_by: { type: 'user', login: 'x@ext.com' },
        role: 'viewer',
      },
    });
    expect((await invite.json()).status).toBe('pending');
    const repeat = await call('/2.0/collaborations', {
      method: 'POST',
      body: {
        item: { type: 'folder', id: folder.id },
        accessible_by: { type: 'user', login: 'ADA@example.com' },
        role: 'viewer',
      },
    });
    expect(repeat.status).toBe(400);
    expect((await repeat.json()).code).toBe('user_already_collaborator');
  });

  it("transfers a leaver's owned content into a new folder of the manager", async () => {
    box = await startBoxEmulator();
    const leaver = box.seed.user('leaver@example.com', 'Lee');
    const manager = box.seed.user('boss@example.com', 'Boss');
    const projects = box.seed.folder('Projects', leaver.id);
    box.seed.folder('Archive', leaver.id, projects.id);
    const response = await call(`/2.0/users/${leaver.id}/folders/0`, {
      method: 'PUT',
      body: { owned_by: { id: manager.id } },
    });
    expect(response.status).toBe(200);
    const moved = await response.json();
    expect(moved).toMatchObject({
      type: 'folder',
      name: "leaver@example.com - Lee's Files and Folders",
      owned_by: { id: manager.id },
      item_collection: { total_count: 1, entries: [{ id: projects.id }] },
    });
    expect([...box.state.folders.values()].every((f) => f.ownerId === manager.id)).toBe(true);
    const unknown = await call('/2.0/users/404/folders/0', { method: 'PUT', body: { owned_by: { id: manager.id } } });
    expect(unknown.status).toBe(404);
  });
});

describe('Box emulator: users', () => {
  it('searches users by the start of name or login with offset paging', async () => {
    box = await startBoxEmulator();
    box.seed.user('ann@example.com', 'Ann');
    box.seed.user('andy@example.com', 'Andy');
    box.seed.user('bob@example.com', 'Bob');
    const body = await (await call('/2.0/users?filter_term=an&limit=1')).json();
    expect(body).toMatchObject({ total_count: 2, limit: 1, offset: 0 });
    expect(body.entries[0].login).toBe('ann@example.com');
    const second = await (await call('/2.0/users?filter_term=an&limit=1&offset=1')).json();
    expect(second.entries[0].login).toBe('andy@example.com');
  });
});
