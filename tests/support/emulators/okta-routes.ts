/**
 * The Okta endpoints, answering with the status codes, error codes and summaries of Okta's docs.
 */
import { isRecord, randomId, route, type EmulatorReply, type EmulatorRequest, type Route } from './emulator-server.js';
import { FilterSyntaxError, matchesFilter, parseFilter } from './filter-expression.js';
import type { OktaProfile, OktaState, OktaUser, OktaUserStatus } from './okta-state.js';

export function oktaError(
  status: number,
  errorCode: string,
  errorSummary: string,
  causes: string[] = [],
): EmulatorReply {
  return {
    status,
    body: {
      errorCode,
      errorSummary,
      errorLink: errorCode,
      errorId: 'oae' + randomId(19),
      errorCauses: causes.map((cause) => ({ errorSummary: cause })),
    },
  };
}

const notFound = (id: string, kind: string) =>
  oktaError(404, 'E0000007', `Not found: Resource not found: ${id} (${kind})`);
const ok = (body: unknown): EmulatorReply => ({ status: 200, body });
const noContent: EmulatorReply = { status: 204 };
const requiredProfile = ['login', 'email', 'firstName', 'lastName'] as const;

/**
 * Okta's cursor pagination: `after` is the id of the last item of the previous page, and the
 * `Link` header carries rel="self" and, while more remain, rel="next" with the other parameters kept.
 */
function paginate<T>(
  items: T[],
  idOf: (item: T) => string,
  request: EmulatorRequest,
  baseUrl: string,
  limits: { default: number; max: number },
): EmulatorReply {
  const requested = Number(request.query.get('limit') ?? limits.default);
  const limit =
    Number.isFinite(requested) && requested > 0 ? Math.min(Math.floor(requested), limits.max) : limits.default;
  const after = request.query.get('after');
  const start = after === null ? 0 : items.findIndex((item) => idOf(item) === after) + 1;
  // An unknown cursor finds nothing rather than restarting, so a broken client cannot loop forever.
  const page = after !== null && start === 0 ? [] : items.slice(start, start + limit);
  const self = `${baseUrl}${request.path}${request.query.size > 0 ? `?${request.query.toString()}` : ''}`;
  const links = [`<${self}>; rel="self"`];
  const last = page.at(-1);
  if (last !== undefined && start + limit < items.length) {
    const next = new URLSearchParams(request.query);
    next.set('after', idOf(last));
    next.set('limit', String(limit));
    links.push(`<${baseUrl}${request.path}?${next.toString()}>; rel="next"`);
  }
  return { status: 200, body: page, headers: { Link: links.join(', ') } };
}

/** Applies `search` / `filter` expressions; a syntax error is Okta's E0000031. */
function filtered<T>(items: T[], expressions: (string | null)[]): T[] | EmulatorReply {
  try {
    const trees = expressions.filter((expression): expression is string => !!expression).map((e) => parseFilter(e));
    return items.filter((item) => trees.every((tree) => matchesFilter(item, tree)));
  } catch (error) {
    if (error instanceof FilterSyntaxError)
      return oktaError(400, 'E0000031', 'Invalid search criteria.', [error.message]);
    throw error;
  }
}

