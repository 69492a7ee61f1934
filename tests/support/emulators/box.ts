/**
 * A Box API 2.0 emulator: client-credentials tokens, folders with name conflicts, collaborations,
 * the owned-content transfer a leaver flow uses, and user search. Errors use Box's
 * `{type:'error', status, code, message, request_id}`; a bad token is a bare 401 with a
 * `WWW-Authenticate` header and no body, as Box sends it.
 */
import {
  authToken,
  isRecord,
  matchRoute,
  randomId,
  route,
  startEmulatorServer,
  type EmulatorReply,
  type EmulatorRequest,
  type LoggedRequest,
} from './emulator-server.js';

export interface BoxUser {
  type: 'user';
  id: string;
  name: string;
  login: string;
  status: 'active' | 'inactive';
  created_at: string;
}

export interface BoxFolder {
  id: string;
  name: string;
  parentId: string;
  ownerId: string;
  created_at: string;
  sequence_id: string;
  etag: string;
}

export interface BoxCollaboration {
  type: 'collaboration';
  id: string;
  item: { type: 'folder'; id: string; name: string };
  accessible_by: { type: 'user'; id: string | null; login: string; name: string };
  role: string;
  status: 'accepted' | 'pending';
  created_at: string;
}

export interface BoxEmulatorOptions {
  clientId?: string;
  clientSecret?: string;
  enterpriseId?: string;
  /** Lifetime of tokens from /oauth2/token. */
  tokenLifetimeSeconds?: number;
}

export interface BoxEmulator {
  url: string;
  /** A token valid from the start, for tests that skip the OAuth step. */
  token: string;
  clientId: string;
  clientSecret: string;
  enterpriseId: string;
  /** The service account the tokens act as (owner of folders created without As-User). */
  serviceAccount: BoxUser;
  state: {
    users: Map<string, BoxUser>;
    folders: Map<string, BoxFolder>;
    collaborations: Map<string, BoxCollaboration>;
  };
  requests: LoggedRequest[];
  stats: { tokenRequests: number };
  seed: {
    user(login: string, name?: string): BoxUser;
    folder(name: string, ownerId: string, parentId?: string): BoxFolder;
  };
  /** Makes every issued token invalid, as if they had expired. */
  expireTokens(): void;
  close(): Promise<void>;
}

const roles = new Set([
  'editor',
  'viewer',
  'previewer',
  'uploader',
  'previewer uploader',
  'viewer uploader',
  'co-owner',
]);
const numericId = () => String(100_000_000 + Math.floor(Math.random() * 899_999_999));

export function boxError(status: number, code: string, message: string, extra: Record<string, unknown> = {}) {
  return {
    status,
    body: { type: 'error', status, code, message, request_id: randomId(16), ...extra },
  } satisfies EmulatorReply;
}

