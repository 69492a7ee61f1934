import { cancelledError } from './errors.js';

/** Waits `ms`, or rejects with HTTP_CANCELLED as soon as `signal` aborts. Injectable for tests. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelledError('the wait before retrying'));
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelledError('the wait before retrying'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
