/** The HTTP layer every connector uses: one client per connection, plus paging helpers. */
export type { ConnectorAuth } from './auth.js';
export type { ClientCredentialsAuth } from './oauth-client-credentials.js';
export { createHttpClient, type HttpClientOptions } from './http-client.js';
export type { HttpClient, HttpMethod, HttpRequest, HttpResponse, QueryParams, RequestBody } from './types.js';
export { vendorErrorPresets, readVendorError, type VendorErrorMapping, type VendorErrorPreset } from './errors.js';
export { paginate, collectAll, type PaginationStrategy, type PaginateOptions } from './pagination.js';
export { parseLinkHeader, findLink, type WebLink } from './link-header.js';
export { redactSecrets, redactValue, REDACTED } from './redact.js';
export type { Sleep } from './sleep.js';
