import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp } from '../../support/engine-app.js';
import { startScimEmulator, type ScimEmulator, type ScimResource } from '../../support/emulators/scim.js';
import { card, flow, lit, ref } from '../../support/test-engine.js';

// Every SCIM 2.0 card through the whole engine against an emulator of RFC 7643 / 7644: bearer
// auth, 1-based startIndex/count paging (capped by the server), PATCH and the SCIM error schema.
let scim: ScimEmulator;
let app: Awaited<ReturnType<typeof openTestApp>>;
let connection: string;

beforeAll(async () => {
  // A server that returns at most 40 resources per page, whatever `count` asks (RFC 7644 §3.4.2.4).
  scim = await startScimEmulator({ maxResults: 40 });
  app = await openTestApp();
  connection = (
    await app.handlers['connections.save']({
      connector: 'scim',
      name: 'SCIM emulator',
      settings: { baseUrl: scim.baseUrl },
      secrets: { token: scim.token },
    })
  ).id;
});
afterAll(async () => {
  await app?.close();
  await scim?.close();
});

async function runCards(id: string, nodes: Parameters<typeof flow>[0]['nodes'], input = {}) {
  await app.handlers['flows.save']({ flow: flow({ id, name: id, nodes }) });
  return app.run(id, input);
}

const c = () => ({ connection: lit(connection) });
/** A seeded user, its SCIM id as text. */
const seedUser = (attributes: { userName: string } & Record<string, unknown>) => {
  const user = scim.seed.user(attributes);
  return { ...user, id: String(user.id) };
};
const userNamed = (userName: string) => [...scim.state.users.values()].find((u) => u.userName === userName);

