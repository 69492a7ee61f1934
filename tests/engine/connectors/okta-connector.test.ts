import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp } from '../../support/engine-app.js';
import { startOktaEmulator, type OktaEmulator } from '../../support/emulators/okta.js';
import { card, flow, lit } from '../../support/test-engine.js';

// The Okta cards through the whole engine against an emulator of Okta's documented API:
// SSWS auth, Link pagination, error bodies and X-Rate-Limit-* headers with 429s.
let okta: OktaEmulator;
let app: Awaited<ReturnType<typeof openTestApp>>;
let connection: string;
const ref = (node: string, ...path: string[]) => ({ kind: 'ref' as const, node, path });

beforeAll(async () => {
  // 50 requests per 1-second window on every endpoint, as an Okta org under load might allow.
  okta = await startOktaEmulator({ rateLimit: { limit: 50, windowMs: 1000 } });
  app = await openTestApp();
  connection = (
    await app.handlers['connections.save']({
      connector: 'okta',
      name: 'Okta emulator',
      settings: { orgUrl: okta.url },
      secrets: { apiToken: okta.token },
    })
  ).id;
});
afterAll(async () => {
  await app?.close();
  await okta?.close();
});

async function runCards(id: string, nodes: Parameters<typeof flow>[0]['nodes'], input = {}) {
  await app.handlers['flows.save']({ flow: flow({ id, name: id, nodes }) });
  return app.run(id, input);
}

describe('Okta connector', () => {
  it('runs a joiner: create the user, add to a group, assign an app, read it back', async () => {
    const group = okta.seed.group('Sales');
    const crm = okta.seed.app('CRM');
    const c = { connection: lit(connection) };
    const run = await runCards('joiner', [
      card('create', 'okta.createUser', {
        ...c,
        firstName: lit('Ana'),
        lastName: lit('Novak'),
        email: lit('ana.novak@example.com'),
        login: lit('ana.novak@example.com'),
        profile: lit({ department: 'Sales' }),
      }),
      card('member', 'okta.addGroupMember', { ...c, groupId: lit(group.id), userId: ref('create', 'id') }),
      card('assign', 'okta.assignApp', { ...c, appId: lit(crm.id), userId: ref('create', 'id') }),
      card('read', 'okta.getUser', { ...c, userId: lit('ana.novak@example.com') }),
      card('apps', 'okta.listUserApps', { ...c, userId: ref('create', 'id') }),
      card('done', 'control.return', {
        status: ref('read', 'status'),
        department: ref('read', 'profile', 'department'),
        apps: ref('apps', 'items'),
      }),
    ]);
    expect(run.error).toBeNull();
    // Activated without a password, Okta leaves the user PROVISIONED until they set one.
    expect(run.output?.['status']).toBe('PROVISIONED');
    expect(run.output?.['department']).toBe('Sales');
    expect((run.output?.['apps'] as { label: string }[]).map((a) => a.label)).toEqual(['CRM']);
    const user = [...okta.state.users.values()].find((u) => u.profile.login === 'ana.novak@example.com')!;
    expect([...(okta.state.memberships.get(group.id) ?? [])]).toContain(user.id);
  });

  it('lists every user across Link-header pages', async () => {
    for (let i = 0; i < 230; i++) okta.seed.user({ login: `bulk${i}@example.com`, department: 'Bulk' });
    const run = await runCards('list', [
      card('list', 'okta.listUsers', {
        connection: lit(connection),
        search: lit('profile.department eq "Bulk"'),
        limit: lit(100),
      }),
      card('done', 'control.return', { users: ref('list', 'items') }),
    ]);
    expect(run.error).toBeNull();
    expect(run.output?.['users']).toHaveLength(230);
    expect(okta.requests.filter((r) => r.path === '/api/v1/users' && r.method === 'GET').length).toBeGreaterThanOrEqual(
      3,
    );
  });

  it('fails with Okta’s error code and summary, naming the field', async () => {
    const run = await runCards('duplicate', [
      card('create', 'okta.createUser', {
        connection: lit(connection),
        firstName: lit('Ana'),
        lastName: lit('Novak'),
        email: lit('ana.novak@example.com'),
        login: lit('ana.novak@example.com'),
      }),
    ]);
    expect(run.status).toBe('failed');
    expect(run.error?.code).toBe('HTTP_400');
    expect(run.error?.message).toContain('E0000001');
    expect(run.error?.message).toContain('login');
    expect(run.error?.message).not.toContain(okta.token);
  });

  it('deactivates and then deletes a leaver', async () => {
    const leaver = okta.seed.user({ login: 'leaver@example.com' });
    const c = { connection: lit(connection), userId: lit(leaver.id) };
    const run = await runCards('leaver', [
      card('deactivate', 'okta.deactivateUser', c),
      card('delete', 'okta.deleteUser', c),
    ]);
    expect(run.error).toBeNull();
    expect(okta.state.users.has(leaver.id)).toBe(false);
  });

  it('finishes a burst of 500 calls within a 50-per-window limit: no failures, limit never exceeded', async () => {
    const ids = Array.from({ length: 500 }, (_, i) => okta.seed.user({ login: `burst${i}@example.com` }).id);
    await app.handlers['flows.save']({
      flow: flow({
        id: 'read-one',
        name: 'Read one user',
        trigger: { kind: 'helper', inputs: [{ name: 'item', type: 'text', required: true }] },
        nodes: [
          card('read', 'okta.getUser', { connection: lit(connection), userId: ref('trigger', 'item') }),
          card('done', 'control.return', { login: ref('read', 'profile', 'login') }),
        ],
      }),
    });
    const before = okta.stats.rateLimited;
    const run = await runCards('burst', [
      card('each', 'list.forEach', { flow: lit('read-one'), list: lit(ids), concurrency: lit(20) }),
      card('done', 'control.return', { results: ref('each', 'results'), errors: ref('each', 'errors') }),
    ]);
    expect(run.error).toBeNull();
    expect(run.output?.['errors']).toEqual([]);
    expect(run.output?.['results']).toHaveLength(500);
    expect(okta.stats.maxInWindow).toBeLessThanOrEqual(50);
    // The client waits for the reset time instead of hammering: at most a stray 429 per window.
    expect(okta.stats.rateLimited - before).toBeLessThanOrEqual(12);
  }, 60_000);
});
