import { randomUUID } from 'node:crypto';
import type { ProgressEvent, RunStatus } from '../../shared/api/contract.js';
import { FlowsteadError, serializeError, type SerializedError } from '../../shared/errors.js';
import type { FlowDocument, HistoryLevel } from '../../shared/flow/schema.js';
import type { CardServices } from '../cards/types.js';
import { ActiveRun } from './active-run.js';
import { FrameRunner } from './frame-runner.js';
import type { ImplementationLookup } from './plan.js';
import { isCancellation } from './policy.js';
import { RUN_PAUSED, type RunStore, type StoredRun } from './run-store.js';

export interface ExecutorOptions {
  store: RunStore;
  findImplementation: ImplementationLookup;
  services: CardServices;
  now?: () => Date;
  random?: () => number;
}

export interface StartRun {
  flow: FlowDocument;
  flowVersion: number;
  /** Helper flows the run may call (transitively), by id. */
  helpers: Record<string, FlowDocument>;
  input: Record<string, unknown>;
  historyLevel?: HistoryLevel;
  parentRunId?: string | null;
  /** A run id chosen by the caller (a queued job's id); default a new UUID. */
  runId?: string;
}

export interface RunOutcome {
  runId: string;
  status: RunStatus;
  output: Record<string, unknown> | null;
  error: SerializedError | null;
}

/**
 * Runs flows durably: state and history go to SQLite through the RunStore, so a run that was
 * interrupted (crash, kill, restart) continues from its last checkpoint with `resumeUnfinished`.
 */
export class Executor {
  private readonly active = new Map<string, { run: ActiveRun; done: Promise<RunOutcome> }>();
  private readonly listeners = new Set<(event: ProgressEvent) => void>();
  private readonly runner: FrameRunner;
  private suspending = false;
  /** Runs stopped with `pause`: cancelled, but their checkpoints are kept for `resume`. */
  private readonly pausing = new Set<string>();

  constructor(private readonly options: ExecutorOptions) {
    this.runner = new FrameRunner({
      services: options.services,
      now: options.now ?? (() => new Date()),
      random: options.random ?? Math.random,
    });
    // Runs go on after a transactional card without waiting for its commit: when that commit
    // fails, every active run may have used writes that are gone, so each ends as failed.
    options.store.onCommitFailure((error) => {
      for (const { run } of this.active.values()) {
        run.lostWrites ??= error;
        run.abort.abort();
      }
    });
  }

