import type { ProgressEvent } from '../../shared/api/contract.js';
import { FlowsteadError } from '../../shared/errors.js';
import type { FlowDocument, HistoryLevel } from '../../shared/flow/schema.js';
import { planFlow, type FlowPlan, type ImplementationLookup } from './plan.js';
import type { FrameState, RunStore, StepRecord } from './run-store.js';

/** A history row or a clean-up that must commit together with the checkpoint that follows it. */
export type PendingRecord = StepRecord | { kind: 'dropFrame'; scope: string } | { kind: 'dropItems'; scope: string };

/** One execution of a flow or helper flow inside a run: the top flow, a helper call or a loop item. */
export interface Frame {
  readonly run: ActiveRun;
  /** '' for the top flow; `call1` for a helper call; `loop1[3]` for item 3 of a loop; nested with '/'. */
  readonly scope: string;
  readonly plan: FlowPlan;
  readonly state: FrameState;
  /** Records waiting for this frame's next checkpoint (or its parent's). */
  pending: PendingRecord[];
  /** True once this frame wrote a checkpoint row that must be removed when it finishes. */
  checkpointed: boolean;
  /**
   * A nondeterministic card's result is not in a checkpoint yet: one is queued before the next card
   * that is not pure (anything that could commit work built on it). A frame that ends first needs none.
   */
  unrecorded: boolean;
  /** Emit per-card progress events (top flow and helper calls; not every loop item). */
  readonly reportsCards: boolean;
}

/** The in-memory side of a run the executor is working on. */
export class ActiveRun {
  readonly abort = new AbortController();
  /** Mirrors abort.signal.aborted as a plain field: it is read before every card. */
  cancelled = false;
  /** Set when a commit of this run's held writes failed: the run ends as failed with this error. */
  lostWrites: unknown = undefined;
  private readonly plans = new Map<string, FlowPlan>();
  /** Loops whose finished items stay with the run once it ends (a bulk run's per-row results). */
  readonly keptItems = new Set<string>();
  seq: number;

  constructor(
    readonly id: string,
    readonly rootFlowId: string,
    readonly flows: Record<string, FlowDocument>,
    readonly historyLevel: HistoryLevel,
    readonly startedAt: number,
    /** A resumed run reads checkpoints; a fresh one knows there are none and skips the look-ups. */
    readonly resumed: boolean,
    readonly store: RunStore,
    private readonly findImplementation: ImplementationLookup,
    private readonly listeners: ReadonlySet<(event: ProgressEvent) => void>,
    lastSeq = 0,
  ) {
    this.seq = lastSeq;
    this.abort.signal.addEventListener('abort', () => (this.cancelled = true), { once: true });
  }

  /** Whether anyone listens to progress (checked before building an event on the hot path). */
  get reporting(): boolean {
    return this.listeners.size > 0;
  }

  emit(event: ProgressEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  planFor(flowId: string): FlowPlan {
    let plan = this.plans.get(flowId);
    if (!plan) {
      const flow = this.flows[flowId];
      if (!flow) {
        throw new FlowsteadError(
          'HELPER_NOT_FOUND',
          `The helper flow \`${flowId}\` does not exist. Pick an existing helper flow.`,
          {
            flowId,
          },
        );
      }
      plan = planFlow(flow, this.findImplementation);
      this.plans.set(flowId, plan);
    }
    return plan;
  }

  /** Hands a finished frame's records to the store, with its own clean-up. */
  queuePending(frame: Frame): void {
    const withData = this.historyLevel === 'full';
    for (const record of frame.pending) {
      if (record.kind === 'step') this.store.queueStep(this.id, record, withData);
      else if (record.kind === 'dropFrame') this.store.queueDropFrame(this.id, record.scope);
      else this.store.queueDropItems(this.id, record.scope);
    }
    frame.pending = [];
  }

  /** Writes the frame's checkpoint (and the records it makes final) into the store's queue. */
  queueCheckpoint(frame: Frame): void {
    this.queuePending(frame);
    this.store.queueFrame(this.id, frame.scope, frame.state);
    frame.checkpointed = true;
    // The checkpoint holds every result so far, varying ones included.
    frame.unrecorded = false;
  }
}

export function childScope(parent: string, nodeId: string): string {
  return parent === '' ? nodeId : `${parent}/${nodeId}`;
}
