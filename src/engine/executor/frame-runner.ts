import { FlowsteadError, serializeError, type SerializedError } from '../../shared/errors.js';
import { Ended, Routed, type CardResult, type CardServices } from '../cards/types.js';
import type { ActiveRun, Frame } from './active-run.js';
import { FrameContext } from './card-context.js';
import { resolveInputs, type FlowPlan, type PlannedCard } from './plan.js';
import { backoffDelay, cancelledError, isCancellation, isRetryable, isThenable, sleep, withTimeout } from './policy.js';
import type { FrameState } from './run-store.js';

export interface FrameOutcome {
  /** end: the path ran out; return / stop: ended by a card; error: return-error card. */
  how: 'end' | 'return' | 'stop' | 'error';
  outputs: Record<string, unknown>;
  error?: SerializedError;
}

export interface FrameRunnerOptions {
  services: CardServices;
  now: () => Date;
  random: () => number;
}

/** The wall-clock time of the monotonic clock's zero; it does not change while the process runs. */
const TIME_ORIGIN = performance.timeOrigin;

/** Card failures carry the card's id so the run's error points at the card. */
function cardFailure(card: PlannedCard, error: SerializedError): FlowsteadError {
  return new FlowsteadError(error.code, `Card \`${card.title}\` (${card.id}) failed: ${error.message}`, {
    ...error.details,
    node: card.id,
    cardType: card.type,
  });
}

/** A card's failure to record; a cancellation (or a failure after it) ends the frame instead. */
function failureOf(error: unknown, run: ActiveRun): unknown {
  if (isCancellation(error) || run.signal.aborted) throw isCancellation(error) ? error : cancelledError();
  return error;
}

/** Where a frame goes after a card: the next card, the end of the path, or an ending card's end. */
type Move = PlannedCard | null | Ended;

/**
 * Walks one frame's cards. The hot path (a synchronous pure card without retry or timeout)
 * resolves inputs, calls the card and stores its outputs: no awaits, no writes. Cards with
 * effects are checkpointed before the walk moves on; a nondeterministic result before the next
 * card that is not pure.
 */
export class FrameRunner {
  constructor(private readonly options: FrameRunnerOptions) {}

  newFrame(
    run: ActiveRun,
    plan: FlowPlan,
    scope: string,
    trigger: Record<string, unknown>,
    reportsCards: boolean,
  ): Frame {
    const saved = run.resumed ? run.store.loadFrame(run.id, scope) : undefined;
    const state: FrameState = saved ?? { cursor: plan.start?.id ?? null, values: { trigger }, memo: {} };
    return {
      run,
      scope,
      plan,
      state,
      pending: [],
      checkpointed: saved !== undefined,
      unrecorded: false,
      reportsCards,
    };
  }

  /**
   * Runs the frame's cards. Synchronous while its cards are (the result is then the outcome
   * itself, no promise): a bulk run's rows mostly are. From the first card that waits on, the rest
   * of the frame runs asynchronously.
   */
  runFrame(frame: Frame): FrameOutcome | Promise<FrameOutcome> {
    const { plan, state } = frame;
    const ctx = new FrameContext(frame, this, this.options);
    let card = state.cursor === null ? null : (plan.cards.get(state.cursor) ?? null);
    while (card !== null) {
      const move = this.runCard(frame, ctx, card);
      if (isThenable(move)) return this.runRest(frame, ctx, move);
      if (move instanceof Ended) return this.ended(move);
      card = move;
    }
    return { how: 'end', outputs: {} };
  }

  /** The rest of a frame once one of its cards waited. */
  private async runRest(frame: Frame, ctx: FrameContext, waiting: PromiseLike<Move>): Promise<FrameOutcome> {
    let move = await waiting;
    while (move !== null) {
      if (move instanceof Ended) return this.ended(move);
      const next = this.runCard(frame, ctx, move);
      move = isThenable(next) ? await next : next;
    }
    return { how: 'end', outputs: {} };
  }

  /** Runs one card and picks the next; a promise only when the card waits. */
  private runCard(frame: Frame, ctx: FrameContext, card: PlannedCard): Move | Promise<Move> {
    const { run, state } = frame;
    if (run.cancelled) throw cancelledError();
    state.cursor = card.id;
    // Results that vary are recorded before anything that could commit work built on them.
    if (frame.unrecorded && !card.pure) run.queueCheckpoint(frame);
    // Before an effect outside our database, what led to it is committed (held card writes,
    // checkpoints, finished loop items and run notes).
    if (card.external && run.store.uncommitted) return run.store.durable().then(() => this.callCard(frame, ctx, card));
    return this.callCard(frame, ctx, card);
  }

  /** Resolves the card's inputs, calls it and records its result; a promise only when it waits. */
  private callCard(frame: Frame, ctx: FrameContext, card: PlannedCard): Move | Promise<Move> {
    const { run, state } = frame;
    ctx.nodeId = card.id;
    // One clock read at the start; the step's wall-clock start is derived from it when recorded.
    const t0 = run.historyLevel !== 'none' ? performance.now() : 0;
    if (frame.reportsCards && run.reporting)
      run.emit({ kind: 'card.started', runId: run.id, scope: frame.scope, nodeId: card.id });
    let inputs: Record<string, unknown> | undefined;
    let result: CardResult;
    try {
      inputs = resolveInputs(card, state.values);
      if (card.transactional) {
        const cardInputs = inputs;
        // A card that only writes to our database commits together with its checkpoint: exactly once.
        // No wait: nothing outside our database has seen the write; a crash before the commit
        // loses it together with its checkpoint, and the run redoes the card.
        return run.store.atomically(() => {
          const r = card.impl.run(cardInputs, ctx);
          if (isThenable(r))
            throw new FlowsteadError('INTERNAL', `Card type ${card.type} is transactional but asynchronous.`);
          return this.finishCard(frame, card, cardInputs, r, undefined, 1, t0);
        });
      }
      if (card.guarded) {
        const guarded = this.runWithPolicy(card, inputs, ctx, run);
        return this.settle(frame, card, inputs, guarded, t0);
      }
      const r = card.impl.run(inputs, ctx);
      if (isThenable(r)) return this.settle(frame, card, inputs, r.then((value) => [value, 1]), t0);
      result = r;
    } catch (error) {
      return this.finishCard(frame, card, inputs, undefined, failureOf(error, run), 1, t0);
    }
    return this.finishCard(frame, card, inputs, result, undefined, 1, t0);
  }