describe('SCIM 2.0 connector', () => {
  it('creates a user with its attributes, reads it back and finds it by filter', async () => {
    const run = await runCards('joiner', [
      card('create', 'scim.createUser', {
        ...c(),
        userName: lit('ana.novak@example.com'),
        givenName: lit('Ana'),
        familyName: lit('Novak'),
        email: lit('ana.novak@example.com'),
        attributes: lit({ title: 'Engineer', displayName: 'Ana Novak' }),
      }),
      card('read', 'scim.getUser', { ...c(), userId: ref('create', 'id') }),
      card('find', 'scim.findUsers', { ...c(), filter: lit('userName eq "ana.novak@example.com"') }),
      card('done', 'control.return', {
        id: ref('create', 'id'),
        read: ref('read', 'user'),
        found: ref('find', 'items'),
      }),
    ]);
    expect(run.error).toBeNull();
    const stored = userNamed('ana.novak@example.com')!;
    expect(stored).toBeDefined();
    expect(run.output?.['id']).toBe(stored.id);
    expect(stored).toMatchObject({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      active: true,
      title: 'Engineer',
      displayName: 'Ana Novak',
      name: { givenName: 'Ana', familyName: 'Novak' },
    });
    expect(stored.emails).toEqual([{ type: 'work', primary: true, value: 'ana.novak@example.com' }]);
    expect((run.output?.['read'] as ScimResource).userName).toBe('ana.novak@example.com');
    expect((run.output?.['found'] as ScimResource[]).map((u) => u.id)).toEqual([stored.id]);
    // SCIM servers expect SCIM JSON; the bearer token travels in the Authorization header.
    const post = scim.requests.find((r) => r.method === 'POST' && r.path === '/scim/v2/Users')!;
    expect(post.headers.authorization).toBe(`Bearer ${scim.token}`);
  });

  it('finds every user across startIndex/count pages, even when the server caps the page size', async () => {
    for (let i = 0; i < 95; i++) scim.seed.user({ userName: `bulk${i}@example.com`, title: 'Bulk' });
    const before = scim.requests.length;
    const run = await runCards('list', [
      card('find', 'scim.findUsers', { ...c(), filter: lit('title eq "Bulk"') }),
      card('done', 'control.return', { users: ref('find', 'items') }),
    ]);
    expect(run.error).toBeNull();
    const users = run.output?.['users'] as ScimResource[];
    expect(users).toHaveLength(95);
    expect(new Set(users.map((u) => u.userName)).size).toBe(95);
    const pages = scim.requests.slice(before).filter((r) => r.method === 'GET' && r.path === '/scim/v2/Users');
    expect(pages.length).toBe(3);
    expect(pages.map((p) => new URL(p.url, scim.url).searchParams.get('startIndex'))).toEqual(['1', '41', '81']);
  });

  it('replaces a user with PUT and changes one with PATCH', async () => {
    const user = seedUser({ userName: 'raj@example.com', title: 'Analyst', name: { givenName: 'Raj' } });
    const run = await runCards('mover', [
      card('replace', 'scim.replaceUser', {
        ...c(),
        userId: lit(user.id),
        // The card supplies `schemas`; the admin gives only the attributes.
        user: lit({
          userName: 'raj.patel@example.com',
          name: { givenName: 'Raj', familyName: 'Patel' },
          title: 'Manager',
          active: true,
        }),
      }),
      card('patch', 'scim.patchUser', {
        ...c(),
        userId: lit(user.id),
        operations: lit([
          { op: 'replace', path: 'title', value: 'Lead' },
          { op: 'add', path: 'department', value: 'Finance' },
        ]),
      }),
      card('done', 'control.return', { replaced: ref('replace', 'user'), patched: ref('patch', 'user') }),
    ]);
    expect(run.error).toBeNull();
    expect((run.output?.['replaced'] as ScimResource).title).toBe('Manager');
    expect((run.output?.['patched'] as ScimResource).title).toBe('Lead');
    const stored = scim.state.users.get(user.id)!;
    expect(stored).toMatchObject({
      userName: 'raj.patel@example.com',
      name: { givenName: 'Raj', familyName: 'Patel' },
      title: 'Lead',
      department: 'Finance',
    });
    expect(scim.requests.some((r) => r.method === 'PATCH' && r.path === `/scim/v2/Users/${user.id}`)).toBe(true);
    expect(scim.requests.some((r) => r.method === 'PUT' && r.path === `/scim/v2/Users/${user.id}`)).toBe(true);
  });

  it('runs a group lifecycle: create, find, add and remove a member, delete', async () => {
    const ana = seedUser({ userName: 'grp.ana@example.com' });
    const ben = seedUser({ userName: 'grp.ben@example.com' });
    const run = await runCards('groups', [
      card('create', 'scim.createGroup', { ...c(), displayName: lit('Finance') }),
      card('addAna', 'scim.addGroupMember', { ...c(), groupId: ref('create', 'id'), userId: lit(ana.id) }),
      card('addBen', 'scim.addGroupMember', { ...c(), groupId: ref('create', 'id'), userId: lit(ben.id) }),
      card('removeAna', 'scim.removeGroupMember', { ...c(), groupId: ref('create', 'id'), userId: lit(ana.id) }),
      card('find', 'scim.findGroups', { ...c(), filter: lit('displayName eq "Finance"') }),
      card('done', 'control.return', { id: ref('create', 'id'), found: ref('find', 'items') }),
    ]);
    expect(run.error).toBeNull();
    const groupId = run.output?.['id'] as string;
    const group = scim.state.groups.get(groupId)!;
    expect(group.displayName).toBe('Finance');
    expect((group.members as { value: string }[]).map((m) => m.value)).toEqual([ben.id]);
    const found = run.output?.['found'] as ScimResource[];
    expect(found.map((g) => g.id)).toEqual([groupId]);

    const removal = await runCards('delete-group', [
      card('delete', 'scim.deleteGroup', { ...c(), groupId: lit(groupId) }),
    ]);
    expect(removal.error).toBeNull();
    expect(scim.state.groups.has(groupId)).toBe(false);
  });

  it('deactivates and then deletes a leaver', async () => {
    const leaver = seedUser({ userName: 'leaver@example.com' });
    const group = scim.seed.group('Leavers', [leaver.id]);
    const deactivate = await runCards('deactivate', [
      card('deactivate', 'scim.deactivateUser', { ...c(), userId: lit(leaver.id) }),
      card('done', 'control.return', { active: ref('deactivate', 'user', 'active') }),
    ]);
    expect(deactivate.error).toBeNull();
    expect(deactivate.output?.['active']).toBe(false);
    expect(scim.state.users.get(leaver.id)?.active).toBe(false);

    const remove = await runCards('delete-user', [
      card('delete', 'scim.deleteUser', { ...c(), userId: lit(leaver.id) }),
    ]);
    expect(remove.error).toBeNull();
    expect(scim.state.users.has(leaver.id)).toBe(false);
    expect(scim.state.groups.get(String(group.id))?.members).toEqual([]);
  });

  it('fails a duplicate userName with SCIM’s 409 uniqueness, never showing the token', async () => {
    scim.seed.user({ userName: 'taken@example.com' });
    const run = await runCards('duplicate', [
      card('create', 'scim.createUser', {
        ...c(),
        userName: lit('Taken@example.com'),
        givenName: lit('Tak'),
        familyName: lit('En'),
        email: lit('taken@example.com'),
      }),
    ]);
    expect(run.status).toBe('failed');
    expect(run.error?.code).toBe('HTTP_409');
    expect(run.error?.message).toContain('uniqueness');
    expect(run.error?.message).toContain("userName 'Taken@example.com' is already in use");
    expect(JSON.stringify(run.error)).not.toContain(scim.token);
  });
});
