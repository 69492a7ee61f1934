import type Database from 'better-sqlite3';
import type { RunDetail, RunStatus, RunStep, RunSummary, StepStatus } from '../../shared/api/contract.js';
import type { SerializedError } from '../../shared/errors.js';
import type { FlowDocument, HistoryLevel } from '../../shared/flow/schema.js';

/** The plain-data checkpoint of one frame: enough to continue it after a crash. */
export interface FrameState {
  /** The card to run next (or the card in progress, e.g. a wait); null when the frame is done. */
  cursor: string | null;
  /** Outputs of the cards that ran, by card id, plus `trigger`. */
  values: Record<string, unknown>;
  /** Values cards remembered (wake-up times …), by card id then key. */
  memo: Record<string, Record<string, unknown>>;
}

export interface StepRecord {
  kind: 'step';
  seq: number;
  scope: string;
  nodeId: string;
  cardType: string;
  status: StepStatus;
  attempt: number;
  startedAt: number;
  durationMs: number | null;
  inputs: unknown;
  outputs: unknown;
  error: SerializedError | null;
}

export interface NewRun {
  id: string;
  flow: FlowDocument;
  flowVersion: number;
  /** Every flow the run may call, by id, root included. */
  flows: Record<string, FlowDocument>;
  input: Record<string, unknown>;
  historyLevel: HistoryLevel;
  parentRunId: string | null;
  startedAt: number;
}

export interface StoredRun {
  id: string;
  flowId: string;
  status: RunStatus;
  flows: Record<string, FlowDocument>;
  input: Record<string, unknown>;
  historyLevel: HistoryLevel;
  startedAt: number;
}

/** The error code of a run stopped by `pause`: cancelled, with its finished work kept for `reopenRun`. */
export const RUN_PAUSED = 'RUN_PAUSED';

interface UnfinishedRow {
  id: string;
  flow_id: string;
  status: RunStatus;
  flows: string;
  input: string;
  history_level: HistoryLevel;
  started_at: string;
}

function toStoredRun(r: UnfinishedRow): StoredRun {
  return {
    id: r.id,
    flowId: r.flow_id,
    status: r.status,
    flows: JSON.parse(r.flows) as Record<string, FlowDocument>,
    input: JSON.parse(r.input) as Record<string, unknown>,
    historyLevel: r.history_level,
    startedAt: Date.parse(r.started_at),
  };
}

export interface ItemResult {
  ok: boolean;
  result: unknown;
}

type Op =
  | { kind: 'frame'; runId: string; scope: string; state: string }
  | { kind: 'dropFrame'; runId: string; scope: string }
  | { kind: 'dropItems'; runId: string; scope: string };

/**
 * A batch of steps as stored in one row: names are interned and times are offsets, so the
 * history of a 100,000-item loop stays small. `d` is flat, 8 whole numbers a step: seq, scope,
 * node, type, failed, attempt, startedAt - t0 (ms), duration (µs when `u` is 1; batches written
 * before `u` hold ms with decimals); `x` maps a step's position to [inputs, outputs, error].
 */
interface StepBatch {
  t0: number;
  u?: 1;
  s: string[];
  n: string[];
  t: string[];
  d: (number | null)[];
  x: Record<number, [unknown, unknown, SerializedError | null]>;
}

/** Position of `value` in `table`, added when new. */
function intern(table: string[], index: Map<string, number>, value: string): number {
  let i = index.get(value);
  if (i === undefined) {
    i = table.length;
    table.push(value);
    index.set(value, i);
  }
  return i;
}

/** Values per step in a batch's `d`. */
const STEP_WIDTH = 8;

/**
 * A whole number as a small integer where it fits. Pushed as the result of arithmetic on doubles
 * (times, durations), whole numbers can turn the batch's array into an array of doubles, which
 * JSON.stringify writes several times slower.
 */
function small(n: number): number {
  return n >= -0x40000000 && n < 0x40000000 ? n | 0 : n;
}

