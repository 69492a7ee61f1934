import { createApiClient } from '../../../shared/api/client.js';
import type { ApiClient } from '../../../shared/api/contract.js';
import { createHttpApiClient, readServerLocation } from './http-client.js';

let client: ApiClient | undefined;

/** The API, over IPC in the desktop app or over HTTP when the runner serves the designer. */
export function getApiClient(): ApiClient {
  client ??= window.api
    ? createApiClient(window.api)
    : createHttpApiClient(readServerLocation(window.location, window.sessionStorage, window.history));
  return client;
}
