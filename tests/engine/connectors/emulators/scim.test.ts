import { afterEach, describe, expect, it } from 'vitest';
import { startScimEmulator, type ScimEmulator } from '../../../support/emulators/scim.js';
import { looseFetch } from '../../../support/emulators/loose-fetch.js';

let scim: ScimEmulator;
afterEach(() => scim?.close());

const patchOp = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

function call(path: string, init: { method?: string; body?: unknown; token?: string } = {}) {
  return looseFetch(`${scim.baseUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      Authorization: `Bearer ${init.token ?? scim.token}`,
      ...(init.body === undefined ? {} : { 'Content-Type': 'application/scim+json' }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

const patch = (path: string, ...Operations: unknown[]) =>
  call(path, { method: 'PATCH', body: { schemas: [patchOp], Operations } });

describe('SCIM emulator: auth and errors', () => {
  it('answers a wrong bearer token with 401 in the SCIM error schema', async () => {
    scim = await startScimEmulator();
    const response = await call('/Users', { token: 'wrong' });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '401',
    });
  });

  it('answers an unknown id with 404, status as a string and a detail', async () => {
    scim = await startScimEmulator();
    const response = await call('/Users/nope');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/scim+json');
    const body = await response.json();
    expect(body.status).toBe('404');
    expect(body.detail).toContain('nope');
  });
});

describe('SCIM emulator: users', () => {
  it('creates a user with id and meta, and refuses a duplicate userName with 409 uniqueness', async () => {
    scim = await startScimEmulator();
    const created = await call('/Users', {
      method: 'POST',
      body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'ada@example.com', active: true },
    });
    expect(created.status).toBe(201);
    const user = await created.json();
    expect(user.id).toEqual(expect.any(String));
    expect(user.meta).toMatchObject({ resourceType: 'User', location: `${scim.baseUrl}/Users/${user.id}` });
    expect(created.headers.get('location')).toBe(user.meta.location);
    const duplicate = await call('/Users', { method: 'POST', body: { userName: 'ADA@example.com' } });
    expect(duplicate.status).toBe(409);
    expect(await duplicate.json()).toMatchObject({ status: '409', scimType: 'uniqueness' });
  });

  it('filters with eq, co, sw, ew, pr, and, or, parentheses and case-insensitive attribute names', async () => {
    scim = await startScimEmulator();
    scim.seed.user({
      userName: 'ada@example.com',
      title: 'Engineer',
      emails: [{ value: 'ada@corp.com', type: 'work' }],
    });
    scim.seed.user({ userName: 'bob@example.com', emails: [{ value: 'bob@home.net', type: 'home' }] });
    scim.seed.user({ userName: 'cy@other.org', active: false });
    const total = async (filter: string) => {
      const response = await call(`/Users?filter=${encodeURIComponent(filter)}`);
      expect(response.status).toBe(200);
      return (await response.json()).totalResults as number;
    };
    expect(await total('USERNAME eq "Ada@Example.com"')).toBe(1);
    expect(await total('userName ne "ada@example.com"')).toBe(2);
    expect(await total('userName co "example"')).toBe(2);
    expect(await total('userName sw "b"')).toBe(1);
    expect(await total('userName ew ".org"')).toBe(1);
    expect(await total('title pr')).toBe(1);
    expect(await total('emails.value eq "bob@home.net"')).toBe(1);
    expect(await total('emails[type eq "work"].value co "corp"')).toBe(1);
    expect(await total('(userName sw "a" or userName sw "c") and active eq true')).toBe(1);
    const broken = await call(`/Users?filter=${encodeURIComponent('userName zz "x"')}`);
    expect(broken.status).toBe(400);
    expect((await broken.json()).scimType).toBe('invalidFilter');
  });

  it('pages with 1-based startIndex and count in a ListResponse', async () => {
    scim = await startScimEmulator();
    for (let i = 0; i < 5; i++) scim.seed.user({ userName: `u${i}@example.com` });
    const response = await call('/Users?startIndex=3&count=2');
    const body = await response.json();
    expect(body).toMatchObject({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 5,
      startIndex: 3,
      itemsPerPage: 2,
    });
    expect(body.Resources.map((r: { userName: string }) => r.userName)).toEqual(['u2@example.com', 'u3@example.com']);
    const last = await (await call('/Users?startIndex=5&count=2')).json();
    expect(last.itemsPerPage).toBe(1);
  });

  it('replaces with PUT, keeping id and created, and deletes with 204', async () => {
    scim = await startScimEmulator();
    const user = scim.seed.user({ userName: 'put@example.com', title: 'Old' });
    const replaced = await (
      await call(`/Users/${user.id}`, { method: 'PUT', body: { userName: 'put@example.com' } })
    ).json();
    expect(replaced.id).toBe(user.id);
    expect(replaced.title).toBeUndefined();
    expect(replaced.meta.version).toBe('W/"2"');
    expect((await call(`/Users/${user.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await call(`/Users/${user.id}`)).status).toBe(404);
  });

  it('patches active, sub-attributes, filtered values and extension attributes', async () => {
    scim = await startScimEmulator();
    const user = scim.seed.user({ userName: 'p@example.com', emails: [{ value: 'p@old.com', type: 'work' }] });
    const response = await patch(
      `/Users/${user.id}`,
      { op: 'replace', path: 'active', value: false },
      { op: 'Replace', path: 'name.givenName', value: 'Pat' },
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'p@new.com' },
      { op: 'add', path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department', value: 'IT' },
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      active: false,
      name: { givenName: 'Pat' },
      emails: [{ value: 'p@new.com', type: 'work' }],
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'IT' },
    });
    const pathless = await patch(`/Users/${user.id}`, { op: 'replace', value: { active: true } });
    expect((await pathless.json()).active).toBe(true);
  });

  it('rejects an invalid path, a non-boolean active and an unknown op with 400', async () => {
    scim = await startScimEmulator();
    const user = scim.seed.user({ userName: 'bad@example.com' });
    const badPath = await patch(`/Users/${user.id}`, { op: 'replace', path: 'emails[type eq', value: 'x' });
    expect(badPath.status).toBe(400);
    expect((await badPath.json()).scimType).toBe('invalidPath');
    const badValue = await patch(`/Users/${user.id}`, { op: 'replace', path: 'active', value: 'False' });
    expect(badValue.status).toBe(400);
    expect((await badValue.json()).scimType).toBe('invalidValue');
    const badOp = await patch(`/Users/${user.id}`, { op: 'move', path: 'active', value: true });
    expect((await badOp.json()).scimType).toBe('invalidSyntax');
    expect(scim.state.users.get(String(user.id))?.active).toBe(true);
  });
});

describe('SCIM emulator: groups', () => {
  it('adds members and removes one with members[value eq "id"]', async () => {
    scim = await startScimEmulator();
    const a = scim.seed.user({ userName: 'a@example.com' });
    const b = scim.seed.user({ userName: 'b@example.com' });
    const created = await call('/Groups', { method: 'POST', body: { displayName: 'Sales', members: [] } });
    expect(created.status).toBe(201);
    const group = await created.json();
    await patch(`/Groups/${group.id}`, { op: 'add', path: 'members', value: [{ value: a.id }, { value: b.id }] });
    const removed = await patch(`/Groups/${group.id}`, { op: 'remove', path: `members[value eq "${a.id}"]` });
    expect((await removed.json()).members).toEqual([{ value: b.id }]);
    const member = await (await call(`/Users/${b.id}`)).json();
    expect(member.groups).toEqual([expect.objectContaining({ value: group.id, display: 'Sales' })]);
    const byMember = await call(`/Groups?filter=${encodeURIComponent(`members.value eq "${b.id}"`)}`);
    expect((await byMember.json()).totalResults).toBe(1);
    const duplicate = await call('/Groups', { method: 'POST', body: { displayName: 'sales' } });
    expect(duplicate.status).toBe(409);
  });
});