function encodeSteps(steps: readonly StepRecord[], withData: boolean): StepBatch {
  const t0 = steps[0]!.startedAt;
  // The numbers go into one array kept from batch to batch (each batch is written out before the
  // next is made): grown anew for every batch, it was a tenth of all a bulk run allocates. It is
  // filled in order, so it stays an array without holes, which JSON.stringify writes fastest.
  const d = stepNumbers;
  const batch: StepBatch = { t0, u: 1, s: [], n: [], t: [], d, x: {} };
  const scopes = new Map<string, number>();
  const nodes = new Map<string, number>();
  const types = new Map<string, number>();
  // A frame's steps come together: most steps share the previous step's scope.
  let lastScope: string | undefined;
  let lastScopeAt = 0;
  for (let row = 0, at = 0; row < steps.length; row++, at += STEP_WIDTH) {
    const step = steps[row]!;
    if (step.scope !== lastScope) {
      lastScope = step.scope;
      lastScopeAt = intern(batch.s, scopes, step.scope);
    }
    d[at] = small(step.seq);
    d[at + 1] = lastScopeAt;
    d[at + 2] = intern(batch.n, nodes, step.nodeId);
    d[at + 3] = intern(batch.t, types, step.cardType);
    d[at + 4] = step.status === 'failed' ? 1 : 0;
    d[at + 5] = small(step.attempt);
    d[at + 6] = small(step.startedAt - t0);
    // Whole microseconds: cheaper to write and read than milliseconds with decimals.
    d[at + 7] = step.durationMs === null ? null : small(Math.round(step.durationMs * 1000));
    if (step.error || (withData && (step.inputs !== null || step.outputs !== null))) {
      batch.x[row] = [withData ? (step.inputs ?? null) : null, withData ? (step.outputs ?? null) : null, step.error];
    }
  }
  if (d.length !== steps.length * STEP_WIDTH) d.length = steps.length * STEP_WIDTH;
  return batch;
}

/** The numbers of the step batch being written (see encodeSteps). */
const stepNumbers: (number | null)[] = [];

function decodeSteps(batch: StepBatch): RunStep[] {
  const steps: RunStep[] = [];
  const d = batch.d as number[];
  const duration = (value: number | null) => (value === null ? null : batch.u === 1 ? value / 1000 : value);
  for (let row = 0; row * STEP_WIDTH < d.length; row++) {
    const at = row * STEP_WIDTH;
    const extra = batch.x[row];
    steps.push({
      seq: d[at]!,
      scope: batch.s[d[at + 1]!]!,
      nodeId: batch.n[d[at + 2]!]!,
      cardType: batch.t[d[at + 3]!]!,
      status: d[at + 4] === 1 ? 'failed' : 'succeeded',
      attempt: d[at + 5]!,
      startedAt: new Date(batch.t0 + d[at + 6]!).toISOString(),
      durationMs: duration(d[at + 7] ?? null),
      inputs: (extra?.[0] ?? null) as Record<string, unknown> | null,
      outputs: (extra?.[1] ?? null) as Record<string, unknown> | null,
      error: extra?.[2] ?? null,
    });
  }
  return steps;
}

/** The list queued for one run and key (a loop scope, a note kind), made when missing. */
function queueIn<T>(queue: Map<string, Map<string, T[]>>, runId: string, key: string): T[] {
  let byKey = queue.get(runId);
  if (!byKey) queue.set(runId, (byKey = new Map()));
  let list = byKey.get(key);
  if (!list) byKey.set(key, (list = []));
  return list;
}

function inSeqOrder(steps: readonly StepRecord[]): boolean {
  for (let i = 1; i < steps.length; i++) if (steps[i - 1]!.seq > steps[i]!.seq) return false;
  return true;
}

type PackedItem = [index: number, ok: 0 | 1, result: unknown];

const FLUSH_AT = 4000;

