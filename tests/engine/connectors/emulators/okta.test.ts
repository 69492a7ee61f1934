import { afterEach, describe, expect, it } from 'vitest';
import { startOktaEmulator, type OktaEmulator, type OktaEmulatorOptions } from '../../../support/emulators/okta.js';
import { looseFetch } from '../../../support/emulators/loose-fetch.js';

let okta: OktaEmulator;
afterEach(() => okta?.close());

async function start(options?: OktaEmulatorOptions) {
  okta = await startOktaEmulator(options);
  return okta;
}

function call(path: string, init: { method?: string; body?: unknown; token?: string } = {}) {
  return looseFetch(`${okta.url}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      Authorization: `SSWS ${init.token ?? okta.token}`,
      Accept: 'application/json',
      ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

const profile = (login: string) => ({ login, email: login, firstName: 'Ada', lastName: 'Lovelace' });

/** Reads rel="next" from an Okta Link header. */
function nextLink(response: Response): string | undefined {
  return /<([^>]+)>; rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
}

describe('Okta emulator: auth', () => {
  it('answers a wrong SSWS token with 401 E0000011', async () => {
    await start();
    const response = await call('/api/v1/users', { token: 'nope' });
    expect(response.status).toBe(401);
    const body = await response.json();
    expect(body).toMatchObject({ errorCode: 'E0000011', errorSummary: 'Invalid token provided', errorCauses: [] });
    expect(body.errorId).toMatch(/^oae/);
  });

  it('refuses a Bearer header carrying the right token', async () => {
    await start();
    const response = await looseFetch(`${okta.url}/api/v1/users`, {
      headers: { Authorization: `Bearer ${okta.token}` },
    });
    expect(response.status).toBe(401);
  });
});

describe('Okta emulator: users', () => {
  it('creates an active user when a password is given, staged with activate=false, provisioned without password', async () => {
    await start();
    const active = await call('/api/v1/users?activate=true', {
      method: 'POST',
      body: { profile: profile('a@example.com'), credentials: { password: { value: 'Secr3t!pass' } } },
    });
    expect(active.status).toBe(200);
    expect(await active.json()).toMatchObject({ status: 'ACTIVE', profile: { login: 'a@example.com' } });
    const staged = await call('/api/v1/users?activate=false', {
      method: 'POST',
      body: { profile: profile('b@example.com') },
    });
    expect((await staged.json()).status).toBe('STAGED');
    const provisioned = await call('/api/v1/users', { method: 'POST', body: { profile: profile('c@example.com') } });
    expect((await provisioned.json()).status).toBe('PROVISIONED');
  });

  it('rejects a missing login and a duplicate login with E0000001 and causes', async () => {
    await start();
    const missing = await call('/api/v1/users', {
      method: 'POST',
      body: { profile: { email: 'x@example.com', firstName: 'X', lastName: 'Y' } },
    });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({
      errorCode: 'E0000001',
      errorSummary: 'Api validation failed: login',
      errorCauses: [{ errorSummary: 'login: The field cannot be left blank' }],
    });
    okta.seed.user({ login: 'dup@example.com' });
    const duplicate = await call('/api/v1/users', { method: 'POST', body: { profile: profile('DUP@example.com') } });
    expect(duplicate.status).toBe(400);
    const body = await duplicate.json();
    expect(body.errorCode).toBe('E0000001');
    expect(body.errorCauses[0].errorSummary).toMatch(/^login: An object with this field already exists/);
  });

  it('gets a user by id or login, updates the profile partially, and 404s unknown ids', async () => {
    await start();
    const user = okta.seed.user({ login: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper' });
    expect((await (await call('/api/v1/users/grace@example.com')).json()).id).toBe(user.id);
    const updated = await call(`/api/v1/users/${user.id}`, {
      method: 'POST',
      body: { profile: { department: 'Navy' } },
    });
    expect(await updated.json()).toMatchObject({ profile: { firstName: 'Grace', department: 'Navy' } });
    const missing = await call('/api/v1/users/00unknown');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({
      errorCode: 'E0000007',
      errorSummary: 'Not found: Resource not found: 00unknown (User)',
    });
  });

  it('pages users through Link rel="next" and keeps the search expression', async () => {
    await start();
    for (let i = 0; i < 5; i++) okta.seed.user({ login: `u${i}@example.com`, department: i < 4 ? 'Sales' : 'IT' });
    const logins: string[] = [];
    let next: string | undefined =
      `/api/v1/users?limit=2&search=${encodeURIComponent('profile.department eq "Sales"')}`;
    let pages = 0;
    while (next) {
      const response = await call(next.replace(okta.url, ''));
      expect(response.headers.get('link')).toContain('rel="self"');
      logins.push(...(await response.json()).map((u: { profile: { login: string } }) => u.profile.login));
      next = nextLink(response);
      pages++;
    }
    expect(pages).toBe(2);
    expect(logins).toEqual(['u0@example.com', 'u1@example.com', 'u2@example.com', 'u3@example.com']);
  });

  it('supports sw, and, status and q', async () => {
    await start();
    okta.seed.user({ login: 'sam@example.com', firstName: 'Sam', lastName: 'One', department: 'Sales' });
    okta.seed.user({ login: 'sue@example.com', firstName: 'Sue', lastName: 'Two', department: 'Sales' }, 'SUSPENDED');
    const search = encodeURIComponent('profile.login sw "s" and status eq "ACTIVE"');
    expect((await (await call(`/api/v1/users?search=${search}`)).json()).length).toBe(1);
    expect((await (await call('/api/v1/users?q=su')).json())[0].profile.login).toBe('sue@example.com');
    const broken = await call(`/api/v1/users?search=${encodeURIComponent('profile.login eq')}`);
    expect(broken.status).toBe(400);
    expect((await broken.json()).errorCode).toBe('E0000031');
  });
});

describe('Okta emulator: lifecycle', () => {
  it('suspends only active users and unsuspends only suspended ones', async () => {
    await start();
    const user = okta.seed.user({ login: 'l@example.com' });
    const suspend = `/api/v1/users/${user.id}/lifecycle/suspend`;
    expect((await call(suspend, { method: 'POST' })).status).toBe(200);
    expect(okta.state.users.get(user.id)?.status).toBe('SUSPENDED');
    const again = await call(suspend, { method: 'POST' });
    expect(again.status).toBe(400);
    expect((await again.json()).errorCode).toBe('E0000001');
    expect((await call(`/api/v1/users/${user.id}/lifecycle/unsuspend`, { method: 'POST' })).status).toBe(200);
    expect(okta.state.users.get(user.id)?.status).toBe('ACTIVE');
  });

  it('refuses to activate an active user and activates a staged one', async () => {
    await start();
    const active = okta.seed.user({ login: 'a@example.com' });
    const refused = await call(`/api/v1/users/${active.id}/lifecycle/activate`, { method: 'POST' });
    expect(refused.status).toBe(403);
    expect((await refused.json()).errorCode).toBe('E0000016');
    const staged = okta.seed.user({ login: 's@example.com' }, 'STAGED');
    const activation = await call(`/api/v1/users/${staged.id}/lifecycle/activate?sendEmail=false`, { method: 'POST' });
    expect(await activation.json()).toHaveProperty('activationToken');
    expect(okta.state.users.get(staged.id)?.status).toBe('PROVISIONED');
  });

  it('expires the password and returns the user', async () => {
    await start();
    const user = okta.seed.user({ login: 'p@example.com' });
    const response = await call(`/api/v1/users/${user.id}/lifecycle/expire_password`, { method: 'POST' });
    expect((await response.json()).status).toBe('PASSWORD_EXPIRED');
  });

  it('deactivates on the first DELETE and deletes on the second', async () => {
    await start();
    const user = okta.seed.user({ login: 'd@example.com' });
    expect((await call(`/api/v1/users/${user.id}`, { method: 'DELETE' })).status).toBe(204);
    expect(okta.state.users.get(user.id)?.status).toBe('DEPROVISIONED');
    expect((await call(`/api/v1/users/${user.id}`, { method: 'DELETE' })).status).toBe(204);
    expect(okta.state.users.has(user.id)).toBe(false);
    expect((await call(`/api/v1/users/${user.id}`, { method: 'DELETE' })).status).toBe(404);
  });
});

describe('Okta emulator: groups, apps and logs', () => {
  it('creates groups, adds and removes members, and pages group members', async () => {
    await start();
    const created = await call('/api/v1/groups', { method: 'POST', body: { profile: { name: 'Engineering' } } });
    const group = await created.json();
    expect(group).toMatchObject({ type: 'OKTA_GROUP', profile: { name: 'Engineering' } });
    const users = [0, 1, 2].map((i) => okta.seed.user({ login: `m${i}@example.com` }));
    for (const user of users) {
      expect((await call(`/api/v1/groups/${group.id}/users/${user.id}`, { method: 'PUT' })).status).toBe(204);
    }
    const firstPage = await call(`/api/v1/groups/${group.id}/users?limit=2`);
    expect((await firstPage.json()).length).toBe(2);
    const second = await call((nextLink(firstPage) as string).replace(okta.url, ''));
    expect((await second.json()).map((u: { id: string }) => u.id)).toEqual([users[2]?.id]);
    expect(nextLink(second)).toBeUndefined();
    expect((await call(`/api/v1/groups/${group.id}/users/${users[0]?.id}`, { method: 'DELETE' })).status).toBe(204);
    expect(okta.state.memberships.get(group.id)?.size).toBe(2);
    expect((await (await call('/api/v1/groups?q=eng')).json()).length).toBe(1);
  });

  it('assigns a user to an app, finds the app by user.id filter, and unassigns', async () => {
    await start();
    const app = okta.seed.app('Box');
    const user = okta.seed.user({ login: 'app@example.com' });
    const assigned = await call(`/api/v1/apps/${app.id}/users`, {
      method: 'POST',
      body: { id: user.id, scope: 'USER' },
    });
    expect(await assigned.json()).toMatchObject({
      id: user.id,
      scope: 'USER',
      credentials: { userName: 'app@example.com' },
    });
    const filter = encodeURIComponent(`user.id eq "${user.id}"`);
    expect((await (await call(`/api/v1/apps?filter=${filter}`)).json()).map((a: { id: string }) => a.id)).toEqual([
      app.id,
    ]);
    expect((await call(`/api/v1/apps/${app.id}/users/${user.id}`, { method: 'DELETE' })).status).toBe(204);
    expect(await (await call(`/api/v1/apps?filter=${filter}`)).json()).toEqual([]);
  });

  it('writes System Log events that can be filtered and paged', async () => {
    await start();
    for (let i = 0; i < 3; i++) okta.seed.user({ login: `log${i}@example.com` });
    const filter = encodeURIComponent('eventType eq "user.lifecycle.create"');
    const first = await call(`/api/v1/logs?filter=${filter}&limit=2`);
    const events = await first.json();
    expect(events).toHaveLength(2);
    expect(events[0].target[0].alternateId).toBe('log0@example.com');
    const second = await call((nextLink(first) as string).replace(okta.url, ''));
    expect(await second.json()).toHaveLength(1);
    const byTarget = encodeURIComponent('target.alternateId eq "log2@example.com"');
    expect(await (await call(`/api/v1/logs?filter=${byTarget}`)).json()).toHaveLength(1);
  });
});

describe('Okta emulator: rate limits', () => {
  it('sends X-Rate-Limit headers with a reset in epoch seconds at the window end', async () => {
    const now = 1_700_000_000_500;
    await start({ rateLimit: { limit: 5, windowMs: 1000 }, now: () => now });
    const response = await call('/api/v1/users');
    expect(response.headers.get('x-rate-limit-limit')).toBe('5');
    expect(response.headers.get('x-rate-limit-remaining')).toBe('4');
    expect(response.headers.get('x-rate-limit-reset')).toBe('1700000001');
  });

  it('answers 429 E0000047 past the limit, counts it, and opens the next window', async () => {
    let now = 1_700_000_000_000;
    await start({ rateLimit: { limit: 3, windowMs: 1000 }, now: () => now });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await call('/api/v1/users')).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const limited = await call('/api/v1/users');
    expect(await limited.json()).toMatchObject({
      errorCode: 'E0000047',
      errorSummary: 'API call exceeded rate limit due to too many requests.',
    });
    expect(limited.headers.get('x-rate-limit-remaining')).toBe('0');
    // Another endpoint has its own bucket.
    okta.seed.user({ login: 'r@example.com' });
    expect((await call('/api/v1/users/r@example.com')).status).toBe(200);
    expect(okta.stats.rateLimited).toBe(3);
    expect(okta.stats.maxInWindow).toBe(3);
    now += 1000;
    expect((await call('/api/v1/users')).status).toBe(200);
  });
});
