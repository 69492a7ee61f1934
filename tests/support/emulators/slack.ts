/**
 * A Slack Web API emulator: chat.postMessage, conversations.invite, users.lookupByEmail and
 * users.list. Like Slack, failures are HTTP 200 with `{ok:false, error}`; only rate limiting uses
 * HTTP 429 with `Retry-After` in seconds. Arguments come from the query, a form body or JSON.
 */
import {
  FixedWindowCounter,
  authToken,
  isRecord,
  randomId,
  startEmulatorServer,
  type EmulatorReply,
  type EmulatorRequest,
  type LoggedRequest,
} from './emulator-server.js';

export interface SlackUser {
  id: string;
  team_id: string;
  name: string;
  real_name: string;
  deleted: boolean;
  is_bot: boolean;
  profile: { email: string; real_name: string; display_name: string };
}

export interface SlackChannel {
  id: string;
  name: string;
  is_channel: boolean;
  is_private: boolean;
  is_im: boolean;
  is_archived: boolean;
  /** Member user ids. */
  members: Set<string>;
}

export interface SlackMessage {
  channel: string;
  ts: string;
  text: string;
  blocks?: unknown;
}

export interface SlackEmulatorOptions {
  token?: string;
  /** Requests allowed per method per window; past it Slack answers 429 with Retry-After. */
  rateLimit?: { limit: number; windowMs: number };
  now?: () => number;
}

export interface SlackEmulator {
  url: string;
  token: string;
  state: { users: Map<string, SlackUser>; channels: Map<string, SlackChannel>; messages: SlackMessage[] };
  requests: LoggedRequest[];
  stats: { rateLimited: number; maxInWindow: number };
  seed: {
    user(email: string, name?: string): SlackUser;
    channel(name: string, options?: { isPrivate?: boolean; archived?: boolean; memberIds?: string[] }): SlackChannel;
  };
  close(): Promise<void>;
}

