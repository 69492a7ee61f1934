import { afterEach, describe, expect, it } from 'vitest';
import { looseFetch } from '../../../support/emulators/loose-fetch.js';
import { startSlackEmulator, type SlackEmulator } from '../../../support/emulators/slack.js';

let slack: SlackEmulator;
afterEach(() => slack?.close());

function postJson(method: string, body: unknown, token = slack.token) {
  return looseFetch(`${slack.url}/api/${method}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json; charset=utf-8' },
    body: JSON.stringify(body),
  });
}

function postForm(method: string, fields: Record<string, string>) {
  return looseFetch(`${slack.url}/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

function get(method: string, query: Record<string, string>) {
  return looseFetch(`${slack.url}/api/${method}?${new URLSearchParams(query)}`, {
    headers: { Authorization: `Bearer ${slack.token}` },
  });
}

describe('Slack emulator: auth', () => {
  it('answers a wrong token with HTTP 200 and invalid_auth, a missing one with not_authed', async () => {
    slack = await startSlackEmulator();
    const wrong = await postJson('chat.postMessage', { channel: 'C1', text: 'hi' }, 'xoxb-wrong');
    expect(wrong.status).toBe(200);
    expect(await wrong.json()).toEqual({ ok: false, error: 'invalid_auth' });
    const missing = await looseFetch(`${slack.url}/api/users.list`);
    expect(await missing.json()).toEqual({ ok: false, error: 'not_authed' });
  });

  it('accepts the token as a form field', async () => {
    slack = await startSlackEmulator();
    slack.seed.user('a@example.com');
    const response = await postForm('users.list', { token: slack.token });
    expect((await response.json()).ok).toBe(true);
  });
});

describe('Slack emulator: methods', () => {
  it('posts to a channel id and to a user id (as a direct message)', async () => {
    slack = await startSlackEmulator();
    const channel = slack.seed.channel('general');
    const user = slack.seed.user('new@example.com');
    const posted = await (await postJson('chat.postMessage', { channel: channel.id, text: 'Welcome' })).json();
    expect(posted).toMatchObject({ ok: true, channel: channel.id, message: { text: 'Welcome' } });
    expect(posted.ts).toMatch(/^\d+\.\d{6}$/);
    const direct = await (await postJson('chat.postMessage', { channel: user.id, text: 'Hi' })).json();
    expect(direct.channel).toMatch(/^D/);
    expect(slack.state.messages.map((m) => m.text)).toEqual(['Welcome', 'Hi']);
    const nowhere = await (await postJson('chat.postMessage', { channel: 'C000', text: 'x' })).json();
    expect(nowhere).toEqual({ ok: false, error: 'channel_not_found' });
    const empty = await (await postJson('chat.postMessage', { channel: channel.id })).json();
    expect(empty.error).toBe('no_text');
  });

  it('invites comma-separated users and reports already_in_channel and user_not_found', async () => {
    slack = await startSlackEmulator();
    const a = slack.seed.user('a@example.com');
    const b = slack.seed.user('b@example.com');
    const channel = slack.seed.channel('team', { isPrivate: true });
    const invited = await (
      await postJson('conversations.invite', { channel: channel.id, users: `${a.id},${b.id}` })
    ).json();
    expect(invited).toMatchObject({ ok: true, channel: { id: channel.id, num_members: 2 } });
    const again = await (
      await postForm('conversations.invite', { token: slack.token, channel: channel.id, users: a.id })
    ).json();
    expect(again).toMatchObject({ ok: false, error: 'already_in_channel' });
    const unknown = await (await postJson('conversations.invite', { channel: channel.id, users: 'U404' })).json();
    expect(unknown.error).toBe('user_not_found');
    const noChannel = await (await postJson('conversations.invite', { channel: 'C404', users: a.id })).json();
    expect(noChannel.error).toBe('channel_not_found');
  });

  it('looks users up by email, case-insensitively, and answers users_not_found', async () => {
    slack = await startSlackEmulator();
    const user = slack.seed.user('Jo@Example.com');
    expect((await (await get('users.lookupByEmail', { email: 'jo@example.com' })).json()).user.id).toBe(user.id);
    expect(await (await get('users.lookupByEmail', { email: 'no@example.com' })).json()).toEqual({
      ok: false,
      error: 'users_not_found',
    });
  });

  it('pages users.list with limit and response_metadata.next_cursor', async () => {
    slack = await startSlackEmulator();
    for (let i = 0; i < 5; i++) slack.seed.user(`u${i}@example.com`);
    const emails: string[] = [];
    let cursor = '';
    let pages = 0;
    do {
      const body = await (await get('users.list', { limit: '2', ...(cursor ? { cursor } : {}) })).json();
      emails.push(...body.members.map((m: { profile: { email: string } }) => m.profile.email));
      cursor = body.response_metadata.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(emails).toHaveLength(5);
    expect((await (await get('users.list', { cursor: 'bogus' })).json()).error).toBe('invalid_cursor');
  });

  it('answers an unknown method with 404 unknown_method', async () => {
    slack = await startSlackEmulator();
    const response = await postJson('chat.nothing', {});
    expect(response.status).toBe(404);
    expect((await response.json()).error).toBe('unknown_method');
  });
});

describe('Slack emulator: rate limits', () => {
  it('answers HTTP 429 with Retry-After in seconds once a method passes its limit', async () => {
    const now = 1_700_000_000_250;
    slack = await startSlackEmulator({ rateLimit: { limit: 2, windowMs: 60_000 }, now: () => now });
    slack.seed.user('r@example.com');
    expect((await get('users.list', {})).status).toBe(200);
    expect((await get('users.list', {})).status).toBe(200);
    const limited = await get('users.list', {});
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toEqual({ ok: false, error: 'ratelimited' });
    expect((await get('users.lookupByEmail', { email: 'r@example.com' })).status).toBe(200);
    expect(slack.stats.rateLimited).toBe(1);
  });
});
