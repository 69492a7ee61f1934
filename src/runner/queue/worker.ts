import { Worker } from 'bullmq';
import type { EngineApp } from '../../engine/app.js';
import { redisConnection } from './connection.js';
import { RUN_QUEUE, type QueueTopology, type RunJobData, type RunJobResult } from './jobs.js';
import { runQueuedJob } from './run-job.js';

export interface QueueWorkerOptions extends QueueTopology {
  redisUrl: string;
  /** Opened with `resumeUnfinished: false`: a worker continues only runs whose jobs it is given. */
  engine: EngineApp;
  /** Runs at once in this process. */
  concurrency: number;
  /**
   * How long a job stays with a worker that stops renewing it (it died) before another worker
   * gets it; default 30 s. The stall check runs every `stalledIntervalMs` (default 30 s).
   */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** Times a job may lose its worker before it is failed; default 5. */
  maxStalledCount?: number;
  /** Structured events for the runner's log. */
  onEvent?: (event: QueueWorkerEvent) => void;
}

export type QueueWorkerEvent =
  | { kind: 'completed'; runId: string; status: RunJobResult['status'] }
  | { kind: 'failed'; runId: string | undefined; attempt: number; message: string }
  | { kind: 'stalled'; runId: string }
  | { kind: 'error'; message: string };

export interface QueueWorker {
  /**
   * Takes no new jobs, waits for the active ones to finish, then closes the Redis connections.
   * With `drainTimeoutMs`, gives up waiting after that long: closing the engine afterwards stops
   * the remaining runs at their checkpoint, and their jobs go to another worker once their lock lapses.
   */
  close(options?: { drainTimeoutMs?: number }): Promise<void>;
}

/** Takes queued runs and carries them out on the engine, `concurrency` at a time. */
export async function runQueueWorker(options: QueueWorkerOptions): Promise<QueueWorker> {
  const emit = options.onEvent ?? (() => {});
  const worker = new Worker<RunJobData, RunJobResult>(
    options.queueName ?? RUN_QUEUE,
    (job) => runQueuedJob(options.engine, job.data),
    {
      connection: redisConnection(options.redisUrl),
      concurrency: options.concurrency,
      lockDuration: options.lockDurationMs ?? 30_000,
      stalledInterval: options.stalledIntervalMs ?? 30_000,
      maxStalledCount: options.maxStalledCount ?? 5,
      ...(options.prefix ? { prefix: options.prefix } : {}),
    },
  );
  worker.on('completed', (job, result) => emit({ kind: 'completed', runId: job.data.runId, status: result.status }));
  worker.on('failed', (job, error) =>
    emit({ kind: 'failed', runId: job?.data.runId, attempt: job?.attemptsMade ?? 0, message: error.message }),
  );
  worker.on('stalled', (jobId) => emit({ kind: 'stalled', runId: jobId }));
  // Without a listener an 'error' (Redis gone for a moment) would crash the process; BullMQ reconnects.
  worker.on('error', (error) => emit({ kind: 'error', message: error.message }));
  await worker.waitUntilReady();

  let closing: Promise<void> | undefined;
  return {
    close({ drainTimeoutMs } = {}) {
      closing ??= (async () => {
        const drained = worker.close();
        if (drainTimeoutMs === undefined) return drained;
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), drainTimeoutMs)));
        const first = await Promise.race([drained.then(() => 'drained' as const), late]);
        clearTimeout(timer);
        if (first === 'late') await worker.close(true);
      })();
      return closing;
    },
  };
}