  onProgress(listener: (event: ProgressEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(request: StartRun): { runId: string; done: Promise<RunOutcome> } {
    const id = request.runId ?? randomUUID();
    const startedAt = Date.now();
    const flows = { ...request.helpers, [request.flow.id]: request.flow };
    const historyLevel = request.historyLevel ?? request.flow.historyLevel;
    this.options.store.createRun({
      id,
      flow: request.flow,
      flowVersion: request.flowVersion,
      flows,
      input: request.input,
      historyLevel,
      parentRunId: request.parentRunId ?? null,
      startedAt,
    });
    const run = this.newRun(id, request.flow.id, flows, historyLevel, startedAt, false, 0);
    return { runId: id, done: this.track(run, request.input) };
  }

  /**
   * Continues one stored run that is still running or waiting (its process died, or a queue
   * redelivered it) from its last checkpoint; undefined when it is finished or unknown.
   */
  resumeStored(runId: string): { runId: string; done: Promise<RunOutcome> } | undefined {
    const active = this.active.get(runId);
    if (active) return { runId, done: active.done };
    const stored = this.options.store.unfinishedRun(runId);
    if (!stored) return undefined;
    return { runId, done: this.continueStored(stored) };
  }

  /** Continues every run that was running or waiting when the process stopped. */
  resumeUnfinished(): Promise<RunOutcome>[] {
    return this.options.store
      .unfinishedRuns()
      .filter((stored) => !this.active.has(stored.id))
      .map((stored) => this.continueStored(stored));
  }

  cancel(runId: string): boolean {
    const entry = this.active.get(runId);
    if (!entry) return false;
    entry.run.abort.abort();
    return true;
  }

  /** Cancels a run but keeps its checkpoints, so `resume` continues it without redoing finished items. */
  pause(runId: string): boolean {
    const entry = this.active.get(runId);
    if (!entry) return false;
    this.pausing.add(runId);
    entry.run.abort.abort();
    return true;
  }

  /** Continues a paused run from its last checkpoint; undefined when it cannot be continued. */
  resume(runId: string): { runId: string; done: Promise<RunOutcome> } | undefined {
    if (this.active.has(runId)) return { runId, done: this.active.get(runId)!.done };
    const stored = this.options.store.reopenRun(runId);
    if (!stored) return undefined;
    return { runId, done: this.continueStored(stored) };
  }

  isActive(runId: string): boolean {
    return this.active.has(runId);
  }

  /** Resolves when the run finishes; undefined when it is not running in this process. */
  whenDone(runId: string): Promise<RunOutcome> | undefined {
    return this.active.get(runId)?.done;
  }

  /** Waits for active runs to settle. */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.active.values()].map((entry) => entry.done));
  }

  /**
   * Stops every active run without finishing it: the runs stay `running` / `waiting` with their
   * last checkpoint, and `resumeUnfinished` continues them on the next start.
   */
  async suspendAll(): Promise<void> {
    this.suspending = true;
    for (const { run } of this.active.values()) run.abort.abort();
    await this.idle();
  }

  /** Continues a stored run from its last checkpoint in this process. */
  private continueStored(stored: StoredRun): Promise<RunOutcome> {
    const run = this.newRun(
      stored.id,
      stored.flowId,
      stored.flows,
      stored.historyLevel,
      stored.startedAt,
      true,
      this.options.store.maxSeq(stored.id),
    );
    return this.track(run, stored.input);
  }

  private newRun(
    id: string,
    flowId: string,
    flows: Record<string, FlowDocument>,
    historyLevel: HistoryLevel,
    startedAt: number,
    resumed: boolean,
    lastSeq: number,
  ): ActiveRun {
    return new ActiveRun(
      id,
      flowId,
      flows,
      historyLevel,
      startedAt,
      resumed,
      this.options.store,
      this.options.findImplementation,
      this.listeners,
      lastSeq,
    );
  }

  private track(run: ActiveRun, input: Record<string, unknown>): Promise<RunOutcome> {
    const done = this.execute(run, input).finally(() => this.active.delete(run.id));
    this.active.set(run.id, { run, done });
    return done;
  }

  private async execute(run: ActiveRun, input: Record<string, unknown>): Promise<RunOutcome> {
    // Let the caller subscribe or record the run id before the first card runs.
    await Promise.resolve();
    const store = this.options.store;
    run.emit({ kind: 'run.started', runId: run.id, flowId: run.rootFlowId });
    let status: RunStatus;
    let output: Record<string, unknown> | null = null;
    let error: SerializedError | null = null;
    let frame;
    try {
      frame = this.runner.newFrame(run, run.planFor(run.rootFlowId), '', input, true);
      const outcome = await this.runner.runFrame(frame);
      if (outcome.how === 'error') {
        status = 'failed';
        error = outcome.error ?? { code: 'FLOW_ERROR', message: 'The flow returned an error.' };
      } else {
        status = 'succeeded';
        output = outcome.outputs;
      }
    } catch (failure) {
      status = isCancellation(failure) ? 'cancelled' : 'failed';
      error = serializeError(failure);
    }
    try {
      // The run's last transactional writes commit before its end is decided.
      store.commitHeldWork();
    } catch {
      // The commit-failure listener has marked every active run, this one included.
    }
    if (run.lostWrites !== undefined) {
      this.pausing.delete(run.id);
      status = 'failed';
      output = null;
      error = serializeError(
        new FlowsteadError(
          'RUN_NOT_SAVED',
          `The run's progress could not be saved to the database (${serializeError(run.lostWrites).message}). Free disk space or check the data folder, then run it again.`,
        ),
      );
    }
    if (status === 'cancelled' && this.pausing.delete(run.id)) {
      // Paused: ended as cancelled for the user, with the checkpoints kept for `resume`.
      const paused = { code: RUN_PAUSED, message: 'Cancelled; finished items are kept and the run can be resumed.' };
      store.stopRun(run.id, paused, run.startedAt);
      run.emit({ kind: 'run.finished', runId: run.id, status: 'cancelled', error: paused });
      return { runId: run.id, status: 'cancelled', output: null, error: paused };
    }
    if (this.suspending && status === 'cancelled') {
      // Suspended for shutdown: keep the checkpoints; completed history is already queued with them.
      store.flush();
      return { runId: run.id, status: 'running', output: null, error: null };
    }
    if (frame) run.queuePending(frame);
    store.finishRun(run.id, status, output, error, run.startedAt, [...run.keptItems]);
    run.emit({ kind: 'run.finished', runId: run.id, status, error });
    return { runId: run.id, status, output, error };
  }
}
