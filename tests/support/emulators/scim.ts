/**
 * A SCIM 2.0 service provider (RFC 7643 / 7644) for /scim/v2/Users and /scim/v2/Groups: bearer
 * auth, uniqueness conflicts, filters, 1-based startIndex/count paging, PUT, PATCH and DELETE,
 * errors in the SCIM Error schema with `status` as a string.
 */
import { randomUUID } from 'node:crypto';
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
import { FilterSyntaxError, getIgnoringCase, matchesFilter, parseFilter } from './filter-expression.js';
import { ScimPatchError, applyPatch, type ScimResource } from './scim-patch.js';

export type { ScimResource } from './scim-patch.js';

const errorSchema = 'urn:ietf:params:scim:api:messages:2.0:Error';
const listSchema = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const userSchema = 'urn:ietf:params:scim:schemas:core:2.0:User';
const groupSchema = 'urn:ietf:params:scim:schemas:core:2.0:Group';

export interface ScimEmulatorOptions {
  token?: string;
  /** Most resources one list page returns, whatever `count` asks (RFC 7644 lets servers cap it). */
  maxResults?: number;
}

export interface ScimEmulator {
  url: string;
  /** Base of the SCIM API, e.g. http://127.0.0.1:1234/scim/v2 */
  baseUrl: string;
  token: string;
  state: { users: Map<string, ScimResource>; groups: Map<string, ScimResource> };
  requests: LoggedRequest[];
  stats: { created: number; patched: number; deleted: number };
  seed: {
    user(attributes: { userName: string } & Record<string, unknown>): ScimResource;
    group(displayName: string, memberIds?: string[]): ScimResource;
  };
  close(): Promise<void>;
}

export function scimError(status: number, detail: string, scimType?: string): EmulatorReply {
  return {
    status,
    contentType: 'application/scim+json',
    body: { schemas: [errorSchema], status: String(status), ...(scimType ? { scimType } : {}), detail },
  };
}

interface ResourceKind {
  endpoint: 'Users' | 'Groups';
  resourceType: 'User' | 'Group';
  schema: string;
  /** The attribute that must be present and unique (case-insensitively, as both are caseExact false). */
  uniqueAttribute: 'userName' | 'displayName';
  store: Map<string, ScimResource>;
}

