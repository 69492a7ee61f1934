import { cancelledError } from './errors.js';

/** Lets at most `max` requests run at once; the rest wait in arrival order. */
export interface ConcurrencyLimiter {
  /** Resolves with a release function once a slot is free. */
  acquire(signal?: AbortSignal): Promise<() => void>;
}

export function createConcurrencyLimiter(max: number): ConcurrencyLimiter {
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`maxConcurrency must be a whole number ≥ 1, got ${max}`);
  let running = 0;
  const waiting: Array<() => void> = [];

  const releaseOnce = (): (() => void) => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = waiting.shift();
      // The slot passes straight to the next waiter, so `running` does not change.
      if (next) next();
      else running--;
    };
  };

  return {
    acquire(signal) {
      if (signal?.aborted) return Promise.reject(cancelledError('the request'));
      if (running < max) {
        running++;
        return Promise.resolve(releaseOnce());
      }
      return new Promise((resolve, reject) => {
        const onAbort = () => {
          const index = waiting.indexOf(grant);
          if (index >= 0) waiting.splice(index, 1);
          reject(cancelledError('the request'));
        };
        const grant = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(releaseOnce());
        };
        waiting.push(grant);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
}
