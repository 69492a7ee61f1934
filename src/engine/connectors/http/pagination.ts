import { FlowsteadError } from '../../../shared/errors.js';
import { findLink } from './link-header.js';
import { readPath, readText } from './read-path.js';
import { redactSecrets } from './redact.js';
import type { HttpClient, HttpRequest, HttpResponse } from './types.js';

/** How a service hands out the next page. Paths are dotted (see read-path.ts). */
export type PaginationStrategy =
  /** RFC 8288 `Link: <…>; rel="next"` (Okta, GitHub). Items are the body unless `itemsPath` says otherwise. */
  | { kind: 'link'; itemsPath?: string }
  /** A cursor in the body sent back as a query parameter (Slack: response_metadata.next_cursor → cursor). */
  | { kind: 'cursor'; itemsPath: string; cursorPath: string; cursorParam: string }
  /** Offset and page size in the query (SCIM: startIndex from 1, count, totalResults, Resources). */
  | {
      kind: 'offset';
      itemsPath: string;
      offsetParam: string;
      limitParam: string;
      pageSize: number;
      startAt?: 0 | 1;
      totalPath?: string;
    }
  /** A next-page URL in the body (Salesforce: records, nextRecordsUrl). */
  | { kind: 'nextUrl'; itemsPath: string; nextUrlPath: string };

export interface PaginateOptions {
  /** A safety net against endless paging; reaching it with pages left is an error. Default 1000. */
  maxPages?: number;
  /** Stop quietly after this many items. */
  maxItems?: number;
  signal?: AbortSignal;
}

/** Yields one array of items per page, stopping on an empty page, no next page, or the total. */
export async function* paginate(
  client: HttpClient,
  request: HttpRequest,
  strategy: PaginationStrategy,
  options: PaginateOptions = {},
): AsyncGenerator<unknown[]> {
  const maxPages = options.maxPages ?? 1000;
  const maxItems = options.maxItems ?? Number.POSITIVE_INFINITY;
  const offsetStart = strategy.kind === 'offset' ? (strategy.startAt ?? 0) : 0;
  let next: HttpRequest | undefined =
    strategy.kind === 'offset' ? withQuery(request, offsetQuery(strategy, offsetStart)) : request;
  const seenPositions = new Set<string>();
  let pages = 0;
  let itemCount = 0;
  let previousPage: string | undefined;

  while (next) {
    if (pages >= maxPages) {
      throw new FlowsteadError(
        'PAGINATION_LIMIT',
        `${request.method} ${request.path} still had pages after ${maxPages} (maxPages); raise maxPages or narrow the query.`,
        { maxPages, path: request.path },
      );
    }
    const response = await client.request(next, options.signal);
    pages++;
    const page = itemsOf(response, strategy.itemsPath ?? '', request);
    const kept = page.slice(0, Math.max(0, maxItems - itemCount));
    itemCount += kept.length;
    if (kept.length > 0) yield kept;
    if (page.length === 0 || itemCount >= maxItems) return;

    let position: string | undefined;
    switch (strategy.kind) {
      case 'link': {
        const target = findLink(response.headers.link, 'next');
        position = target && new URL(target, response.url).toString();
        next = position ? { ...request, path: position, query: undefined } : undefined;
        break;
      }
      case 'nextUrl': {
        const target = readText(response.body, strategy.nextUrlPath);
        position = target && new URL(target, response.url).toString();
        next = position ? { ...request, path: position, query: undefined } : undefined;
        break;
      }
      case 'cursor':
        position = readText(response.body, strategy.cursorPath);
        next = position ? withQuery(request, { [strategy.cursorParam]: position }) : undefined;
        break;
      case 'offset': {
        // Servers may cap the page size below ours, so advance by what actually came back.
        const fetched = itemCount;
        const total =
          strategy.totalPath === undefined ? undefined : Number(readPath(response.body, strategy.totalPath));
        const pageText = JSON.stringify(page);
        if (pageText === previousPage) throw loopError(request, `offset ${offsetStart + fetched}`);
        previousPage = pageText;
        const done = total !== undefined && Number.isFinite(total) && fetched >= total;
        next = done ? undefined : withQuery(request, offsetQuery(strategy, offsetStart + fetched));
        break;
      }
    }
    if (position !== undefined) {
      if (seenPositions.has(position)) throw loopError(request, position);
      seenPositions.add(position);
    }
  }
}

/** Every item of every page, in order. */
export async function collectAll(
  client: HttpClient,
  request: HttpRequest,
  strategy: PaginationStrategy,
  options: PaginateOptions = {},
): Promise<unknown[]> {
  const items: unknown[] = [];
  for await (const page of paginate(client, request, strategy, options)) items.push(...page);
  return items;
}

function itemsOf(response: HttpResponse, itemsPath: string, request: HttpRequest): unknown[] {
  const items = readPath(response.body, itemsPath);
  // SCIM leaves out `Resources` when there are no results.
  if (items === undefined || items === null) return [];
  if (Array.isArray(items)) return items;
  throw new FlowsteadError(
    'PAGINATION_ITEMS',
    `${request.method} ${request.path} answered with ${itemsPath ? `'${itemsPath}'` : 'a body'} that is not a list; check the items path.`,
    { itemsPath, path: request.path },
  );
}

function offsetQuery(strategy: Extract<PaginationStrategy, { kind: 'offset' }>, offset: number) {
  return { [strategy.offsetParam]: offset, [strategy.limitParam]: strategy.pageSize };
}

function withQuery(request: HttpRequest, extra: Record<string, string | number>): HttpRequest {
  return { ...request, query: { ...request.query, ...extra } };
}

function loopError(request: HttpRequest, rawPosition: string): FlowsteadError {
  // A next URL echoed by the server may carry a key in its query.
  const position = redactSecrets(rawPosition);
  return new FlowsteadError(
    'PAGINATION_LOOP',
    `${request.method} ${request.path} returned the same page position twice (${position}); the service is repeating itself, so paging stopped.`,
    { path: request.path, position },
  );
}