function json(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

function parse<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

/**
 * Persistence of run state and history. Writes are queued as consistent units (a frame
 * checkpoint with the steps it makes final, or a finished loop item) and flushed in one
 * transaction, either when the queue is large or when the executor needs durability.
 *
 * Group commit: a frame that needs its checkpoint durable before it moves on awaits `durable()`;
 * every frame that asks within one turn of the event loop shares one commit. Transactional cards
 * (`atomically`) write inside a transaction this store holds open until the next commit (at the
 * latest one turn of the event loop later), each in its own savepoint, so a card's write and its
 * checkpoint still commit together, exactly once. Frames do not wait for that commit unless an
 * effect outside the database follows; a failed commit is reported to `onCommitFailure`.
 */
export class RunStore {
  private ops: Op[] = [];
  /** True while this store holds a transaction open for transactional card writes. */
  private holding = false;
  /** > 0 while transactional card work runs: queue-size flushes wait until it is done. */
  private working = 0;
  /** The commit frames are waiting for, scheduled for the next turn of the event loop. */
  private group: { done: Promise<void>; resolve: () => void; reject: (error: unknown) => void } | null = null;
  private readonly commitFailureListeners = new Set<(error: unknown) => void>();
  /** Steps waiting for the next flush, by run, with whether inputs and outputs are kept. */
  private steps = new Map<string, { withData: boolean; list: StepRecord[] }>();
  /** Finished loop items waiting for the next flush, by run then loop scope. */
  private items = new Map<string, Map<string, PackedItem[]>>();
  /** Run notes waiting for the next flush, by run then kind. */
  private notes = new Map<string, Map<string, unknown[]>>();
  private queued = 0;
  private itemBatch = 0;
  private readonly stmts;
  private readonly flushQueue: () => void;

  constructor(readonly db: Database.Database) {
    this.stmts = {
      insertRun: db.prepare(
        `INSERT INTO runs (id, flow_id, flow_name, flow_version, flows, status, trigger_kind, parent_run_id, history_level, input, started_at)
         VALUES (@id, @flowId, @flowName, @flowVersion, @flows, 'running', @triggerKind, @parentRunId, @historyLevel, @input, @startedAt)`,
      ),
      setStatus: db.prepare(
        `UPDATE runs SET status = ? WHERE id = ? AND status NOT IN ('succeeded', 'failed', 'cancelled')`,
      ),
      finishRun: db.prepare(
        `UPDATE runs SET status = @status, output = @output, error = @error, finished_at = @finishedAt, duration_ms = @durationMs WHERE id = @id`,
      ),
      insertSteps: db.prepare(
        `INSERT OR REPLACE INTO run_step_batches (run_id, first_seq, last_seq, count, steps) VALUES (?, ?, ?, ?, ?)`,
      ),
      upsertFrame: db.prepare(`INSERT OR REPLACE INTO run_frames (run_id, scope, state) VALUES (?, ?, ?)`),
      deleteFrame: db.prepare(`DELETE FROM run_frames WHERE run_id = ? AND scope = ?`),
      deleteFrames: db.prepare(`DELETE FROM run_frames WHERE run_id = ?`),
      insertItems: db.prepare(`INSERT INTO run_item_batches (run_id, scope, batch, items) VALUES (?, ?, ?, ?)`),
      deleteItems: db.prepare(
        `DELETE FROM run_item_batches WHERE run_id = ? AND (scope = ? OR scope LIKE ? ESCAPE '\\')`,
      ),
      deleteItemsExcept: db.prepare(
        `DELETE FROM run_item_batches WHERE run_id = ? AND scope NOT IN (SELECT value FROM json_each(?))`,
      ),
      deleteTimers: db.prepare(`DELETE FROM timers WHERE run_id = ?`),
      upsertTimer: db.prepare(`INSERT OR REPLACE INTO timers (run_id, scope, node_id, wake_at) VALUES (?, ?, ?, ?)`),
      deleteTimer: db.prepare(`DELETE FROM timers WHERE run_id = ? AND scope = ? AND node_id = ?`),
      frame: db.prepare(`SELECT state FROM run_frames WHERE run_id = ? AND scope = ?`),
      items: db.prepare(`SELECT items FROM run_item_batches WHERE run_id = ? AND scope = ? ORDER BY batch`),
      maxBatch: db.prepare(`SELECT COALESCE(MAX(batch), 0) AS batch FROM run_item_batches`),
      insertNotes: db.prepare(`INSERT INTO run_note_batches (run_id, kind, batch, notes) VALUES (?, ?, ?, ?)`),
      notes: db.prepare(`SELECT notes FROM run_note_batches WHERE run_id = ? AND kind = ? ORDER BY batch`).pluck(),
      maxNoteBatch: db
        .prepare(`SELECT COALESCE(MAX(batch), 0) FROM run_note_batches WHERE run_id = ? AND kind = ?`)
        .pluck(),
      deleteNotes: db.prepare(`DELETE FROM run_note_batches WHERE run_id = ?`),
      maxScopeBatch: db
        .prepare(`SELECT COALESCE(MAX(batch), 0) FROM run_item_batches WHERE run_id = ? AND scope = ?`)
        .pluck(),
      maxSeq: db.prepare(`SELECT COALESCE(MAX(last_seq), 0) AS seq FROM run_step_batches WHERE run_id = ?`),
      unfinished: db.prepare(
        `SELECT id, flow_id, status, flows, input, history_level, started_at FROM runs WHERE status IN ('queued', 'running', 'waiting') ORDER BY started_at`,
      ),
      run: db.prepare(`SELECT * FROM runs WHERE id = ?`),
      stepBatches: db.prepare(
        `SELECT steps, skipped FROM (
           SELECT steps, count, SUM(count) OVER (ORDER BY first_seq) - count AS skipped FROM run_step_batches WHERE run_id = ?
         ) WHERE skipped + count > ? AND skipped < ? ORDER BY skipped`,
      ),
    };
    this.itemBatch = (this.stmts.maxBatch.get() as { batch: number }).batch;
    this.flushQueue = db.transaction(() => this.writeQueued());
    this.begin = db.prepare('BEGIN IMMEDIATE');
    this.commitHeld = db.prepare('COMMIT');
    this.rollbackHeld = db.prepare('ROLLBACK');
    this.savepoint = db.prepare('SAVEPOINT card');
    this.release = db.prepare('RELEASE card');
    this.rollbackToSavepoint = db.prepare('ROLLBACK TO card');
  }

  private readonly begin: Database.Statement;
  private readonly commitHeld: Database.Statement;
  private readonly rollbackHeld: Database.Statement;
  private readonly savepoint: Database.Statement;
  private readonly release: Database.Statement;
  private readonly rollbackToSavepoint: Database.Statement;

  createRun(run: NewRun): void {
    this.stmts.insertRun.run({
      id: run.id,
      flowId: run.flow.id,
      flowName: run.flow.name,
      flowVersion: run.flowVersion,
      flows: JSON.stringify(run.flows),
      triggerKind: run.flow.trigger.kind,
      parentRunId: run.parentRunId,
      historyLevel: run.historyLevel,
      input: JSON.stringify(run.input),
      startedAt: new Date(run.startedAt).toISOString(),
    });
  }

  setStatus(runId: string, status: RunStatus): void {
    this.stmts.setStatus.run(status, runId);
  }

  /**
   * Ends a run: its final status, output or error, and the clean-up of its checkpoints, in one
   * transaction. The finished items of the loops in `keptItems` stay (a bulk run's per-row results).
   */
  finishRun(
    runId: string,
    status: RunStatus,
    output: unknown,
    error: SerializedError | null,
    startedAt: number,
    keptItems: readonly string[] = [],
  ): void {
    const finishedAt = Date.now();
    // A finished run is reported as soon as this returns: commit what other frames hold first.
    this.commitHeldWork();
    this.db.transaction(() => {
      this.flushQueue();
      this.stmts.finishRun.run({
        id: runId,
        status,
        output: json(output),
        error: json(error ?? undefined),
        finishedAt: new Date(finishedAt).toISOString(),
        durationMs: finishedAt - startedAt,
      });
      this.stmts.deleteFrames.run(runId);
      this.stmts.deleteItemsExcept.run(runId, JSON.stringify(keptItems));
      this.stmts.deleteNotes.run(runId);
      this.stmts.deleteTimers.run(runId);
    })();
  }

  queueStep(runId: string, step: StepRecord, withData: boolean): void {
    let list = this.steps.get(runId)?.list;
    if (!list) this.steps.set(runId, { withData, list: (list = []) });
    list.push(step);
    this.count();
  }

  queueFrame(runId: string, scope: string, state: FrameState): void {
    this.push({ kind: 'frame', runId, scope, state: JSON.stringify(state) });
  }

  queueDropFrame(runId: string, scope: string): void {
    this.push({ kind: 'dropFrame', runId, scope });
  }

  queueItem(runId: string, scope: string, index: number, item: ItemResult): void {
    queueIn(this.items, runId, scope).push([index, item.ok ? 1 : 0, item.result ?? null]);
    this.count();
  }

  /** Notes a value for the rest of the run; it commits with the next flush, before anything queued after it. */
  queueNote(runId: string, kind: string, value: unknown): void {
    queueIn(this.notes, runId, kind).push(value);
    this.count();
  }

  /** The run's notes of one kind: those on disk (from before a restart too), then those queued. */
  loadNotes(runId: string, kind: string): unknown[] {
    const notes: unknown[] = [];
    for (const batch of this.stmts.notes.all(runId, kind) as string[]) notes.push(...(JSON.parse(batch) as unknown[]));
    notes.push(...(this.notes.get(runId)?.get(kind) ?? []));
    return notes;
  }

  /** Drops a finished loop's item records (and those of loops nested in it). */
  queueDropItems(runId: string, scope: string): void {
    this.push({ kind: 'dropItems', runId, scope });
  }

  /** Commits everything queued and any transactional work held open, now. */
  flush(): void {
    if (this.holding) this.commitHeldWork();
    else if (this.queued > 0) this.flushQueue();
  }

  /**
   * Resolves once everything queued so far, and every transactional card write, is committed.
   * Frames asking within the same turn of the event loop share one commit; rejects when that
   * commit fails (the held writes are then rolled back).
   */
  durable(): Promise<void> {
    return this.scheduleCommit().done;
  }

  /** Listeners told when a commit of held card writes failed (those writes are gone). */
  onCommitFailure(listener: (error: unknown) => void): () => void {
    this.commitFailureListeners.add(listener);
    return () => this.commitFailureListeners.delete(listener);
  }

  private scheduleCommit(): NonNullable<RunStore['group']> {
    if (!this.group) {
      let resolve!: () => void;
      let reject!: (error: unknown) => void;
      const done = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      // Nobody may be waiting (transactional cards do not): a failure reaches the listeners instead.
      done.catch(() => undefined);
      this.group = { done, resolve, reject };
      setImmediate(() => this.commitGroup());
    }
    return this.group;
  }

  /**
   * Runs `work` (a card whose only effect is a synchronous write to this database) in a savepoint
   * of the transaction this store holds open: a failing card leaves nothing behind, and the write
   * commits together with the checkpoint queued with it at the next `durable()` commit.
   */
  atomically<T>(work: () => T): T {
    if (!this.holding && !this.db.inTransaction) {
      this.begin.run();
      this.holding = true;
      // Frames do not wait for this commit: it comes at the next turn of the event loop, or sooner.
      this.scheduleCommit();
    }
    this.working++;
    this.savepoint.run();
    try {
      const result = work();
      this.release.run();
      return result;
    } catch (error) {
      this.rollbackToSavepoint.run();
      this.release.run();
      throw error;
    } finally {
      this.working--;
    }
  }

  /** Whether transactional card writes are waiting for their commit (API calls commit them before they answer). */
  get holdingWrites(): boolean {
    return this.holding;
  }

  /**
   * Whether run state waits for a commit: held card writes, checkpoints, finished loop items or run
   * notes (history alone does not count: an outside effect does not depend on it).
   */
  get uncommitted(): boolean {
    return this.holding || this.ops.length > 0 || this.items.size > 0 || this.notes.size > 0;
  }

  /** Writes the queue into the held transaction and commits it; nothing when no transaction is held. */
  commitHeldWork(): void {
    if (!this.holding) return;
    try {
      this.writeQueued();
      this.commitHeld.run();
    } catch (error) {
      if (this.db.inTransaction) this.rollbackHeld.run();
      // The frames waiting for this commit must not move on as if their writes were kept.
      const group = this.group;
      this.group = null;
      group?.reject(error);
      for (const listener of this.commitFailureListeners) listener(error);
      throw error;
    } finally {
      this.holding = false;
    }
  }

  private commitGroup(): void {
    const group = this.group!;
    this.group = null;
    try {
      this.flush();
      group.resolve();
    } catch (error) {
      group.reject(error);
    }
  }

  setTimer(runId: string, scope: string, nodeId: string, wakeAt: Date): void {
    this.stmts.upsertTimer.run(runId, scope, nodeId, wakeAt.toISOString());
  }

  clearTimer(runId: string, scope: string, nodeId: string): void {
    this.stmts.deleteTimer.run(runId, scope, nodeId);
  }

  loadFrame(runId: string, scope: string): FrameState | undefined {
    const row = this.stmts.frame.get(runId, scope) as { state: string } | undefined;
    return row ? (JSON.parse(row.state) as FrameState) : undefined;
  }

  loadItems(runId: string, scope: string): Map<number, ItemResult> {
    const done = new Map<number, ItemResult>();
    for (const row of this.stmts.items.all(runId, scope) as { items: string }[]) {
      for (const [index, ok, result] of JSON.parse(row.items) as PackedItem[])
        done.set(index, { ok: ok === 1, result });
    }
    return done;
  }

  maxSeq(runId: string): number {
    return (this.stmts.maxSeq.get(runId) as { seq: number }).seq;
  }

  /**
   * Ends a run as cancelled but keeps its checkpoints and finished loop items, so `reopenRun`
   * can continue it later without redoing finished items (bulk runs).
   */
  stopRun(runId: string, error: SerializedError, startedAt: number): void {
    const finishedAt = Date.now();
    this.commitHeldWork();
    this.db.transaction(() => {
      this.flushQueue();
      this.stmts.finishRun.run({
        id: runId,
        status: 'cancelled',
        output: json(undefined),
        error: json(error),
        finishedAt: new Date(finishedAt).toISOString(),
        durationMs: finishedAt - startedAt,
      });
    })();
  }

  /** One run that is still queued, running or waiting, with what the executor needs to continue it. */
  unfinishedRun(runId: string): StoredRun | undefined {
    const row = this.stmts.run.get(runId) as UnfinishedRow | undefined;
    return row && (row.status === 'queued' || row.status === 'running' || row.status === 'waiting')
      ? toStoredRun(row)
      : undefined;
  }

  /** Marks a stopped run as running again and returns what the executor needs to continue it. */
  reopenRun(runId: string): StoredRun | undefined {
    const row = this.stmts.run.get(runId) as (UnfinishedRow & { error: string | null }) | undefined;
    if (!row || row.status !== 'cancelled') return undefined;
    // Only a paused run kept its work. Rows of a flow with nothing to checkpoint leave no frame,
    // only finished loop items, so the run's own mark tells, not its frames.
    if (parse<SerializedError>(row.error)?.code !== RUN_PAUSED) return undefined;
    this.db
      .prepare(`UPDATE runs SET status = 'running', finished_at = NULL, duration_ms = NULL, error = NULL WHERE id = ?`)
      .run(runId);
    return toStoredRun(row);
  }

  unfinishedRuns(): StoredRun[] {
    return (this.stmts.unfinished.all() as UnfinishedRow[]).map(toStoredRun);
  }

  getRun(runId: string): RunDetail | undefined {
    const row = this.stmts.run.get(runId) as RunRow | undefined;
    return row ? toDetail(row) : undefined;
  }

  listRuns(filter: {
    flowId?: string | undefined;
    status?: RunStatus | undefined;
    limit: number;
    offset: number;
  }): RunSummary[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.flowId) {
      where.push('flow_id = ?');
      params.push(filter.flowId);
    }
    if (filter.status) {
      where.push('status = ?');
      params.push(filter.status);
    }
    const sql = `SELECT * FROM runs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY started_at DESC, rowid DESC LIMIT ? OFFSET ?`;
    const rows = this.db.prepare(sql).all(...params, filter.limit, filter.offset) as RunRow[];
    return rows.map(toSummary);
  }

  listSteps(runId: string, offset: number, limit: number): RunStep[] {
    const rows = this.stmts.stepBatches.all(runId, offset, offset + limit) as { steps: string; skipped: number }[];
    const steps: RunStep[] = [];
    for (const row of rows) {
      const decoded = decodeSteps(JSON.parse(row.steps) as StepBatch);
      steps.push(
        ...decoded.slice(Math.max(0, offset - row.skipped), Math.max(0, offset - row.skipped) + limit - steps.length),
      );
      if (steps.length >= limit) break;
    }
    return steps;
  }

  /** How many steps a run has in history. */
  countSteps(runId: string): number {
    const row = this.db
      .prepare('SELECT COALESCE(SUM(count), 0) AS n FROM run_step_batches WHERE run_id = ?')
      .get(runId) as { n: number };
    return row.n;
  }

  private count(): void {
    // Inside transactional card work the queue waits: a failing card's savepoint must not take queued rows with it.
    if (++this.queued >= FLUSH_AT && this.working === 0) {
      if (this.holding) this.writeQueued();
      else this.flushQueue();
    }
  }

  private push(op: Op): void {
    this.ops.push(op);
    this.count();
  }

  private writeQueued(): void {
    const s = this.stmts;
    for (const [runId, { withData, list }] of this.steps) {
      // Frames finish out of order only when they wait: mostly the list is already in order.
      if (!inSeqOrder(list)) list.sort((a, b) => a.seq - b.seq);
      s.insertSteps.run(
        runId,
        list[0]!.seq,
        list[list.length - 1]!.seq,
        list.length,
        JSON.stringify(encodeSteps(list, withData)),
      );
    }
    for (const [runId, byScope] of this.items) {
      for (const [scope, items] of byScope) {
        // Another process (a queue worker that ran this run before) may have numbered batches
        // past ours: continue after the loop's own highest batch, inside this write transaction.
        this.itemBatch = Math.max(this.itemBatch + 1, (s.maxScopeBatch.get(runId, scope) as number) + 1);
        s.insertItems.run(runId, scope, this.itemBatch, JSON.stringify(items));
      }
    }
    for (const [runId, byKind] of this.notes) {
      for (const [kind, notes] of byKind) {
        const batch = (s.maxNoteBatch.get(runId, kind) as number) + 1;
        s.insertNotes.run(runId, kind, batch, JSON.stringify(notes));
      }
    }
    // Item batches are written first: a loop's drop comes after its items in the queue.
    // Per frame only its last checkpoint or drop is written: a bulk row's checkpoint is usually
    // dropped again before the flush, so it costs one delete instead of a write and a delete.
    const lastFrameOp = new Map<string, Op>();
    for (const op of this.ops) {
      if (op.kind === 'dropItems') {
        const escaped = op.scope.replace(/[\\%_]/g, (c) => `\\${c}`);
        s.deleteItems.run(op.runId, op.scope, `${escaped}[%`);
      } else {
        const key = `${op.runId}\u0000${op.scope}`;
        lastFrameOp.delete(key);
        lastFrameOp.set(key, op);
      }
    }
    for (const op of lastFrameOp.values()) {
      if (op.kind === 'frame') s.upsertFrame.run(op.runId, op.scope, op.state);
      else s.deleteFrame.run(op.runId, op.scope);
    }
    this.ops = [];
    this.steps = new Map();
    this.items = new Map();
    this.notes = new Map();
    this.queued = 0;
  }
}

interface RunRow {
  id: string;
  flow_id: string;
  flow_name: string;
  flow_version: number;
  status: RunStatus;
  trigger_kind: string;
  parent_run_id: string | null;
  history_level: HistoryLevel;
  input: string;
  output: string | null;
  error: string | null;
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
}

function toSummary(r: RunRow): RunSummary {
  return {
    id: r.id,
    flowId: r.flow_id,
    flowName: r.flow_name,
    flowVersion: r.flow_version,
    status: r.status,
    triggerKind: r.trigger_kind,
    parentRunId: r.parent_run_id,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    durationMs: r.duration_ms,
    error: parse<SerializedError>(r.error),
  };
}

function toDetail(r: RunRow): RunDetail {
  return {
    ...toSummary(r),
    input: JSON.parse(r.input) as Record<string, unknown>,
    output: parse<Record<string, unknown>>(r.output),
    historyLevel: r.history_level,
  };
}