export async function startBoxEmulator(options: BoxEmulatorOptions = {}): Promise<BoxEmulator> {
  const clientId = options.clientId ?? randomId(32);
  const clientSecret = options.clientSecret ?? randomId(32);
  const enterpriseId = options.enterpriseId ?? numericId();
  const lifetime = options.tokenLifetimeSeconds ?? 3600;
  const users = new Map<string, BoxUser>();
  const folders = new Map<string, BoxFolder>();
  const collaborations = new Map<string, BoxCollaboration>();
  /** token → expiry (epoch ms) */
  const tokens = new Map<string, number>();
  const stats = { tokenRequests: 0 };
  let url = '';

  const addUser = (login: string, name?: string): BoxUser => {
    const user: BoxUser = {
      type: 'user',
      id: numericId(),
      name: name ?? login.split('@')[0] ?? login,
      login,
      status: 'active',
      created_at: new Date().toISOString(),
    };
    users.set(user.id, user);
    return user;
  };
  const addFolder = (name: string, ownerId: string, parentId = '0'): BoxFolder => {
    const folder: BoxFolder = {
      id: numericId(),
      name,
      parentId,
      ownerId,
      created_at: new Date().toISOString(),
      sequence_id: '0',
      etag: '0',
    };
    folders.set(folder.id, folder);
    return folder;
  };
  const serviceAccount = addUser(`AutomationUser_${randomId(6)}@boxdevedition.com`, 'Flowstead Service');
  const staticToken = randomId(32);
  tokens.set(staticToken, Number.POSITIVE_INFINITY);

  const mini = (user: BoxUser) => ({ type: 'user', id: user.id, name: user.name, login: user.login });
  /** Folder "0" is each user's root: which one depends on who is asking. */
  const childrenOf = (parentId: string, ownerId: string) =>
    [...folders.values()].filter((f) => f.parentId === parentId && (parentId !== '0' || f.ownerId === ownerId));
  const folderJson = (folder: BoxFolder) => {
    const path: { type: 'folder'; id: string; name: string }[] = [];
    for (let up = folders.get(folder.parentId); up; up = folders.get(up.parentId)) {
      path.unshift({ type: 'folder', id: up.id, name: up.name });
    }
    path.unshift({ type: 'folder', id: '0', name: 'All Files' });
    const owner = users.get(folder.ownerId);
    const children = childrenOf(folder.id, folder.ownerId);
    return {
      type: 'folder',
      id: folder.id,
      sequence_id: folder.sequence_id,
      etag: folder.etag,
      name: folder.name,
      created_at: folder.created_at,
      modified_at: folder.created_at,
      parent: path.at(-1),
      path_collection: { total_count: path.length, entries: path },
      owned_by: owner ? mini(owner) : null,
      item_collection: {
        total_count: children.length,
        entries: children.map((c) => ({ type: 'folder', id: c.id, name: c.name, etag: c.etag })),
      },
    };
  };

  const tokenEndpoint = (request: EmulatorRequest): EmulatorReply => {
    stats.tokenRequests++;
    const form = isRecord(request.body) ? request.body : {};
    if (form.grant_type !== 'client_credentials') {
      return {
        status: 400,
        body: {
          error: 'unsupported_grant_type',
          error_description: 'Invalid grant_type parameter or parameter missing',
        },
      };
    }
    if (form.client_id !== clientId || form.client_secret !== clientSecret) {
      return {
        status: 400,
        body: { error: 'invalid_client', error_description: 'The client credentials are invalid' },
      };
    }
    const subjectOk =
      (form.box_subject_type === 'enterprise' && form.box_subject_id === enterpriseId) ||
      (form.box_subject_type === 'user' && users.has(String(form.box_subject_id)));
    if (!subjectOk)
      return { status: 400, body: { error: 'invalid_grant', error_description: 'Grant credentials are invalid' } };
    const accessToken = randomId(32);
    tokens.set(accessToken, Date.now() + lifetime * 1000);
    return {
      status: 200,
      body: { access_token: accessToken, expires_in: lifetime, restricted_to: [], token_type: 'bearer' },
    };
  };

  const routes = [
    route('POST', '/2.0/folders', (request) => {
      const body = isRecord(request.body) ? request.body : {};
      const name = typeof body.name === 'string' ? body.name : '';
      const parentId = isRecord(body.parent) ? String(body.parent.id ?? '') : '';
      if (!name || !parentId) return boxError(400, 'bad_request', 'name and parent.id are required');
      if (name.length > 255 || /[/\\]/.test(name) || name === '.' || name === '..' || name.trim() !== name) {
        return boxError(400, 'item_name_invalid', 'Item name invalid');
      }
      const actor = actingUser(request);
      if (parentId !== '0' && !folders.has(parentId)) return boxError(404, 'not_found', 'Not Found');
      const ownerId = parentId === '0' ? actor : (folders.get(parentId) as BoxFolder).ownerId;
      const conflict = childrenOf(parentId, ownerId).find((f) => f.name.toLowerCase() === name.toLowerCase());
      if (conflict) {
        return boxError(409, 'item_name_in_use', 'Item with the same name already exists', {
          context_info: {
            conflicts: [
              {
                type: 'folder',
                id: conflict.id,
                sequence_id: conflict.sequence_id,
                etag: conflict.etag,
                name: conflict.name,
              },
            ],
          },
        });
      }
      return { status: 201, body: folderJson(addFolder(name, ownerId, parentId)) };
    }),
    route('GET', '/2.0/folders/:id', (request) => {
      const folder = folders.get(request.params.id as string);
      return folder ? { status: 200, body: folderJson(folder) } : boxError(404, 'not_found', 'Not Found');
    }),
    route('POST', '/2.0/collaborations', (request) => {
      const body = isRecord(request.body) ? request.body : {};
      const item = isRecord(body.item) ? body.item : {};
      const who = isRecord(body.accessible_by) ? body.accessible_by : {};
      const role = typeof body.role === 'string' ? body.role : '';
      if (item.type !== 'folder' || !roles.has(role) || who.type !== 'user') {
        return boxError(400, 'bad_request', 'Bad request: item, accessible_by and a valid role are required');
      }
      const folder = folders.get(String(item.id));
      if (!folder) return boxError(404, 'not_found', 'Not Found');
      let user: BoxUser | undefined;
      if (who.id !== undefined) {
        user = users.get(String(who.id));
        if (!user) return boxError(404, 'not_found', 'Not Found');
      } else if (typeof who.login === 'string') {
        user = [...users.values()].find((u) => u.login.toLowerCase() === String(who.login).toLowerCase());
      } else {
        return boxError(400, 'bad_request', 'accessible_by needs an id or a login');
      }
      const login = user?.login ?? String(who.login);
      const existing = [...collaborations.values()].find(
        (c) => c.item.id === folder.id && c.accessible_by.login.toLowerCase() === login.toLowerCase(),
      );
      if (existing || user?.id === folder.ownerId) {
        return boxError(400, 'user_already_collaborator', 'User is already a collaborator');
      }
      const collaboration: BoxCollaboration = {
        type: 'collaboration',
        id: numericId(),
        item: { type: 'folder', id: folder.id, name: folder.name },
        // An unknown login is invited by email, so the collaboration waits as pending.
        accessible_by: { type: 'user', id: user?.id ?? null, login, name: user?.name ?? '' },
        role,
        status: user ? 'accepted' : 'pending',
        created_at: new Date().toISOString(),
      };
      collaborations.set(collaboration.id, collaboration);
      return { status: 201, body: collaboration };
    }),
    route('GET', '/2.0/users', (request) => {
      const term = (request.query.get('filter_term') ?? '').toLowerCase();
      const matching = [...users.values()].filter(
        (u) =>
          u.id !== serviceAccount.id &&
          (!term || u.name.toLowerCase().startsWith(term) || u.login.toLowerCase().startsWith(term)),
      );
      const offset = Math.max(0, Number(request.query.get('offset') ?? 0) || 0);
      const limit = Math.min(1000, Math.max(1, Number(request.query.get('limit') ?? 100) || 100));
      return {
        status: 200,
        body: { total_count: matching.length, limit, offset, entries: matching.slice(offset, offset + limit) },
      };
    }),
    route('GET', '/2.0/users/:id', (request) => {
      const user = request.params.id === 'me' ? users.get(actingUser(request)) : users.get(request.params.id as string);
      return user ? { status: 200, body: user } : boxError(404, 'not_found', 'Not Found');
    }),
    route('PUT', '/2.0/users/:id/folders/:folderId', (request) => {
      // Only the root can be moved: Box transfers everything a user owns at once.
      if (request.params.folderId !== '0') return boxError(404, 'not_found', 'Not Found');
      const source = users.get(request.params.id as string);
      if (!source) return boxError(404, 'not_found', 'Not Found');
      const body = isRecord(request.body) ? request.body : {};
      const targetId = isRecord(body.owned_by) ? String(body.owned_by.id ?? '') : '';
      const target = users.get(targetId);
      if (!targetId) return boxError(400, 'bad_request', 'owned_by.id is required');
      if (!target) return boxError(404, 'not_found', 'Not Found');
      if (target.id === source.id) return boxError(400, 'bad_request', 'Cannot transfer content to the same user');
      const moved = addFolder(`${source.login} - ${source.name}'s Files and Folders`, target.id, '0');
      for (const folder of folders.values()) {
        if (folder.ownerId !== source.id) continue;
        folder.ownerId = target.id;
        if (folder.parentId === '0') folder.parentId = moved.id;
      }
      return { status: 200, body: folderJson(moved) };
    }),
  ];

  /** `As-User` lets an admin token act for a managed user; otherwise the service account acts. */
  const actingUser = (request: EmulatorRequest): string => {
    const asUser = request.headers['as-user'];
    return typeof asUser === 'string' && users.has(asUser) ? asUser : serviceAccount.id;
  };

  const server = await startEmulatorServer((request) => {
    if (request.method === 'POST' && request.path === '/oauth2/token') return tokenEndpoint(request);
    const presented = authToken(request.headers, 'Bearer');
    const expiry = presented ? tokens.get(presented) : undefined;
    if (expiry === undefined || expiry < Date.now()) {
      return {
        status: 401,
        headers: {
          'WWW-Authenticate':
            'Bearer realm="Service", error="invalid_token", error_description="The access token provided is invalid."',
        },
      };
    }
    const asUser = request.headers['as-user'];
    if (typeof asUser === 'string' && !users.has(asUser)) {
      return boxError(403, 'access_denied_insufficient_permissions', 'Access denied - insufficient permission');
    }
    if (request.malformedBody) return boxError(400, 'bad_request', 'Could not parse JSON');
    const match = matchRoute(routes, request.method, request.path);
    if (match.kind === 'wrong-method') return boxError(405, 'method_not_allowed', 'Method Not Allowed');
    if (match.kind === 'none') return boxError(404, 'not_found', 'Not Found');
    return match.route.handler({ ...request, params: match.params });
  });
  url = server.url;

  return {
    url,
    token: staticToken,
    clientId,
    clientSecret,
    enterpriseId,
    serviceAccount,
    state: { users, folders, collaborations },
    requests: server.requests,
    stats,
    seed: { user: addUser, folder: addFolder },
    expireTokens: () => tokens.clear(),
    close: server.close,
  };
}
