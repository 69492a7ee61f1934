import type { DefaultJobOptions } from 'bullmq';
import type { RunStatus } from '../../shared/api/contract.js';
import type { SerializedError } from '../../shared/errors.js';

/** The BullMQ queue every producer and worker of one deployment shares. */
export const RUN_QUEUE = 'flowstead-runs';

/** What a queued run carries; the job id is the run id. */
export interface RunJobData {
  runId: string;
  flowId: string;
  input: Record<string, unknown>;
}

/** A job's return value: the run's outcome as stored in the runs table. */
export interface RunJobResult {
  runId: string;
  status: RunStatus;
  output: Record<string, unknown> | null;
  error: SerializedError | null;
}

/** Settings both sides must agree on; tests shorten the lock so a killed worker's jobs return quickly. */
export interface QueueTopology {
  /** BullMQ queue name; default `flowstead-runs`. */
  queueName?: string;
  /** Redis key prefix; default BullMQ's `bull`. */
  prefix?: string;
}

/**
 * Attempts cover infrastructure failures only (Redis, SQLite busy, a worker that died past its
 * stall limit): a run that fails on its own logic completes its job with status `failed`.
 */
export const RUN_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { count: 10_000, age: 7 * 24 * 3600 },
  removeOnFail: { count: 10_000 },
};
