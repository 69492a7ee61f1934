import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../../../src/engine/connectors/http/http-client.js';
import { collectAll, paginate } from '../../../../src/engine/connectors/http/pagination.js';
import { findLink, parseLinkHeader } from '../../../../src/engine/connectors/http/link-header.js';
import { rejectionOf, sendJson, startTestServer, type TestServer } from './test-server.js';

let server: TestServer;
afterEach(() => server?.close());

const people = Array.from({ length: 7 }, (_, i) => ({ id: `u${i + 1}` }));
const ids = (items: unknown[]) => items.map((item) => (item as { id: string }).id);

function clientFor(origin: string) {
  return createHttpClient({
    baseUrl: `${origin}/api/v1`,
    auth: { scheme: 'bearer', token: 'tok-abcdef', prefix: 'SSWS' },
  });
}

describe('pagination', () => {
  it('link: follows rel="next" among several links until there is none', async () => {
    server = await startTestServer((request, response) => {
      const after = Number(request.query.get('after') ?? 0);
      const page = people.slice(after, after + 3);
      const links = [`<${server.origin}/api/v1/users?limit=3>; rel="self"`];
      if (after + 3 < people.length)
        links.push(`<${server.origin}/api/v1/users?after=${after + 3}&limit=3>; rel="next"`);
      sendJson(response, 200, page, { Link: links.join(', ') });
    });
    const pages: unknown[][] = [];
    for await (const page of paginate(
      clientFor(server.origin),
      { method: 'GET', path: '/users', query: { limit: 3 } },
      { kind: 'link' },
    )) {
      pages.push(page);
    }
    expect(pages.map(ids)).toEqual([['u1', 'u2', 'u3'], ['u4', 'u5', 'u6'], ['u7']]);
    expect(server.requests.every((r) => r.headers.authorization === 'SSWS tok-abcdef')).toBe(true);
  });

  it('link: refuses a next link on another origin before sending credentials there', async () => {
    server = await startTestServer((_request, response) => {
      sendJson(response, 200, people.slice(0, 2), {
        Link: '<https://attacker.example/api/v1/users?after=2>; rel="next"',
      });
    });
    const error = await rejectionOf(
      collectAll(clientFor(server.origin), { method: 'GET', path: '/users' }, { kind: 'link' }),
    );
    expect(error.code).toBe('HTTP_CROSS_ORIGIN');
    expect(server.requests).toHaveLength(1);
  });

  it('link: a server repeating the same next link is stopped with PAGINATION_LOOP', async () => {
    server = await startTestServer((_request, response) => {
      sendJson(response, 200, people.slice(0, 2), { Link: '</api/v1/users?after=2>; rel="next"' });
    });
    const error = await rejectionOf(
      collectAll(clientFor(server.origin), { method: 'GET', path: '/users' }, { kind: 'link' }),
    );
    expect(error.code).toBe('PAGINATION_LOOP');
    expect(server.requests).toHaveLength(2);
  });

  it('cursor: Slack-style response_metadata.next_cursor', async () => {
    server = await startTestServer((request, response) => {
      const cursor = request.query.get('cursor');
      const start = cursor ? Number(cursor.replace('c', '')) : 0;
      const next = start + 4 < people.length ? `c${start + 4}` : '';
      sendJson(response, 200, {
        ok: true,
        members: people.slice(start, start + 4),
        response_metadata: { next_cursor: next },
      });
    });
    const items = await collectAll(
      clientFor(server.origin),
      { method: 'GET', path: '/users.list', query: { limit: 4 } },
      { kind: 'cursor', itemsPath: 'members', cursorPath: 'response_metadata.next_cursor', cursorParam: 'cursor' },
    );
    expect(ids(items)).toEqual(ids(people));
    expect(server.requests[1]?.query.get('limit')).toBe('4');
  });

  it('cursor: the same cursor twice is PAGINATION_LOOP', async () => {
    server = await startTestServer((_request, response) => {
      sendJson(response, 200, { members: [{ id: 'x' }], response_metadata: { next_cursor: 'stuck' } });
    });
    const error = await rejectionOf(
      collectAll(
        clientFor(server.origin),
        { method: 'GET', path: '/users.list' },
        {
          kind: 'cursor',
          itemsPath: 'members',
          cursorPath: 'response_metadata.next_cursor',
          cursorParam: 'cursor',
        },
      ),
    );
    expect(error.code).toBe('PAGINATION_LOOP');
    expect(error.message).toContain('(stuck)');
  });

  it('offset: SCIM startIndex from 1 until totalResults, advancing by what the server sent', async () => {
    server = await startTestServer((request, response) => {
      const startIndex = Number(request.query.get('startIndex'));
      // The server caps pages at 2 even though we ask for 3.
      const page = people.slice(startIndex - 1, startIndex + 1);
      sendJson(response, 200, { totalResults: people.length, itemsPerPage: page.length, startIndex, Resources: page });
    });
    const items = await collectAll(
      clientFor(server.origin),
      { method: 'GET', path: '/scim/v2/Users' },
      {
        kind: 'offset',
        itemsPath: 'Resources',
        offsetParam: 'startIndex',
        limitParam: 'count',
        pageSize: 3,
        startAt: 1,
        totalPath: 'totalResults',
      },
    );
    expect(ids(items)).toEqual(ids(people));
    expect(server.requests.map((r) => r.query.get('startIndex'))).toEqual(['1', '3', '5', '7']);
    expect(server.requests[0]?.query.get('count')).toBe('3');
  });

  it('offset: without a total, stops on the first empty page', async () => {
    server = await startTestServer((request, response) => {
      const offset = Number(request.query.get('offset'));
      sendJson(response, 200, { entries: people.slice(offset, offset + 5) });
    });
    const items = await collectAll(
      clientFor(server.origin),
      { method: 'GET', path: '/users' },
      {
        kind: 'offset',
        itemsPath: 'entries',
        offsetParam: 'offset',
        limitParam: 'limit',
        pageSize: 5,
      },
    );
    expect(items).toHaveLength(7);
    expect(server.requests).toHaveLength(3);
  });

  it('nextUrl: Salesforce records and nextRecordsUrl', async () => {
    server = await startTestServer((request, response) => {
      if (request.path === '/services/data/v60.0/query') {
        return sendJson(response, 200, {
          done: false,
          records: people.slice(0, 4),
          nextRecordsUrl: '/services/data/v60.0/query/01gD-4',
        });
      }
      sendJson(response, 200, { done: true, records: people.slice(4) });
    });
    const client = createHttpClient({
      baseUrl: `${server.origin}/services/data/v60.0`,
      auth: { scheme: 'bearer', token: 'tok-abcdef' },
    });
    const items = await collectAll(
      client,
      { method: 'GET', path: '/query', query: { q: 'SELECT Id FROM User' } },
      {
        kind: 'nextUrl',
        itemsPath: 'records',
        nextUrlPath: 'nextRecordsUrl',
      },
    );
    expect(ids(items)).toEqual(ids(people));
    expect(server.requests[1]?.path).toBe('/services/data/v60.0/query/01gD-4');
  });

  it('maxItems stops quietly; maxPages stops with PAGINATION_LIMIT', async () => {
    server = await startTestServer((request, response) => {
      const after = Number(request.query.get('after') ?? 0);
      sendJson(response, 200, people.slice(after, after + 2), {
        Link: `</api/v1/users?after=${after + 2}>; rel="next"`,
      });
    });
    const client = clientFor(server.origin);
    const few = await collectAll(client, { method: 'GET', path: '/users' }, { kind: 'link' }, { maxItems: 3 });
    expect(ids(few)).toEqual(['u1', 'u2', 'u3']);
    const error = await rejectionOf(
      collectAll(client, { method: 'GET', path: '/users' }, { kind: 'link' }, { maxPages: 2 }),
    );
    expect(error.code).toBe('PAGINATION_LIMIT');
  });

  it('an items path that is not a list is PAGINATION_ITEMS', async () => {
    server = await startTestServer((_request, response) => sendJson(response, 200, { data: { id: 1 } }));
    const error = await rejectionOf(
      collectAll(
        clientFor(server.origin),
        { method: 'GET', path: '/x' },
        { kind: 'nextUrl', itemsPath: 'data', nextUrlPath: 'next' },
      ),
    );
    expect(error.code).toBe('PAGINATION_ITEMS');
  });
});

describe('Link header parsing', () => {
  it('handles several links, quoted parameters with commas and semicolons, and multiple rels', () => {
    const header =
      '<https://x.example/a?b=1,2>; rel="self"; title="a, b; c", ' +
      '<https://x.example/next?after=abc>; title="say \\"hi\\""; rel="prev next", <https://x.example/last>;rel=last';
    const links = parseLinkHeader(header);
    expect(links).toHaveLength(3);
    expect(links[0]).toEqual({ target: 'https://x.example/a?b=1,2', params: { rel: 'self', title: 'a, b; c' } });
    expect(links[1]?.params.title).toBe('say "hi"');
    expect(findLink(header, 'next')).toBe('https://x.example/next?after=abc');
    expect(findLink(header, 'LAST')).toBe('https://x.example/last');
    expect(findLink(header, 'first')).toBeUndefined();
  });
});
