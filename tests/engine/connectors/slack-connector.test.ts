import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp } from '../../support/engine-app.js';
import { startSlackEmulator, type SlackEmulator } from '../../support/emulators/slack.js';
import { card, flow, lit, ref } from '../../support/test-engine.js';

// Every Slack card through the whole engine against an emulator of the Slack Web API: a bot
// token in the Authorization header, and failures as HTTP 200 with `{ok: false, error}`.
let slack: SlackEmulator;
let app: Awaited<ReturnType<typeof openTestApp>>;
let connection: string;

beforeAll(async () => {
  slack = await startSlackEmulator();
  app = await openTestApp();
  connection = (
    await app.handlers['connections.save']({
      connector: 'slack',
      name: 'Slack emulator',
      settings: { baseUrl: `${slack.url}/api` },
      secrets: { botToken: slack.token },
    })
  ).id;
});
afterAll(async () => {
  await app?.close();
  await slack?.close();
});

async function runCards(id: string, nodes: Parameters<typeof flow>[0]['nodes'], input = {}) {
  await app.handlers['flows.save']({ flow: flow({ id, name: id, nodes }) });
  return app.run(id, input);
}

const c = () => ({ connection: lit(connection) });

describe('Slack connector', () => {
  it('finds a joiner by email, invites them to a channel and welcomes them there', async () => {
    const ana = slack.seed.user('Ana.Novak@example.com', 'ana');
    const ben = slack.seed.user('ben@example.com', 'ben');
    const general = slack.seed.channel('it-joiners');
    const run = await runCards('joiner', [
      card('lookup', 'slack.lookupUserByEmail', { ...c(), email: lit('ana.novak@example.com') }),
      card('invite', 'slack.inviteToChannel', {
        ...c(),
        channel: lit(general.id),
        users: lit(`${ana.id},${ben.id}`),
      }),
      card('post', 'slack.postMessage', { ...c(), channel: lit(general.id), text: lit('Welcome, Ana!') }),
      card('done', 'control.return', {
        id: ref('lookup', 'id'),
        email: ref('lookup', 'user', 'profile', 'email'),
        invitedTo: ref('invite', 'channel', 'id'),
        members: ref('invite', 'channel', 'num_members'),
        ts: ref('post', 'ts'),
        channel: ref('post', 'channel'),
      }),
    ]);
    expect(run.error).toBeNull();
    expect(run.output?.['id']).toBe(ana.id);
    expect(run.output?.['email']).toBe('Ana.Novak@example.com');
    expect(run.output?.['invitedTo']).toBe(general.id);
    expect(run.output?.['members']).toBe(2);
    expect([...general.members].sort()).toEqual([ana.id, ben.id].sort());
    // The message landed in the channel, with the timestamp the card returned.
    expect(slack.state.messages).toContainEqual(
      expect.objectContaining({ channel: general.id, text: 'Welcome, Ana!', ts: run.output?.['ts'] }),
    );
    expect(run.output?.['channel']).toBe(general.id);
    // The bot token travels in the Authorization header (Slack ignores tokens in a JSON body).
    const post = slack.requests.find((r) => r.path === '/api/chat.postMessage')!;
    expect(post.headers.authorization).toBe(`Bearer ${slack.token}`);
    expect(post.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('posts to a user id as a direct message from the bot', async () => {
    const dana = slack.seed.user('dana@example.com');
    const run = await runCards('dm', [
      card('post', 'slack.postMessage', {
        ...c(),
        channel: lit(dana.id),
        text: lit('Your laptop is ready.\nPick it up at the IT desk.'),
      }),
      card('done', 'control.return', { channel: ref('post', 'channel') }),
    ]);
    expect(run.error).toBeNull();
    const dm = slack.state.channels.get(run.output?.['channel'] as string)!;
    expect(dm.is_im).toBe(true);
    expect(dm.members.has(dana.id)).toBe(true);
    expect(slack.state.messages.at(-1)).toMatchObject({
      channel: dm.id,
      text: 'Your laptop is ready.\nPick it up at the IT desk.',
    });
  });

  it('fails with Slack’s channel_not_found although Slack answers HTTP 200, never showing the token', async () => {
    const before = slack.state.messages.length;
    const run = await runCards('missing-channel', [
      card('post', 'slack.postMessage', { ...c(), channel: lit('C0NOSUCHCHAN'), text: lit('Hello?') }),
      card('done', 'control.return', { ts: ref('post', 'ts') }),
    ]);
    expect(run.status).toBe('failed');
    expect(run.error?.code).toBe('VENDOR_ERROR');
    expect(run.error?.message).toContain('channel_not_found');
    expect(JSON.stringify(run.error)).not.toContain(slack.token);
    expect(slack.state.messages).toHaveLength(before);
  });

  it('fails a lookup of an unknown email with users_not_found', async () => {
    const run = await runCards('unknown-email', [
      card('lookup', 'slack.lookupUserByEmail', { ...c(), email: lit('nobody@example.com') }),
    ]);
    expect(run.status).toBe('failed');
    expect(run.error?.message).toContain('users_not_found');
    expect(JSON.stringify(run.error)).not.toContain(slack.token);
  });
});
