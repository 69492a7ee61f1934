/**
 * An Okta Management API v1 emulator: users with lifecycle, groups and memberships, app
 * assignments and the System Log, `SSWS` token auth, `Link` header pagination and Okta's
 * per-endpoint rate limits with honest `X-Rate-Limit-*` headers.
 */
import {
  FixedWindowCounter,
  authToken,
  matchRoute,
  randomId,
  startEmulatorServer,
  type EmulatorReply,
  type EmulatorRequest,
  type LoggedRequest,
} from './emulator-server.js';
import { oktaError, oktaRoutes } from './okta-routes.js';
import { OktaState, type OktaProfile, type OktaUserStatus } from './okta-state.js';

export { oktaError } from './okta-routes.js';
export type { OktaAppUser, OktaGroup, OktaLogEvent, OktaProfile, OktaUser, OktaUserStatus } from './okta-state.js';

export interface OktaRateLimit {
  limit: number;
  /** Use whole seconds (multiples of 1000): Okta's reset header is in epoch seconds. */
  windowMs: number;
}

export interface OktaEmulatorOptions {
  token?: string;
  /** Limit for every bucket; Okta's buckets are per endpoint, e.g. `/api/v1/users` and `/api/v1/users/{id}`. */
  rateLimit?: OktaRateLimit;
  /** Per-bucket overrides, keyed by bucket name as returned by `oktaRateLimitBucket`. */
  rateLimits?: Record<string, OktaRateLimit>;
  /** Clock in epoch ms; tests of rate limits can run it fast. */
  now?: () => number;
}

export interface OktaEmulatorStats {
  /** How many requests were answered 429. */
  rateLimited: number;
  /** Most requests accepted in one window of one bucket. */
  maxInWindow: number;
  maxInWindowByBucket: Record<string, number>;
}

export interface OktaEmulator {
  url: string;
  token: string;
  state: OktaState;
  requests: LoggedRequest[];
  stats: OktaEmulatorStats;
  seed: {
    user(profile: Partial<OktaProfile> & { login: string }, status?: OktaUserStatus): ReturnType<OktaState['addUser']>;
    group(name: string, description?: string): ReturnType<OktaState['addGroup']>;
    app(label: string, name?: string): ReturnType<OktaState['addApp']>;
    member(groupId: string, userId: string): void;
    assignment(appId: string, userId: string): void;
  };
  close(): Promise<void>;
}

/** A generous default so connector tests that do not study rate limits never meet one. */
const defaultRateLimit: OktaRateLimit = { limit: 10_000, windowMs: 60_000 };

/** Okta meters each endpoint separately: the collection, and the single resource with everything under it. */
export function oktaRateLimitBucket(path: string): string {
  const parts = path.split('/').filter(Boolean);
  const rest = parts[0] === 'api' && parts[1] === 'v1' ? parts.slice(2) : parts;
  if (rest.length === 0) return '/';
  return rest.length === 1 ? `/api/v1/${rest[0]}` : `/api/v1/${rest[0]}/{id}`;
}

export async function startOktaEmulator(options: OktaEmulatorOptions = {}): Promise<OktaEmulator> {
  const token = options.token ?? '00' + randomId(40);
  const now = options.now ?? Date.now;
  const state = new OktaState(now);
  const counter = new FixedWindowCounter(now);
  const stats: OktaEmulatorStats = {
    get rateLimited() {
      return counter.rejected;
    },
    get maxInWindow() {
      return counter.maxInWindow;
    },
    get maxInWindowByBucket() {
      return counter.maxInWindowByBucket;
    },
  };
  let url = '';

  const handle = async (request: EmulatorRequest): Promise<EmulatorReply> => {
    const bucket = oktaRateLimitBucket(request.path);
    const { limit, windowMs } = options.rateLimits?.[bucket] ?? options.rateLimit ?? defaultRateLimit;
    const taken = counter.take(bucket, limit, windowMs);
    const rateHeaders = {
      'X-Rate-Limit-Limit': String(limit),
      'X-Rate-Limit-Remaining': String(taken.remaining),
      'X-Rate-Limit-Reset': String(Math.ceil(taken.resetMs / 1000)),
    };
    const reply = await answer(request, taken.allowed);
    return { ...reply, headers: { ...rateHeaders, ...reply.headers } };
  };

  const answer = async (request: EmulatorRequest, allowed: boolean): Promise<EmulatorReply> => {
    if (!allowed) return oktaError(429, 'E0000047', 'API call exceeded rate limit due to too many requests.');
    if (authToken(request.headers, 'SSWS') !== token) return oktaError(401, 'E0000011', 'Invalid token provided');
    if (request.malformedBody) {
      return oktaError(400, 'E0000003', 'The request body was not well-formed.');
    }
    const match = matchRoute(routes, request.method, request.path);
    if (match.kind === 'wrong-method') {
      return oktaError(405, 'E0000022', 'The endpoint does not support the provided HTTP method');
    }
    if (match.kind === 'none')
      return oktaError(404, 'E0000007', `Not found: Resource not found: ${request.path} (Path)`);
    return match.route.handler({ ...request, params: match.params });
  };

  const server = await startEmulatorServer(handle);
  url = server.url;
  const routes = oktaRoutes(state, () => url);

  return {
    url,
    token,
    state,
    requests: server.requests,
    stats,
    seed: {
      user: (profile, status = 'ACTIVE') =>
        state.addUser(
          {
            email: profile.login,
            firstName: profile.login.split('@')[0] ?? profile.login,
            lastName: 'User',
            ...profile,
          },
          status,
        ),
      group: (name, description) => state.addGroup(name, description ?? null),
      app: (label, name) => state.addApp(label, name),
      member: (groupId, userId) => state.addMember(groupId, userId),
      assignment: (appId, userId) => void state.assign(appId, userId),
    },
    close: server.close,
  };
}
