/**
 * Queue mode: runs scale out over BullMQ on Redis.
 *
 * Producer. `enqueue` checks the flow and its input, picks a run id (a UUID unless the caller
 * has one) and adds a job with `jobId = runId` and data `{ runId, flowId, input }`. BullMQ
 * ignores a second add of a job id it holds, so a retried enqueue queues one run. Jobs have a
 * few attempts with exponential backoff, and completed / failed jobs are kept up to a cap.
 * Scheduler and webhook processes only enqueue.
 *
 * Workers. N processes, on one or more machines, share ONE SQLite database file (WAL). Each
 * opens its engine with `resumeUnfinished: false`, so it continues only runs whose jobs it is
 * given. Delivery is at least once: a job whose worker died (SIGKILL, power) goes back to the
 * queue when its lock lapses (`lockDurationMs`, checked every `stalledIntervalMs`). The run id
 * decides what a delivery does (run-job.ts):
 *   - finished in the database → its stored outcome is the job's result; nothing runs again;
 *   - unfinished → `executor.resumeStored` continues after the last checkpointed step;
 *   - unknown → `executor.start({ runId, … })` with the flow from the engine's FlowService.
 * The job result is `{ runId, status, output, error }`. A run that fails on its own logic is a
 * COMPLETED job with status `failed`: BullMQ retries only infrastructure failures (Redis, a
 * busy database, a worker that died), and a missing or invalid flow fails the job without retry.
 *
 * Side effects. The executor checkpoints a run's steps in SQLite as it goes, so a continued run
 * does not repeat completed steps. A step whose effect was in flight (or not yet checkpointed)
 * when its worker was killed runs again, with the same `Idempotency-Key` (the step's stepKey,
 * identical on every repetition): services that honour the header apply the effect once, others
 * may see it twice. At-least-once delivery cannot promise more than that.
 *
 * Shutdown. `QueueWorker.close()` takes no new jobs, waits for the active ones (or, past
 * `drainTimeoutMs`, leaves them at their checkpoint for another worker) and closes the Redis
 * connections. The CLI handles SIGTERM and closes the engine afterwards.
 */
export { startQueueProducer } from './producer.js';
export type { EnqueueOptions, QueueCounts, QueueProducer, QueueProducerOptions } from './producer.js';
export { runQueueWorker } from './worker.js';
export type { QueueWorker, QueueWorkerEvent, QueueWorkerOptions } from './worker.js';
export { runQueuedJob } from './run-job.js';
export { redisConnection } from './connection.js';
export { RUN_QUEUE, RUN_JOB_OPTIONS } from './jobs.js';
export type { QueueTopology, RunJobData, RunJobResult } from './jobs.js';
