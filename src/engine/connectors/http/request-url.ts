import { crossOriginError } from './errors.js';
import type { QueryParams } from './types.js';

const HAS_SCHEME = /^[a-z][a-z\d+.-]*:/i;

/**
 * Joins a request path to the base URL. An absolute URL (or `//host/…`) is accepted only on
 * the base URL's origin: a `Link` header or `nextRecordsUrl` pointing elsewhere must not
 * receive the connection's credentials.
 */
export function resolveRequestUrl(baseUrl: string, path: string, query: QueryParams | undefined): URL {
  const base = new URL(baseUrl);
  let url: URL;
  if (HAS_SCHEME.test(path) || path.startsWith('//')) {
    url = new URL(path, base);
    if (url.origin !== base.origin) throw crossOriginError(`${url.origin}${url.pathname}`, base.origin);
  } else {
    // `new URL('users', 'https://x/api/v1')` would drop `v1`, so join the paths ourselves.
    const [pathPart, queryPart] = splitOnce(path, '?');
    url = new URL(base.origin);
    url.pathname = `${base.pathname.replace(/\/+$/, '')}/${pathPart.replace(/^\/+/, '')}`;
    url.search = queryPart ?? base.search;
  }
  appendQuery(url, query);
  return url;
}

export function appendQuery(url: URL, query: QueryParams | undefined): void {
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    url.searchParams.delete(name);
    for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(name, String(item));
  }
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const index = text.indexOf(separator);
  return index < 0 ? [text, undefined] : [text.slice(0, index), text.slice(index + 1)];
}
