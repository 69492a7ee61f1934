/**
 * `fetch` whose `json()` is loosely typed, for emulator tests that probe vendor JSON shapes freely
 * (the DOM typings say `unknown`, which would need a cast on every line).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- vendor bodies are checked by the assertions
export type LooseJson = any;

export interface LooseResponse extends Response {
  json(): Promise<LooseJson>;
}

export function looseFetch(input: string, init?: RequestInit): Promise<LooseResponse> {
  return fetch(input, init) as Promise<LooseResponse>;
}
