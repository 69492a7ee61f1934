import { FlowsteadError, serializeError } from '../../shared/errors.js';
import type {
  CardContext,
  CardInputs,
  CardOutputs,
  CardServices,
  ForEachOptions,
  ForEachResult,
} from '../cards/types.js';
import { childScope, type Frame } from './active-run.js';
import type { FrameRunner, FrameRunnerOptions } from './frame-runner.js';
import { LoopLookahead } from './lookahead.js';
import { cancelledError, isCancellation, isThenable, sleep } from './policy.js';

/** Yield to the event loop this often in long loops, so a cancel request (IPC, signal) gets through. */
const YIELD_EVERY_MS = 15;
const PROGRESS_EVERY_MS = 100;
/** A sleep longer than this marks the run as waiting in history. */
const WAITING_AFTER_MS = 1000;

/** The CardContext one frame hands to its cards; `nodeId` follows the card being run. */
export class FrameContext implements CardContext {
  nodeId = '';
  signal: AbortSignal;
  readonly services: CardServices;

  constructor(
    private readonly frame: Frame,
    private readonly runner: FrameRunner,
    private readonly options: FrameRunnerOptions,
  ) {
    this.signal = frame.run.signal;
    this.services = options.services;
  }

  get runId(): string {
    return this.frame.run.id;
  }

  /** Unique per run, frame and card, and the same when a resumed run repeats the card. */
  get stepKey(): string {
    return `${this.frame.run.id}/${this.frame.scope}/${this.nodeId}`;
  }

  now(): Date {
    return this.options.now();
  }

  random(): number {
    return this.options.random();
  }

  async callFlow(flowId: string, inputs: CardInputs): Promise<CardOutputs> {
    const { run } = this.frame;
    const scope = childScope(this.frame.scope, this.nodeId);
    const child = this.runner.newFrame(run, run.planFor(flowId), scope, inputs, this.frame.reportsCards);
    try {
      const outcome = await this.runner.runFrame(child);
      if (outcome.how === 'error') {
        const error = outcome.error ?? { code: 'FLOW_ERROR', message: 'The helper flow returned an error.' };
        throw new FlowsteadError(error.code, error.message, error.details);
      }
      return outcome.outputs;
    } finally {
      // The child's history and clean-up commit with this card's checkpoint in the parent frame.
      this.frame.pending.push(...child.pending);
      if (child.checkpointed) this.frame.pending.push({ kind: 'dropFrame', scope });
      // Outputs built on a varying result the child did not record are recorded with the caller.
      if (child.unrecorded) this.frame.unrecorded = true;
    }
  }

