import { createApiClient } from '../../../shared/api/client.js';
import type { ApiTransport } from '../../../shared/api/client.js';
import type { ApiClient, ApiEventName, ApiResult } from '../../../shared/api/contract.js';

export interface ServerLocation {
  baseUrl: string;
  token: string;
}

const TOKEN_KEY = 'flowstead.token';

/**
 * Where the runner's API is when it serves this page: its own origin, with the access token
 * handed over in the page URL (`#token=…` or `?token=…`). The token is then moved out of the
 * address bar (so it is not bookmarked or shared by accident) into this tab's session storage.
 */
export function readServerLocation(location: Location, storage: Storage, history: History): ServerLocation {
  const url = new URL(location.href);
  const fromHash = new URLSearchParams(url.hash.slice(1)).get('token');
  const fromQuery = url.searchParams.get('token');
  const token = fromHash ?? fromQuery;
  if (token) {
    storage.setItem(TOKEN_KEY, token);
    url.hash = '';
    url.searchParams.delete('token');
    history.replaceState(history.state, '', url.href);
  }
  return { baseUrl: location.origin, token: token ?? storage.getItem(TOKEN_KEY) ?? '' };
}

export function createHttpApiClient({ baseUrl, token }: ServerLocation): ApiClient {
  return createApiClient(createHttpTransport(baseUrl.replace(/\/+$/, ''), token));
}

function createHttpTransport(baseUrl: string, token: string): ApiTransport {
  let events: EventSource | undefined;
  let listening = 0;
  return {
    async invoke(method, input) {
      try {
        const response = await fetch(`${baseUrl}/api/${method}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
          body: JSON.stringify(input ?? {}),
        });
        return await readResult(response);
      } catch {
        return failure(
          'NETWORK_ERROR',
          `Flowstead could not reach its server at ${baseUrl}. Check that it is running.`,
        );
      }
    },
    on(event: ApiEventName, listener) {
      events ??= new EventSource(`${baseUrl}/api/events?token=${encodeURIComponent(token)}`);
      const source = events;
      const deliver = (message: MessageEvent<string>) => {
        try {
          listener(JSON.parse(message.data));
        } catch {
          // A malformed event is dropped; the next one is independent of it.
        }
      };
      source.addEventListener(event, deliver);
      listening++;
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        source.removeEventListener(event, deliver);
        // The last listener gone: close the stream rather than keep a connection open for nothing.
        if (--listening === 0 && events === source) {
          source.close();
          events = undefined;
        }
      };
    },
  };
}

/** The server answers every call with an ApiResult body, even for errors; anything else is described. */
async function readResult(response: Response): Promise<ApiResult<unknown>> {
  const text = await response.text();
  try {
    return JSON.parse(text) as ApiResult<unknown>;
  } catch {
    return failure(
      'HTTP_ERROR',
      `The server answered ${response.status} ${response.statusText} without an API result.`,
    );
  }
}

function failure(code: string, message: string): ApiResult<never> {
  return { ok: false, error: { code, message } };
}
