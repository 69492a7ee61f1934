import { cancelledError } from './errors.js';
import type { Sleep } from './sleep.js';

/** `Retry-After` as a delay in ms: either delay-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Okta's rate-limit headers, or undefined when the response does not carry all three. */
export function readOktaRateLimit(
  headers: Record<string, string>,
): { limit: number; remaining: number; resetAt: number } | undefined {
  const limit = Number(headers['x-rate-limit-limit']);
  const remaining = Number(headers['x-rate-limit-remaining']);
  const reset = Number(headers['x-rate-limit-reset']);
  if (!headers['x-rate-limit-reset'] || ![limit, remaining, reset].every(Number.isFinite)) return undefined;
  // Reset is whole epoch seconds.
  return { limit: Math.max(1, limit), remaining: Math.max(0, remaining), resetAt: reset * 1000 };
}

/**
 * Okta counts requests per endpoint family, so `/api/v1/users/00u1` and `/api/v1/users/00u2`
 * share one bucket while `/api/v1/users` (list, create) has its own.
 */
export function oktaBucketOf(path: string): string {
  const segments = path.split('/').filter(Boolean);
  const rest = segments[0] === 'api' && segments[1] === 'v1' ? segments.slice(2) : segments;
  if (rest.length === 0) return '/';
  return rest.length === 1 ? `${rest[0]}` : `${rest[0]}/:id`;
}

export interface BucketReservation {
  /** Call once when the answer (or failure) arrives, with the response headers when there are any. */
  finish(headers?: Record<string, string>): void;
}

export interface OktaRateLimiter {
  /** Waits until the path's bucket may take one more request, then counts it as in flight. */
  reserve(path: string, signal?: AbortSignal): Promise<BucketReservation>;
}

interface Waiter {
  grant: () => void;
}

interface Bucket {
  /** 'probing' until the first answer tells us the limit; 'untracked' if it never carries the headers. */
  state: 'probing' | 'tracked' | 'untracked';
  limit: number;
  remaining: number;
  resetAt: number;
  inFlight: number;
  /** Requests waiting for budget, served in arrival order. */
  queue: Waiter[];
  /** Stops the pending wait for the reset, if one is scheduled. */
  resetTimer: AbortController | undefined;
}

// A clock a little behind Okta's would fire just before its reset, get a 429 and fire again;
// when that happens, wait this much longer instead.
const CLOCK_SKEW_PAUSE_MS = 1000;

/**
 * Holds requests to a bucket once Okta says it is spent, instead of hammering into 429s. The
 * count is conservative: requests still in flight are assumed not yet counted by the server.
 */
export function createOktaRateLimiter(clock: { now: () => number; sleep: Sleep }): OktaRateLimiter {
  const buckets = new Map<string, Bucket>();

  const bucketFor = (key: string): Bucket => {
    let bucket = buckets.get(key);
    if (!bucket) {
      bucket = { state: 'probing', limit: 0, remaining: 0, resetAt: 0, inFlight: 0, queue: [], resetTimer: undefined };
      buckets.set(key, bucket);
    }
    return bucket;
  };

  const canSend = (bucket: Bucket): boolean => {
    if (bucket.state === 'untracked') return true;
    // Send one request alone first: until it answers we do not know the limit.
    if (bucket.state === 'probing') return bucket.inFlight === 0;
    const budget = clock.now() >= bucket.resetAt ? bucket.limit : bucket.remaining;
    return budget - bucket.inFlight > 0;
  };

  /** Lets waiting requests go while there is budget; otherwise wakes up again at the reset. */
  const serve = (bucket: Bucket): void => {
    while (bucket.queue.length > 0 && canSend(bucket)) bucket.queue.shift()?.grant();
    const untilReset = bucket.resetAt - clock.now();
    if (bucket.queue.length === 0 || bucket.state !== 'tracked' || untilReset <= 0 || bucket.resetTimer) return;
    const timer = new AbortController();
    bucket.resetTimer = timer;
    clock.sleep(untilReset, timer.signal).then(
      () => {
        bucket.resetTimer = undefined;
        serve(bucket);
      },
      () => undefined,
    );
  };

  const stopTimerIfIdle = (bucket: Bucket): void => {
    if (bucket.queue.length > 0 || !bucket.resetTimer) return;
    bucket.resetTimer.abort();
    bucket.resetTimer = undefined;
  };

  const update = (bucket: Bucket, headers: Record<string, string> | undefined) => {
    const seen = headers && readOktaRateLimit(headers);
    if (!seen) {
      if (bucket.state === 'probing' && headers) bucket.state = 'untracked';
      return;
    }
    if (bucket.state !== 'tracked' || seen.resetAt > bucket.resetAt) {
      Object.assign(bucket, { state: 'tracked', ...seen });
    } else if (seen.resetAt === bucket.resetAt) {
      // Answers arrive out of order; the lowest count in a window is the most recent truth.
      bucket.remaining = Math.min(bucket.remaining, seen.remaining);
      bucket.limit = seen.limit;
    }
    if (seen.remaining === 0 && bucket.resetAt <= clock.now()) {
      bucket.remaining = 0;
      bucket.resetAt = clock.now() + CLOCK_SKEW_PAUSE_MS;
    }
  };

  const reservationFor = (bucket: Bucket): BucketReservation => {
    bucket.inFlight++;
    let finished = false;
    return {
      finish(headers) {
        if (finished) return;
        finished = true;
        bucket.inFlight--;
        update(bucket, headers);
        if (bucket.resetTimer && bucket.resetAt - clock.now() > 0) {
          // The reset moved; re-plan the wake-up.
          bucket.resetTimer.abort();
          bucket.resetTimer = undefined;
        }
        serve(bucket);
      },
    };
  };

  return {
    reserve(path, signal) {
      const bucket = bucketFor(oktaBucketOf(path));
      if (signal?.aborted) return Promise.reject(cancelledError('the request'));
      if (bucket.queue.length === 0 && canSend(bucket)) return Promise.resolve(reservationFor(bucket));
      return new Promise((resolve, reject) => {
        const waiter: Waiter = {
          grant: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve(reservationFor(bucket));
          },
        };
        const onAbort = () => {
          bucket.queue.splice(bucket.queue.indexOf(waiter), 1);
          stopTimerIfIdle(bucket);
          reject(cancelledError('the request'));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        bucket.queue.push(waiter);
        serve(bucket);
      });
    },
  };
}