  async forEach(flowId: string, items: readonly unknown[], options: ForEachOptions): Promise<ForEachResult> {
    const { run } = this.frame;
    const nodeId = this.nodeId;
    const loopScope = childScope(this.frame.scope, nodeId);
    const plan = run.planFor(flowId);
    const done = run.resumed ? run.store.loadItems(run.id, loopScope) : new Map();
    const keep = options.keepItems === true;
    if (keep) run.keptItems.add(loopScope);
    const results: unknown[] = keep ? [] : new Array(items.length).fill(null);
    const errors: ForEachResult['errors'] = [];
    for (const [index, item] of done) {
      if (item.ok) {
        if (!keep) results[index] = item.result;
      } else if (options.continueOnError)
        errors.push({ index, error: item.result as ForEachResult['errors'][number]['error'] });
    }
    const total = items.length;
    let completed = done.size;
    let nextIndex = 0;
    let failure: unknown;
    // The loop's workers share each turn of the event loop: all resume from one shared turn, and a
    // worker that finds the turn's time used up waits for the next. With a turn of its own each,
    // every worker would run YIELD_EVERY_MS before timers, IPC or a cancel got through: with 50
    // workers, 750 ms.
    let turnStart = performance.now();
    let turn: Promise<void> | undefined;
    const nextTurn = () =>
      (turn ??= new Promise<void>((resolve) =>
        setImmediate(() => {
          turn = undefined;
          turnStart = performance.now();
          resolve();
        }),
      ));
    let lastProgress = 0;
    const progress = (force: boolean) => {
      if (!run.reporting) return;
      const now = performance.now();
      if (!force && now - lastProgress < PROGRESS_EVERY_MS) return;
      lastProgress = now;
      run.emit({ kind: 'items.progress', runId: run.id, scope: this.frame.scope, nodeId, done: completed, total });
    };
    const extra = options.extraInputs ?? {};
    const prepare = options.prepareItem;
    const inputsOf = (index: number): CardInputs =>
      prepare ? prepare(items[index], index) : { ...extra, item: items[index], index };
    // Cards that read ahead for rows to come (the unique email's table ranges) are told about them.
    const ahead =
      plan.lookahead.length > 0 ? new LoopLookahead(plan, this, inputsOf, total, done) : undefined;
    const worker = async () => {
      while (failure === undefined) {
        if (run.cancelled) throw cancelledError();
        while (nextIndex < total && done.has(nextIndex)) nextIndex++;
        if (nextIndex >= total) return;
        const index = nextIndex++;
        const scope = `${loopScope}[${index}]`;
        let child: Frame | undefined;
        try {
          const inputs = ahead ? ahead.inputsFor(index) : inputsOf(index);
          child = this.runner.newFrame(run, plan, scope, inputs, false);
          const running = this.runner.runFrame(child);
          // A row whose cards do not wait finishes without a turn of the event loop.
          const outcome = isThenable(running) ? await running : running;
          if (outcome.how === 'error') {
            const error = outcome.error ?? { code: 'FLOW_ERROR', message: 'The helper flow returned an error.' };
            throw new FlowsteadError(error.code, error.message, error.details);
          }
          if (!keep) results[index] = outcome.outputs;
          this.finishItem(child, scope, loopScope, index, true, outcome.outputs);
        } catch (error) {
          if (isCancellation(error) || run.signal.aborted) throw cancelledError();
          const serialized = serializeError(error);
          this.finishItem(child, scope, loopScope, index, false, serialized);
          if (options.continueOnError) errors.push({ index, error: serialized });
          else
            failure ??= new FlowsteadError(serialized.code, `Item ${index}: ${serialized.message}`, {
              ...serialized.details,
              index,
            });
        }
        completed++;
        progress(false);
        if (performance.now() - turnStart > YIELD_EVERY_MS) await nextTurn();
      }
    };
    const workers = Math.max(1, Math.min(options.concurrency, total - done.size));
    await Promise.all(Array.from({ length: workers }, worker));
    progress(true);
    if (failure !== undefined) throw failure;
    // The loop's item records go when this card's checkpoint commits its results (unless kept).
    if (!keep) this.frame.pending.push({ kind: 'dropItems', scope: loopScope });
    errors.sort((a, b) => a.index - b.index);
    return { results, errors };
  }

  /** `child` is undefined when the item failed before its run began (its inputs could not be built). */
  private finishItem(
    child: Frame | undefined,
    scope: string,
    loopScope: string,
    index: number,
    ok: boolean,
    result: unknown,
  ): void {
    const { run } = this.frame;
    if (child) {
      run.queuePending(child);
      if (child.checkpointed) run.store.queueDropFrame(run.id, scope);
    }
    run.store.queueItem(run.id, loopScope, index, { ok, result });
  }

  async remember<T>(key: string, compute: () => T): Promise<T> {
    const memo = (this.frame.state.memo[this.nodeId] ??= {});
    if (Object.prototype.hasOwnProperty.call(memo, key)) return memo[key] as T;
    const value = await compute();
    memo[key] = value;
    // Remembered values must survive a crash before the card finishes (a wait's wake-up time).
    this.frame.run.queueCheckpoint(this.frame);
    this.frame.run.store.flush();
    return value;
  }

  noteForRun(kind: string, value: unknown): void {
    this.frame.run.store.queueNote(this.frame.run.id, kind, value);
  }

  runNotes(kind: string): unknown[] {
    return this.frame.run.store.loadNotes(this.frame.run.id, kind);
  }

  async sleepUntil(when: Date): Promise<void> {
    const { run } = this.frame;
    const ms = when.getTime() - this.options.now().getTime();
    if (ms <= 0) return;
    run.store.setTimer(run.id, this.frame.scope, this.nodeId, when);
    const long = ms > WAITING_AFTER_MS;
    if (long) run.store.setStatus(run.id, 'waiting');
    try {
      await sleep(ms, this.signal);
    } finally {
      run.store.clearTimer(run.id, this.frame.scope, this.nodeId);
      if (long && !run.signal.aborted) run.store.setStatus(run.id, 'running');
    }
  }
}