  /** A card that returned a promise: its result once settled. */
  private async settle(
    frame: Frame,
    card: PlannedCard,
    inputs: Record<string, unknown>,
    pending: PromiseLike<[CardResult, number]>,
    t0: number,
  ): Promise<Move> {
    let result: CardResult | undefined;
    let failure: unknown;
    let attempt = 1;
    try {
      [result, attempt] = await pending;
    } catch (error) {
      failure = failureOf(error, frame.run);
    }
    return this.finishCard(frame, card, inputs, result, failure, attempt, t0);
  }

  private ended(end: Ended): FrameOutcome {
    return end.error
      ? { how: end.how, outputs: end.outputs, error: end.error }
      : { how: end.how, outputs: end.outputs };
  }

  /**
   * Records the card's result and picks the next card. Throws when the card failed and its
   * on-error setting is `fail`. For cards with effects the checkpoint is queued here; after an
   * outside effect, the move waits until that record is on disk.
   */
  private finishCard(
    frame: Frame,
    card: PlannedCard,
    inputs: Record<string, unknown> | undefined,
    result: CardResult | undefined,
    failure: unknown,
    attempt: number,
    t0: number,
  ): Move | Promise<Move> {
    const { run, state } = frame;
    let outputs: Record<string, unknown>;
    let handle = 'next';
    let error: SerializedError | null = null;
    let end: Ended | null = null;
    if (failure !== undefined) {
      error = serializeError(failure);
      const onError = card.settings?.onError ?? 'fail';
      if (onError === 'fail') {
        this.record(frame, card, inputs, null, error, attempt, t0);
        throw cardFailure(card, error);
      }
      outputs = { error: { code: error.code, message: error.message } };
      if (onError === 'branch') handle = 'error';
    } else if (result instanceof Routed) {
      outputs = result.outputs;
      handle = result.handle;
    } else if (result instanceof Ended) {
      outputs = result.outputs;
      end = result;
    } else {
      outputs = result ?? {};
    }
    state.values[card.id] = outputs;
    this.record(frame, card, inputs, outputs, error, attempt, t0);
    const next = end ? null : (card.next[handle] ?? null);
    if (card.checkpointed) {
      state.cursor = next?.id ?? null;
      // A card with effects commits with its checkpoint; a nondeterministic result waits for the next card with any.
      if (card.transactional || card.external) run.queueCheckpoint(frame);
      else frame.unrecorded = true;
    }
    const move = end ?? next;
    // Only an outside effect's record must be on disk before the run moves on: any other
    // checkpoint commits with the next group, at the latest before the next outside effect
    // or the run's end, and nothing outside our database has seen what it records.
    return card.external ? run.store.durable().then(() => move) : move;
  }

  private record(
    frame: Frame,
    card: PlannedCard,
    inputs: Record<string, unknown> | undefined,
    outputs: Record<string, unknown> | null,
    error: SerializedError | null,
    attempt: number,
    t0: number,
  ): void {
    const { run } = frame;
    const timed = run.historyLevel !== 'none';
    const durationMs = timed ? performance.now() - t0 : 0;
    if (frame.reportsCards && run.reporting) {
      run.emit({
        kind: 'card.finished',
        runId: run.id,
        scope: frame.scope,
        nodeId: card.id,
        status: error ? 'failed' : 'succeeded',
        durationMs,
      });
    }
    if (!timed) return;
    frame.pending.push({
      kind: 'step',
      seq: ++run.seq,
      scope: frame.scope,
      nodeId: card.id,
      cardType: card.type,
      status: error ? 'failed' : 'succeeded',
      attempt,
      // Wall-clock start derived from the monotonic clock: one clock read per card instead of two.
      startedAt: Math.round(TIME_ORIGIN + t0),
      durationMs,
      inputs: inputs ?? null,
      outputs,
      error,
    });
  }

  private async runWithPolicy(
    card: PlannedCard,
    inputs: Record<string, unknown>,
    ctx: FrameContext,
    run: ActiveRun,
  ): Promise<[CardResult, number]> {
    const retry = card.settings?.retry;
    const maxAttempts = retry?.maxAttempts ?? 1;
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await withTimeout(
          (signal) => {
            ctx.signal = signal;
            return card.impl.run(inputs, ctx);
          },
          card.settings?.timeoutMs,
          run.signal,
          () => `Card \`${card.title}\` (${card.id})`,
        );
        return [result, attempt];
      } catch (error) {
        if (run.signal.aborted) throw cancelledError();
        if (!retry || attempt >= maxAttempts || !isRetryable(error)) {
          throw error;
        }
        await sleep(backoffDelay(retry, attempt, this.options.random, error), run.signal);
      } finally {
        ctx.signal = run.signal;
      }
    }
  }
}