const teamId = 'T' + randomId(8, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789');
const slackId = (prefix: string) => prefix + randomId(10, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789');
const fail = (error: string, extra: Record<string, unknown> = {}): EmulatorReply => ({
  status: 200,
  body: { ok: false, error, ...extra },
});
const ok = (body: Record<string, unknown>): EmulatorReply => ({ status: 200, body: { ok: true, ...body } });

export async function startSlackEmulator(options: SlackEmulatorOptions = {}): Promise<SlackEmulator> {
  const token = options.token ?? 'xoxb-' + randomId(24);
  const now = options.now ?? Date.now;
  const state = {
    users: new Map<string, SlackUser>(),
    channels: new Map<string, SlackChannel>(),
    messages: [] as SlackMessage[],
  };
  const counter = new FixedWindowCounter(now);
  const botUserId = slackId('U');
  let lastTs = 0;

  /** Message timestamps are unique per channel; Slack uses seconds with six decimals. */
  const nextTs = () => {
    lastTs = Math.max(lastTs + 1, now() * 1000);
    return (lastTs / 1_000_000).toFixed(6);
  };

  const openDirectMessage = (userId: string): SlackChannel => {
    for (const channel of state.channels.values()) if (channel.is_im && channel.members.has(userId)) return channel;
    const channel: SlackChannel = {
      id: slackId('D'),
      name: userId,
      is_channel: false,
      is_private: true,
      is_im: true,
      is_archived: false,
      members: new Set([userId, botUserId]),
    };
    state.channels.set(channel.id, channel);
    return channel;
  };

  const channelJson = (channel: SlackChannel) => {
    const { members, ...rest } = channel;
    return { ...rest, num_members: members.size };
  };

  const methods: Record<string, (args: Record<string, string>, json: Record<string, unknown>) => EmulatorReply> = {
    'chat.postMessage': (args, json) => {
      const target = args.channel;
      if (!target) return fail('channel_not_found');
      let channel: SlackChannel | undefined;
      if (target.startsWith('U') || target.startsWith('W')) {
        // Posting to a user id opens (or reuses) the bot's direct message with them.
        if (!state.users.has(target)) return fail('channel_not_found');
        channel = openDirectMessage(target);
      } else {
        const name = target.replace(/^#/, '');
        channel = state.channels.get(target) ?? [...state.channels.values()].find((c) => c.name === name);
      }
      if (!channel) return fail('channel_not_found');
      if (channel.is_archived) return fail('is_archived');
      const blocks = json.blocks ?? args.blocks;
      const attachments = json.attachments ?? args.attachments;
      const text = args.text ?? '';
      if (!text && blocks === undefined && attachments === undefined) return fail('no_text');
      const message: SlackMessage = { channel: channel.id, ts: nextTs(), text, ...(blocks ? { blocks } : {}) };
      state.messages.push(message);
      return ok({
        channel: channel.id,
        ts: message.ts,
        message: { type: 'message', subtype: 'bot_message', text, user: botUserId, ts: message.ts, bot_id: 'B01' },
      });
    },
    'conversations.invite': (args) => {
      const channel = args.channel ? state.channels.get(args.channel) : undefined;
      if (!channel || channel.is_im) return fail('channel_not_found');
      if (channel.is_archived) return fail('is_archived');
      const userIds = (args.users ?? '')
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean);
      if (userIds.length === 0) return fail('no_user');
      if (userIds.length > 1000) return fail('too_many_users');
      // All or nothing: one bad user refuses the whole call, with a per-user `errors` list as Slack sends.
      const problems: { user: string; ok: false; error: string }[] = [];
      for (const id of userIds) {
        if (!state.users.has(id)) problems.push({ user: id, ok: false, error: 'user_not_found' });
        else if (id === botUserId) problems.push({ user: id, ok: false, error: 'cant_invite_self' });
        else if (channel.members.has(id)) problems.push({ user: id, ok: false, error: 'already_in_channel' });
      }
      const first = problems[0];
      if (first) return fail(first.error, { errors: problems });
      for (const id of userIds) channel.members.add(id);
      return ok({ channel: channelJson(channel) });
    },
    'users.lookupByEmail': (args) => {
      const email = (args.email ?? '').toLowerCase();
      const user = [...state.users.values()].find((u) => u.profile.email.toLowerCase() === email);
      return user ? ok({ user }) : fail('users_not_found');
    },
    'users.list': (args) => {
      const users = [...state.users.values()];
      let start = 0;
      if (args.cursor) {
        // Cursors are opaque base64 of "user:<id>", where the page starts.
        const decoded = Buffer.from(args.cursor, 'base64').toString('utf8');
        start = decoded.startsWith('user:') ? users.findIndex((u) => u.id === decoded.slice(5)) : -1;
        if (start < 0) return fail('invalid_cursor');
      }
      // Without a limit Slack returns everything in one go; it advises paging with limit ≤ 200.
      const limit = Number(args.limit ?? 0) > 0 ? Math.min(Number(args.limit), 1000) : users.length;
      const page = users.slice(start, start + limit);
      const following = users[start + limit];
      const nextCursor = following ? Buffer.from(`user:${following.id}`).toString('base64') : '';
      return ok({ members: page, cache_ts: Math.floor(now() / 1000), response_metadata: { next_cursor: nextCursor } });
    },
  };

  const handle = (request: EmulatorRequest): EmulatorReply => {
    const method = request.path.replace(/^\/api\//, '');
    const implementation = request.path.startsWith('/api/') ? methods[method] : undefined;
    if (!implementation) return { status: 404, body: { ok: false, error: 'unknown_method', req_method: method } };
    if (options.rateLimit) {
      const taken = counter.take(method, options.rateLimit.limit, options.rateLimit.windowMs);
      if (!taken.allowed) {
        return {
          status: 429,
          body: { ok: false, error: 'ratelimited' },
          headers: { 'Retry-After': String(Math.max(1, Math.ceil(taken.retryAfterMs / 1000))) },
        };
      }
    }
    const isJson = (request.headers['content-type'] ?? '').includes('json');
    if (request.malformedBody) return fail('invalid_json');
    const json = isJson && isRecord(request.body) ? request.body : {};
    const args: Record<string, string> = Object.fromEntries(request.query);
    if (isRecord(request.body)) {
      for (const [key, value] of Object.entries(request.body)) {
        args[key] = typeof value === 'string' ? value : JSON.stringify(value);
      }
    }
    // JSON bodies must carry the token in the Authorization header; forms may pass `token`.
    const presented = authToken(request.headers, 'Bearer') ?? (isJson ? undefined : args.token);
    if (!presented) return fail('not_authed');
    if (presented !== token) return fail('invalid_auth');
    return implementation(args, json);
  };

  const server = await startEmulatorServer(handle);
  return {
    url: server.url,
    token,
    state,
    requests: server.requests,
    stats: {
      get rateLimited() {
        return counter.rejected;
      },
      get maxInWindow() {
        return counter.maxInWindow;
      },
    },
    seed: {
      user: (email, name) => {
        const handle = name ?? email.split('@')[0] ?? email;
        const user: SlackUser = {
          id: slackId('U'),
          team_id: teamId,
          name: handle,
          real_name: handle,
          deleted: false,
          is_bot: false,
          profile: { email, real_name: handle, display_name: handle },
        };
        state.users.set(user.id, user);
        return user;
      },
      channel: (name, channelOptions = {}) => {
        const channel: SlackChannel = {
          id: slackId(channelOptions.isPrivate ? 'G' : 'C'),
          name,
          is_channel: true,
          is_private: channelOptions.isPrivate ?? false,
          is_im: false,
          is_archived: channelOptions.archived ?? false,
          members: new Set(channelOptions.memberIds ?? []),
        };
        state.channels.set(channel.id, channel);
        return channel;
      },
    },
    close: server.close,
  };
}