export function oktaRoutes(state: OktaState, baseUrl: () => string): Route[] {
  const userJson = (user: OktaUser) => {
    const { hasPassword: _hidden, ...visible } = user;
    return {
      ...visible,
      credentials: { provider: { type: 'OKTA', name: 'OKTA' } },
      _links: { self: { href: `${baseUrl()}/api/v1/users/${user.id}` } },
    };
  };

  /** Okta's E0000001 with one cause per field, as the docs show for a blank or duplicate login. */
  const validateProfile = (profile: Record<string, unknown>, exceptId?: string): EmulatorReply | undefined => {
    const causes: string[] = [];
    for (const field of requiredProfile) {
      const value = profile[field];
      if (typeof value !== 'string' || value.trim() === '') causes.push(`${field}: The field cannot be left blank`);
    }
    const login = profile.login;
    if (typeof login === 'string' && login !== '' && !/^[^@\s]+@[^@\s]+$/.test(login)) {
      causes.push('login: Username must be in the form of an email address');
    }
    if (typeof login === 'string' && login !== '' && state.loginTaken(login, exceptId)) {
      causes.push('login: An object with this field already exists in the current organization');
    }
    if (causes.length === 0) return undefined;
    const firstField = (causes[0] as string).split(':')[0];
    return oktaError(400, 'E0000001', `Api validation failed: ${firstField}`, causes);
  };

  const withUser = (request: EmulatorRequest, then: (user: OktaUser) => EmulatorReply) => {
    const id = request.params.id as string;
    const user = state.findUser(id);
    return user ? then(user) : notFound(id, 'User');
  };

  const setStatus = (user: OktaUser, status: OktaUserStatus, eventType: string) => {
    const now = state.timestamp();
    user.status = status;
    user.statusChanged = now;
    user.lastUpdated = now;
    if (status === 'ACTIVE' && !user.activated) user.activated = now;
    state.log(eventType, `${eventType} for ${user.profile.login}`, [
      { id: user.id, type: 'User', alternateId: user.profile.login, displayName: user.profile.login },
    ]);
  };

  const updateProfile = (request: EmulatorRequest, replace: boolean) =>
    withUser(request, (user) => {
      const body = isRecord(request.body) ? request.body : {};
      const changes = isRecord(body.profile) ? body.profile : {};
      const profile = replace ? { ...changes } : { ...user.profile, ...changes };
      const invalid = validateProfile(profile, user.id);
      if (invalid) return invalid;
      user.profile = profile as OktaProfile;
      user.lastUpdated = state.timestamp();
      state.log('user.account.update_profile', 'Update user profile for Okta', [
        { id: user.id, type: 'User', alternateId: user.profile.login, displayName: user.profile.login },
      ]);
      return ok(userJson(user));
    });

  /** Lifecycle operations: each allowed only from the statuses the docs name. */
  const lifecycle: Record<string, (user: OktaUser, request: EmulatorRequest) => EmulatorReply> = {
    activate: (user, request) => {
      if (user.status === 'ACTIVE') {
        return oktaError(403, 'E0000016', 'Activation failed because the user is already active');
      }
      if (user.status !== 'STAGED' && user.status !== 'DEPROVISIONED') {
        return oktaError(400, 'E0000001', `Api validation failed: status`, [
          `status: Cannot activate a user with status ${user.status}; use reactivate`,
        ]);
      }
      // Without a password the user still has to finish the welcome flow: Okta leaves them PROVISIONED.
      setStatus(user, user.hasPassword ? 'ACTIVE' : 'PROVISIONED', 'user.lifecycle.activate');
      if (request.query.get('sendEmail') === 'false') {
        const activationToken = randomId(20);
        return ok({ activationUrl: `${baseUrl()}/welcome/${activationToken}`, activationToken });
      }
      return ok({});
    },
    deactivate: (user) => {
      if (user.status === 'DEPROVISIONED') {
        return oktaError(400, 'E0000001', 'Api validation failed: status', ['status: The user is already deactivated']);
      }
      setStatus(user, 'DEPROVISIONED', 'user.lifecycle.deactivate');
      return ok({});
    },
    suspend: (user) => {
      if (user.status !== 'ACTIVE') {
        return oktaError(400, 'E0000001', 'Api validation failed: status', [
          'status: Cannot suspend a user that is not active',
        ]);
      }
      setStatus(user, 'SUSPENDED', 'user.lifecycle.suspend');
      return ok({});
    },
    unsuspend: (user) => {
      if (user.status !== 'SUSPENDED') {
        return oktaError(400, 'E0000001', 'Api validation failed: status', [
          'status: Cannot unsuspend a user that is not suspended',
        ]);
      }
      setStatus(user, 'ACTIVE', 'user.lifecycle.unsuspend');
      return ok({});
    },
    expire_password: (user) => {
      if (user.status === 'STAGED' || user.status === 'DEPROVISIONED' || user.status === 'SUSPENDED') {
        return oktaError(403, 'E0000038', "This operation is not allowed in the user's current status.");
      }
      setStatus(user, 'PASSWORD_EXPIRED', 'user.password.expire');
      return ok(userJson(user));
    },
  };

  const withGroup = (request: EmulatorRequest, then: (groupId: string) => EmulatorReply) => {
    const id = request.params.gid as string;
    return state.groups.has(id) ? then(id) : notFound(id, 'UserGroup');
  };

  const appJson = (appId: string) => {
    const app = state.apps.get(appId);
    return app && { ...app, _links: { users: { href: `${baseUrl()}/api/v1/apps/${app.id}/users` } } };
  };

  return [
    route('POST', '/api/v1/users', (request) => {
      const body = isRecord(request.body) ? request.body : {};
      const profile = isRecord(body.profile) ? body.profile : {};
      const invalid = validateProfile(profile);
      if (invalid) return invalid;
      const credentials = isRecord(body.credentials) ? body.credentials : {};
      const hasPassword = isRecord(credentials.password) && typeof credentials.password.value === 'string';
      const activate = request.query.get('activate') !== 'false';
      const status: OktaUserStatus = !activate ? 'STAGED' : hasPassword ? 'ACTIVE' : 'PROVISIONED';
      const user = state.addUser(profile as OktaProfile, status, hasPassword);
      for (const groupId of Array.isArray(body.groupIds) ? body.groupIds : [])
        state.addMember(String(groupId), user.id);
      return ok(userJson(user));
    }),
    route('GET', '/api/v1/users', (request) => {
      let users = [...state.users.values()];
      const q = request.query.get('q')?.toLowerCase();
      if (q) {
        // `q` matches the start of first name, last name or email, and skips deactivated users.
        users = users.filter(
          (user) =>
            user.status !== 'DEPROVISIONED' &&
            [user.profile.firstName, user.profile.lastName, user.profile.email].some((v) =>
              v.toLowerCase().startsWith(q),
            ),
        );
      } else if (!request.query.get('search') && !request.query.get('filter')) {
        users = users.filter((user) => user.status !== 'DEPROVISIONED');
      }
      const matching = filtered(users, [request.query.get('search'), request.query.get('filter')]);
      if (!Array.isArray(matching)) return matching;
      return paginate(matching.map(userJson), (user) => user.id, request, baseUrl(), { default: 200, max: 200 });
    }),
    route('GET', '/api/v1/users/:id', (request) => withUser(request, (user) => ok(userJson(user)))),
    route('POST', '/api/v1/users/:id', (request) => updateProfile(request, false)),
    route('PUT', '/api/v1/users/:id', (request) => updateProfile(request, true)),
    route('DELETE', '/api/v1/users/:id', (request) =>
      withUser(request, (user) => {
        // The first DELETE only deactivates; a second one on a deactivated user deletes for good.
        if (user.status !== 'DEPROVISIONED') setStatus(user, 'DEPROVISIONED', 'user.lifecycle.deactivate');
        else state.deleteUser(user);
        return noContent;
      }),
    ),
    route('POST', '/api/v1/users/:id/lifecycle/:operation', (request) => {
      const operation = lifecycle[request.params.operation as string];
      if (!operation) return notFound(request.path, 'Path');
      return withUser(request, (user) => operation(user, request));
    }),
    route('GET', '/api/v1/users/:id/groups', (request) =>
      withUser(request, (user) =>
        ok([...state.groups.values()].filter((group) => state.memberships.get(group.id)?.has(user.id))),
      ),
    ),

    route('POST', '/api/v1/groups', (request) => {
      const body = isRecord(request.body) ? request.body : {};
      const profile = isRecord(body.profile) ? body.profile : {};
      const name = typeof profile.name === 'string' ? profile.name.trim() : '';
      if (!name)
        return oktaError(400, 'E0000001', 'Api validation failed: name', ['name: The field cannot be left blank']);
      if ([...state.groups.values()].some((group) => group.profile.name.toLowerCase() === name.toLowerCase())) {
        return oktaError(400, 'E0000001', 'Api validation failed: name', [
          'name: An object with this field already exists in the current organization',
        ]);
      }
      const description = typeof profile.description === 'string' ? profile.description : null;
      return ok(state.addGroup(name, description));
    }),
    route('GET', '/api/v1/groups', (request) => {
      const q = request.query.get('q')?.toLowerCase();
      const groups = [...state.groups.values()].filter((group) => !q || group.profile.name.toLowerCase().startsWith(q));
      const matching = filtered(groups, [request.query.get('search'), request.query.get('filter')]);
      if (!Array.isArray(matching)) return matching;
      return paginate(matching, (group) => group.id, request, baseUrl(), { default: 10_000, max: 10_000 });
    }),
    route('GET', '/api/v1/groups/:gid', (request) => withGroup(request, (id) => ok(state.groups.get(id)))),
    route('DELETE', '/api/v1/groups/:gid', (request) =>
      withGroup(request, (id) => {
        state.groups.delete(id);
        state.memberships.delete(id);
        return noContent;
      }),
    ),
    route('GET', '/api/v1/groups/:gid/users', (request) =>
      withGroup(request, (id) => {
        const members = [...(state.memberships.get(id) ?? [])].map((uid) => state.users.get(uid)).filter((u) => !!u);
        return paginate(members.map(userJson), (user) => user.id, request, baseUrl(), { default: 1000, max: 1000 });
      }),
    ),
    route('PUT', '/api/v1/groups/:gid/users/:uid', (request) =>
      withGroup(request, (id) => {
        const user = state.users.get(request.params.uid as string);
        if (!user) return notFound(request.params.uid as string, 'User');
        state.addMember(id, user.id);
        return noContent;
      }),
    ),
    route('DELETE', '/api/v1/groups/:gid/users/:uid', (request) =>
      withGroup(request, (id) => {
        const user = state.users.get(request.params.uid as string);
        if (!user) return notFound(request.params.uid as string, 'User');
        state.removeMember(id, user.id);
        return noContent;
      }),
    ),

    route('GET', '/api/v1/apps', (request) => {
      let apps = [...state.apps.values()];
      const filter = request.query.get('filter');
      if (filter) {
        // Okta's app filter knows a few fixed forms; user.id / group.id / status are the useful ones here.
        const byUser = /^user\.id eq "([^"]+)"$/.exec(filter.trim());
        const byStatus = /^status eq "(ACTIVE|INACTIVE)"$/.exec(filter.trim());
        if (byUser) apps = apps.filter((app) => state.assignments.get(app.id)?.has(byUser[1] as string));
        else if (byStatus) apps = apps.filter((app) => app.status === byStatus[1]);
        else return oktaError(400, 'E0000031', 'Invalid search criteria.', [`Unsupported filter: ${filter}`]);
      }
      const q = request.query.get('q')?.toLowerCase();
      if (q) apps = apps.filter((app) => app.label.toLowerCase().startsWith(q) || app.name.toLowerCase().startsWith(q));
      return paginate(
        apps.map((app) => appJson(app.id)),
        (app) => app?.id ?? '',
        request,
        baseUrl(),
        {
          default: 20,
          max: 200,
        },
      );
    }),
    route('GET', '/api/v1/apps/:appId', (request) => {
      const app = appJson(request.params.appId as string);
      return app ? ok(app) : notFound(request.params.appId as string, 'AppInstance');
    }),
    route('POST', '/api/v1/apps/:appId/users', (request) => {
      const appId = request.params.appId as string;
      if (!state.apps.has(appId)) return notFound(appId, 'AppInstance');
      const body = isRecord(request.body) ? request.body : {};
      if (typeof body.id !== 'string' || body.id === '') {
        return oktaError(400, 'E0000001', 'Api validation failed: id', ['id: The field cannot be left blank']);
      }
      if (!state.users.has(body.id)) return notFound(body.id, 'User');
      return ok(state.assign(appId, body.id, isRecord(body.profile) ? body.profile : {}));
    }),
    route('GET', '/api/v1/apps/:appId/users', (request) => {
      const assigned = state.assignments.get(request.params.appId as string);
      if (!assigned) return notFound(request.params.appId as string, 'AppInstance');
      return paginate([...assigned.values()], (entry) => entry.id, request, baseUrl(), { default: 50, max: 500 });
    }),
    route('GET', '/api/v1/apps/:appId/users/:uid', (request) => {
      const entry = state.assignments.get(request.params.appId as string)?.get(request.params.uid as string);
      return entry ? ok(entry) : notFound(request.params.uid as string, 'AppUser');
    }),
    route('DELETE', '/api/v1/apps/:appId/users/:uid', (request) => {
      const appId = request.params.appId as string;
      const uid = request.params.uid as string;
      const assigned = state.assignments.get(appId);
      if (!assigned) return notFound(appId, 'AppInstance');
      if (!assigned.delete(uid)) return notFound(uid, 'AppUser');
      state.log('application.user_membership.remove', 'Remove user from application membership', []);
      return noContent;
    }),

    route('GET', '/api/v1/logs', (request) => {
      const since =
        request.query.get('since') ?? new Date(Date.parse(state.timestamp()) - 7 * 86_400_000).toISOString();
      const until = request.query.get('until');
      const q = request.query.get('q')?.toLowerCase();
      let events = state.logs.filter((event) => event.published >= since && (!until || event.published < until));
      if (q) events = events.filter((event) => JSON.stringify(event).toLowerCase().includes(q));
      const matching = filtered(events, [request.query.get('filter')]);
      if (!Array.isArray(matching)) return matching;
      if (request.query.get('sortOrder') === 'DESCENDING') matching.reverse();
      return paginate(matching, (event) => event.uuid, request, baseUrl(), { default: 100, max: 1000 });
    }),
  ];
}
