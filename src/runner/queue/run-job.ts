import { UnrecoverableError } from 'bullmq';
import type { EngineApp } from '../../engine/app.js';
import type { RunOutcome } from '../../engine/executor/executor.js';
import { collectHelpers, prepareRunInput } from '../../engine/services/run-service.js';
import { FlowsteadError } from '../../shared/errors.js';
import type { RunJobData, RunJobResult } from './jobs.js';

const FINISHED = new Set(['succeeded', 'failed', 'cancelled']);

/**
 * Carries out one delivery of a queued run. Deliveries are at least once, so the run id decides:
 * a finished run returns its stored outcome, an unfinished one (its worker died) continues from
 * its last checkpoint, and only an unknown one starts.
 */
export async function runQueuedJob(engine: EngineApp, data: RunJobData): Promise<RunJobResult> {
  const { executor, store, flows } = engine.services;
  const stored = store.getRun(data.runId);
  if (stored && FINISHED.has(stored.status)) {
    return { runId: stored.id, status: stored.status, output: stored.output, error: stored.error };
  }
  if (stored) {
    const resumed = executor.resumeStored(data.runId);
    if (resumed) return settled(await resumed.done);
    // Finished between the two reads (by a worker whose lock had lapsed): report what it stored.
    const now = store.getRun(data.runId);
    if (now && FINISHED.has(now.status)) {
      return { runId: now.id, status: now.status, output: now.output, error: now.error };
    }
    throw new FlowsteadError(
      'QUEUE_RUN_NOT_RESUMABLE',
      `Run ${data.runId} is ${now?.status ?? 'gone'} and cannot be continued.`,
    );
  }
  const { flow, version } = startable(engine, data);
  const started = executor.start({
    runId: data.runId,
    flow,
    flowVersion: version,
    helpers: collectHelpers(flow, (id) => flows.findFlow(id)),
    input: prepareRunInput(flow, data.input),
  });
  return settled(await started.done);
}

/** The flow to start; a missing or invalid flow fails the job without retries (retrying cannot fix it). */
function startable(engine: EngineApp, data: RunJobData) {
  let record;
  try {
    record = engine.services.flows.get({ id: data.flowId });
    if (record.problems.length > 0) {
      const list = record.problems.map((p) => `${p.node ? `${p.node}: ` : ''}${p.message}`).join('; ');
      throw new FlowsteadError('FLOW_INVALID', `Flow \`${record.flow.name}\` has problems to fix: ${list}`);
    }
    prepareRunInput(record.flow, data.input);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const code = error instanceof FlowsteadError ? error.code : 'QUEUE_JOB_INVALID';
    throw new UnrecoverableError(`${code}: ${message}`);
  }
  return record;
}

/**
 * A run the executor suspended (its engine is closing) is not an outcome: failing the attempt
 * lets BullMQ deliver it again, and the next worker continues it from its checkpoint.
 */
function settled(outcome: RunOutcome): RunJobResult {
  if (!FINISHED.has(outcome.status)) {
    throw new FlowsteadError(
      'QUEUE_RUN_SUSPENDED',
      `Run ${outcome.runId} was stopped at a checkpoint; it will be continued.`,
    );
  }
  return { runId: outcome.runId, status: outcome.status, output: outcome.output, error: outcome.error };
}
