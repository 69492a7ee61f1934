import type { CardDescriptor } from '../../shared/cards/descriptor.js';
import type { SerializedError } from '../../shared/errors.js';
import type { TableService } from '../services/table-service.js';

export type CardInputs = Record<string, unknown>;
export type CardOutputs = Record<string, unknown>;

/** A branching card's result: outputs plus the handle to follow. */
export class Routed {
  constructor(
    readonly handle: string,
    readonly outputs: CardOutputs = {},
  ) {}
}

/**
 * A card that ends the current flow (or helper flow): `return` with outputs,
 * `stop` (continue-if false: ends successfully without outputs), or `error` (return error).
 */
export class Ended {
  constructor(
    readonly how: 'return' | 'stop' | 'error',
    readonly outputs: CardOutputs = {},
    readonly error?: SerializedError,
  ) {}
}

export type CardResult = CardOutputs | Routed | Ended;

export interface ForEachOptions {
  concurrency: number;
  /** When true an item's failure is recorded in `errors` and the loop goes on. */
  continueOnError: boolean;
  /** Extra inputs passed to every helper run besides `item` and `index`. */
  extraInputs?: CardInputs;
  /**
   * Builds a helper run's inputs from its item, instead of `item`, `index` and the extra inputs
   * (a bulk run maps a CSV row to the flow's trigger inputs). A throw is that item's error.
   */
  prepareItem?: (item: unknown, index: number) => CardInputs;
  /**
   * The finished items stay with the run after it ends, where `RunStore.loadItems` reads them (a
   * bulk run's per-row results), instead of coming back in `results`, which is then empty: a
   * hundred thousand results are not written a second time as the card's output.
   */
  keepItems?: boolean;
}

export interface ForEachResult {
  results: unknown[];
  errors: { index: number; error: SerializedError }[];
}

/** What the executor gives a card while it runs. */
export interface CardContext {
  readonly runId: string;
  readonly nodeId: string;
  /**
   * Identifies this card's step in this run (run, frame and card): the same when a crashed or
   * redelivered run repeats the step, so it serves as an idempotency key for side effects.
   */
  readonly stepKey: string;
  readonly signal: AbortSignal;
  /** The clock cards must use, so tests and replays are deterministic. */
  now(): Date;
  /** Random number in [0, 1), from the run's source so tests can seed it. */
  random(): number;
  /** Runs a helper flow once; resolves with its outputs or rejects with its error. */
  callFlow(flowId: string, inputs: CardInputs): Promise<CardOutputs>;
  /** Runs a helper flow once per item with bounded concurrency, durably (finished items survive a crash). */
  forEach(flowId: string, items: readonly unknown[], options: ForEachOptions): Promise<ForEachResult>;
  /** Computes a value once per run and card: after a restart the remembered value is returned. */
  remember<T>(key: string, compute: () => T): Promise<T>;
  /**
   * Notes a value for the rest of this run (a bulk run: every row): kept across a restart, gone when
   * the run ends. It commits no later than the row's result, e.g. an address handed out.
   */
  noteForRun(kind: string, value: unknown): void;
  /** This run's notes of one kind, oldest first, including those of rows done before a restart. */
  runNotes(kind: string): unknown[];
  /** Sleeps until the given time, durably: the wake-up time is stored and honoured after a restart. */
  sleepUntil(when: Date): Promise<void>;
  /** Engine services cards may use (tables, …). */
  readonly services: CardServices;
}

/** Services the engine hands to cards; filled in by the store layer. */
export interface CardServices {
  readonly tables: TableService;
}

/** One implementation per card type, next to the shared descriptor. */
export interface CardImplementation {
  readonly descriptor: CardDescriptor;
  /**
   * The card's only effect is a synchronous write to the engine's own database: the executor
   * runs it inside the transaction that records its checkpoint, so it happens exactly once.
   */
  readonly transactional?: boolean;
  /**
   * The card's only effects happen in the flows it calls (call flow, for each), which checkpoint
   * their own effects: the card needs no checkpoint of its own. After a crash it runs again and the
   * called flows continue from their checkpoints (finished loop items are not redone).
   */
  readonly effectsInCalledFlows?: boolean;
  /**
   * A `sideEffect` card whose write happens only when this input has a value: without it the card
   * only reads, and runs like a nondeterministic card (no savepoint, no wait for its checkpoint).
   */
  readonly writesOnlyWith?: string;
  run(inputs: CardInputs, ctx: CardContext): CardResult | Promise<CardResult>;
  /**
   * Told by a loop over the flow this card is in (For Each, bulk runs) about rows still to come,
   * in row order, before they run; only when each of the card's inputs is a literal or comes from
   * the row (the trigger). Advisory: the card may start work for those rows on another thread
   * (reading ahead), and a row's result is the same whether or not the card was told.
   */
  lookahead?(rows: UpcomingRows, ctx: LookaheadContext): void;
}

/** Rows of a loop still to come, as one card sees them. */
export interface UpcomingRows {
  readonly count: number;
  /** The card's input `name` for the i-th row to come, as given (not converted to the input's type). */
  input(i: number, name: string): unknown;
  /** Whether input `name` is the same for every row (a literal, or not set), not a value of the row. */
  sameForEveryRow(name: string): boolean;
}

/** What a card's lookahead may use: the run, not a step (the rows have not run yet). */
export type LookaheadContext = Pick<CardContext, 'runId' | 'services' | 'runNotes'>;
