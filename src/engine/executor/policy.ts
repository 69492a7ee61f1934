import { FlowsteadError } from '../../shared/errors.js';
import type { RetryPolicy } from '../../shared/flow/schema.js';

export const CANCELLED = 'RUN_CANCELLED';

export function cancelledError(): FlowsteadError {
  return new FlowsteadError(CANCELLED, 'The run was cancelled.');
}

export function isCancellation(error: unknown): boolean {
  return error instanceof FlowsteadError && error.code === CANCELLED;
}

/** A card's result or a frame's outcome that is still to come. */
export function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function';
}

/** Errors that another attempt cannot fix: the flow itself is wrong. */
const PERMANENT = new Set([
  'INPUT_TYPE',
  'EXPRESSION_SYNTAX',
  'EXPRESSION_TYPE',
  'EXPRESSION_FORBIDDEN',
  'UNKNOWN_CARD_TYPE',
  CANCELLED,
]);

export function isRetryable(error: unknown): boolean {
  if (!(error instanceof FlowsteadError)) return true;
  if (PERMANENT.has(error.code)) return false;
  return error.details?.['retryable'] !== false;
}

/**
 * Delay before attempt `attempt + 1`: exponential, capped, with full jitter so that many
 * runs retrying the same service spread out. A server's `retryAfterMs` (Retry-After,
 * rate-limit reset) is a floor.
 */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number, error?: unknown): number {
  const exponential = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** (attempt - 1));
  const delay = policy.jitter ? random() * exponential : exponential;
  const retryAfter = error instanceof FlowsteadError ? Number(error.details?.['retryAfterMs'] ?? 0) : 0;
  return Math.max(delay, Number.isFinite(retryAfter) ? retryAfter : 0);
}

const MAX_TIMER_MS = 2_000_000_000; // setTimeout overflows past 2^31 - 1 ms (~24.8 days)

/** Sleeps, waking early with a cancellation error when the signal aborts. Long sleeps are chained timers. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(cancelledError());
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    let remaining = ms;
    let timer: ReturnType<typeof setTimeout>;
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelledError());
    };
    const arm = () => {
      const chunk = Math.min(remaining, MAX_TIMER_MS);
      remaining -= chunk;
      timer = setTimeout(() => {
        if (remaining > 0) arm();
        else {
          signal.removeEventListener('abort', onAbort);
          resolve();
        }
      }, chunk);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    arm();
  });
}

/** Runs `work` with a deadline; on timeout the attempt's signal aborts so I/O stops too. */
export async function withTimeout<T>(
  work: (signal: AbortSignal) => T | Promise<T>,
  timeoutMs: number | undefined,
  runSignal: AbortSignal,
  describe: () => string,
): Promise<T> {
  if (!timeoutMs) return await work(runSignal);
  const controller = new AbortController();
  const forward = () => controller.abort(runSignal.reason);
  runSignal.addEventListener('abort', forward, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(
        new FlowsteadError(
          'CARD_TIMEOUT',
          `${describe()} did not finish within ${timeoutMs} ms. Raise its timeout or check the system it calls.`,
          {
            timeoutMs,
          },
        ),
      );
    }, timeoutMs);
  });
  try {
    return await Promise.race([Promise.resolve().then(() => work(controller.signal)), deadline]);
  } finally {
    clearTimeout(timer);
    runSignal.removeEventListener('abort', forward);
  }
}