export async function startScimEmulator(options: ScimEmulatorOptions = {}): Promise<ScimEmulator> {
  const token = options.token ?? randomId(32);
  const maxResults = options.maxResults ?? 100;
  const state = { users: new Map<string, ScimResource>(), groups: new Map<string, ScimResource>() };
  const stats = { created: 0, patched: 0, deleted: 0 };
  const kinds: ResourceKind[] = [
    { endpoint: 'Users', resourceType: 'User', schema: userSchema, uniqueAttribute: 'userName', store: state.users },
    {
      endpoint: 'Groups',
      resourceType: 'Group',
      schema: groupSchema,
      uniqueAttribute: 'displayName',
      store: state.groups,
    },
  ];
  let url = '';
  const scim = (status: number, body: unknown, headers?: Record<string, string>): EmulatorReply => ({
    status,
    body,
    headers,
    contentType: 'application/scim+json',
  });

  /** Stamps id and meta, keeping `created` across replacements and bumping the version. */
  const store = (kind: ResourceKind, attributes: Record<string, unknown>, previous?: ScimResource): ScimResource => {
    const now = new Date().toISOString();
    const id = previous ? String(previous.id) : randomUUID();
    const oldMeta = previous && isRecord(previous.meta) ? previous.meta : undefined;
    const version = oldMeta ? Number(/\d+/.exec(String(oldMeta.version))?.[0] ?? 0) + 1 : 1;
    const { id: _id, meta: _meta, groups: _groups, ...rest } = attributes;
    const resource: ScimResource = {
      schemas: [kind.schema],
      ...rest,
      id,
      meta: {
        resourceType: kind.resourceType,
        created: oldMeta?.created ?? now,
        lastModified: now,
        location: `${url}/scim/v2/${kind.endpoint}/${id}`,
        version: `W/"${version}"`,
      },
    };
    if (kind.resourceType === 'User' && resource.active === undefined) resource.active = true;
    kind.store.set(id, resource);
    return resource;
  };

  /** Users show their groups, which RFC 7643 makes read-only and derived from group membership. */
  const present = (kind: ResourceKind, resource: ScimResource): ScimResource => {
    if (kind.resourceType !== 'User') return resource;
    const groups = [...state.groups.values()]
      .filter(
        (group) => Array.isArray(group.members) && group.members.some((m) => isRecord(m) && m.value === resource.id),
      )
      .map((group) => ({ value: group.id, display: group.displayName, $ref: `${url}/scim/v2/Groups/${group.id}` }));
    return groups.length > 0 ? { ...resource, groups } : resource;
  };

  const validate = (kind: ResourceKind, resource: Record<string, unknown>, exceptId?: string) => {
    const unique = getIgnoringCase(resource, kind.uniqueAttribute);
    if (typeof unique !== 'string' || unique.trim() === '') {
      return scimError(400, `Attribute '${kind.uniqueAttribute}' is required`, 'invalidValue');
    }
    const active = getIgnoringCase(resource, 'active');
    if (active !== undefined && typeof active !== 'boolean') {
      return scimError(400, "Attribute 'active' must be a boolean", 'invalidValue');
    }
    for (const other of kind.store.values()) {
      const otherValue = getIgnoringCase(other, kind.uniqueAttribute);
      if (other.id !== exceptId && String(otherValue).toLowerCase() === unique.toLowerCase()) {
        return scimError(409, `${kind.uniqueAttribute} '${unique}' is already in use`, 'uniqueness');
      }
    }
    return undefined;
  };

  const find = (kind: ResourceKind, request: EmulatorRequest) => kind.store.get(request.params.id as string);
  const missing = (kind: ResourceKind, request: EmulatorRequest) =>
    scimError(404, `${kind.resourceType} ${request.params.id} not found`);

  const routesFor = (kind: ResourceKind) => [
    route('POST', `/scim/v2/${kind.endpoint}`, (request) => {
      if (!isRecord(request.body)) return scimError(400, 'The request body must be a JSON object', 'invalidSyntax');
      const invalid = validate(kind, request.body);
      if (invalid) return invalid;
      stats.created++;
      const resource = store(kind, request.body);
      return scim(201, present(kind, resource), { Location: String((resource.meta as { location: string }).location) });
    }),
    route('GET', `/scim/v2/${kind.endpoint}`, (request) => list(kind, request)),
    route('GET', `/scim/v2/${kind.endpoint}/:id`, (request) => {
      const resource = find(kind, request);
      return resource ? scim(200, present(kind, resource)) : missing(kind, request);
    }),
    route('PUT', `/scim/v2/${kind.endpoint}/:id`, (request) => {
      const resource = find(kind, request);
      if (!resource) return missing(kind, request);
      if (!isRecord(request.body)) return scimError(400, 'The request body must be a JSON object', 'invalidSyntax');
      const invalid = validate(kind, request.body, String(resource.id));
      return invalid ?? scim(200, present(kind, store(kind, request.body, resource)));
    }),
    route('PATCH', `/scim/v2/${kind.endpoint}/:id`, (request) => {
      const resource = find(kind, request);
      if (!resource) return missing(kind, request);
      let patched: ScimResource;
      try {
        patched = applyPatch(resource, request.body);
      } catch (error) {
        if (error instanceof ScimPatchError) return scimError(400, error.message, error.scimType);
        throw error;
      }
      const invalid = validate(kind, patched, String(resource.id));
      if (invalid) return invalid;
      stats.patched++;
      return scim(200, present(kind, store(kind, patched, resource)));
    }),
    route('DELETE', `/scim/v2/${kind.endpoint}/:id`, (request) => {
      const resource = find(kind, request);
      if (!resource) return missing(kind, request);
      kind.store.delete(String(resource.id));
      if (kind.resourceType === 'User') {
        // Deleting a user takes it out of every group, as a real service provider would.
        for (const group of state.groups.values()) {
          if (Array.isArray(group.members))
            group.members = group.members.filter((m) => !isRecord(m) || m.value !== resource.id);
        }
      }
      stats.deleted++;
      return { status: 204 };
    }),
  ];

  const list = (kind: ResourceKind, request: EmulatorRequest): EmulatorReply => {
    let resources = [...kind.store.values()].map((resource) => present(kind, resource));
    const filter = request.query.get('filter');
    if (filter) {
      try {
        const tree = parseFilter(filter);
        resources = resources.filter((resource) => matchesFilter(resource, tree));
      } catch (error) {
        if (error instanceof FilterSyntaxError) return scimError(400, error.message, 'invalidFilter');
        throw error;
      }
    }
    // RFC 7644 §3.4.2.4: startIndex below 1 counts as 1, a negative count as 0.
    const startIndex = Math.max(1, Math.floor(Number(request.query.get('startIndex') ?? 1)) || 1);
    const requested = request.query.get('count');
    const count =
      requested === null ? maxResults : Math.min(maxResults, Math.max(0, Math.floor(Number(requested)) || 0));
    const excluded = (request.query.get('excludedAttributes') ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean);
    const page = resources
      .slice(startIndex - 1, startIndex - 1 + count)
      .map((resource) =>
        Object.fromEntries(Object.entries(resource).filter(([key]) => !excluded.includes(key.toLowerCase()))),
      );
    return scim(200, {
      schemas: [listSchema],
      totalResults: resources.length,
      startIndex,
      itemsPerPage: page.length,
      Resources: page,
    });
  };

  const routes = [
    ...kinds.flatMap(routesFor),
    route('GET', '/scim/v2/ServiceProviderConfig', () =>
      scim(200, {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
        patch: { supported: true },
        bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
        filter: { supported: true, maxResults },
        changePassword: { supported: false },
        sort: { supported: false },
        etag: { supported: false },
        authenticationSchemes: [{ type: 'oauthbearertoken', name: 'OAuth Bearer Token', description: 'Bearer token' }],
      }),
    ),
  ];

  const server = await startEmulatorServer((request) => {
    if (authToken(request.headers, 'Bearer') !== token) {
      return { ...scimError(401, 'Authentication failure'), headers: { 'WWW-Authenticate': 'Bearer realm="scim"' } };
    }
    if (request.malformedBody) return scimError(400, 'The request body is not valid JSON', 'invalidSyntax');
    const match = matchRoute(routes, request.method, request.path);
    if (match.kind === 'wrong-method') return scimError(405, `${request.method} is not supported on ${request.path}`);
    if (match.kind === 'none') return scimError(404, `No SCIM endpoint at ${request.path}`);
    return match.route.handler({ ...request, params: match.params });
  });
  url = server.url;
  const [userKind, groupKind] = kinds as [ResourceKind, ResourceKind];

  return {
    url,
    baseUrl: `${url}/scim/v2`,
    token,
    state,
    requests: server.requests,
    stats,
    seed: {
      user: (attributes) => store(userKind, { schemas: [userSchema], active: true, ...attributes }),
      group: (displayName, memberIds = []) =>
        store(groupKind, { schemas: [groupSchema], displayName, members: memberIds.map((value) => ({ value })) }),
    },
    close: server.close,
  };
}
