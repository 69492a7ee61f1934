/** The request and response shapes every connector speaks; transport details stay in http-client.ts. */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';

/** Arrays repeat the parameter (`id=1&id=2`); undefined values are left out. */
export type QueryParams = Record<string, string | number | boolean | Array<string | number> | undefined>;

export type RequestBody =
  | { kind: 'json'; value: unknown }
  | { kind: 'form'; value: Record<string, string> }
  | { kind: 'text'; value: string; contentType?: string };

export interface HttpRequest {
  method: HttpMethod;
  /** Relative to the client's base URL, or an absolute URL on the same origin (e.g. a `Link` next URL). */
  path: string;
  query?: QueryParams;
  headers?: Record<string, string>;
  body?: RequestBody;
}

export interface HttpResponse {
  status: number;
  /** Header names are lower-case. */
  headers: Record<string, string>;
  /** Parsed JSON when the content type is JSON, otherwise text; undefined when empty. */
  body: unknown;
  /** The URL that answered, without any API key sent in the query. */
  url: string;
}

export interface HttpClient {
  request(request: HttpRequest, signal?: AbortSignal): Promise<HttpResponse>;
}
