import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import type { EngineApp } from '../../engine/app.js';
import { prepareRunInput } from '../../engine/services/run-service.js';
import { FlowsteadError } from '../../shared/errors.js';
import { redisConnection } from './connection.js';
import { RUN_JOB_OPTIONS, RUN_QUEUE, type QueueTopology, type RunJobData } from './jobs.js';

export interface QueueProducerOptions extends QueueTopology {
  redisUrl: string;
  /** Used to check the flow and its input before a run is queued, so callers hear of mistakes at once. */
  engine: EngineApp;
}

export interface EnqueueOptions {
  /**
   * The run id, when the caller has a natural one (a webhook delivery id): queueing the same id
   * again while its job is kept adds nothing. Default a new UUID.
   */
  runId?: string;
}

export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  completed: number;
  failed: number;
}

export interface QueueProducer {
  enqueue(flowId: string, input: Record<string, unknown>, options?: EnqueueOptions): Promise<{ runId: string }>;
  counts(): Promise<QueueCounts>;
  close(): Promise<void>;
}

/** Connects to the run queue for a process that only queues runs (scheduler, webhooks, CLI). */
export async function startQueueProducer(options: QueueProducerOptions): Promise<QueueProducer> {
  const queue = new Queue<RunJobData>(options.queueName ?? RUN_QUEUE, {
    connection: redisConnection(options.redisUrl),
    defaultJobOptions: RUN_JOB_OPTIONS,
    ...(options.prefix ? { prefix: options.prefix } : {}),
  });
  await queue.waitUntilReady();
  const flows = options.engine.services.flows;
  return {
    async enqueue(flowId, input, enqueueOptions = {}) {
      const record = flows.get({ id: flowId });
      if (record.problems.length > 0) {
        const list = record.problems.map((p) => `${p.node ? `${p.node}: ` : ''}${p.message}`).join('\n');
        throw new FlowsteadError(
          'FLOW_INVALID',
          `Flow \`${record.flow.name}\` has problems to fix before it can run:\n${list}`,
          { problems: record.problems },
        );
      }
      const runId = enqueueOptions.runId ?? randomUUID();
      const data: RunJobData = { runId, flowId, input: prepareRunInput(record.flow, input) };
      // BullMQ ignores an add whose job id it already holds, so a retried enqueue queues one run.
      await queue.add('run', data, { jobId: runId });
      return { runId };
    },
    async counts() {
      const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed');
      return {
        waiting: c['waiting'] ?? 0,
        active: c['active'] ?? 0,
        delayed: c['delayed'] ?? 0,
        completed: c['completed'] ?? 0,
        failed: c['failed'] ?? 0,
      };
    },
    async close() {
      await queue.close();
    },
  };
}
