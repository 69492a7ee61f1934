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

export interface ItemResult {
  ok: boolean;
  result: unknown;
}

type Op =
  | { kind: 'step'; runId: string; step: StepRecord; withData: boolean }
  | { kind: 'frame'; runId: string; scope: string; state: string }
  | { kind: 'dropFrame'; runId: string; scope: string }
  | { kind: 'item'; runId: string; scope: string; index: number; ok: boolean; result: string | null }
  | { kind: 'dropItems'; runId: string; scope: string };

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
 * transaction, either when the queue is large or when the executor needs durability now.
 */
export class RunStore {
  private queue: Op[] = [];
  private readonly stmts;
  private readonly flushQueue: () => void;

  constructor(readonly db: Database.Database) {
    this.stmts = {
      insertRun: db.prepare(
        `INSERT INTO runs (id, flow_id, flow_name, flow_version, flows, status, trigger_kind, parent_run_id, history_level, input, started_at)
         VALUES (@id, @flowId, @flowName, @flowVersion, @flows, 'running', @triggerKind, @parentRunId, @historyLevel, @input, @startedAt)`,
      ),
      setStatus: db.prepare(`UPDATE runs SET status = ? WHERE id = ? AND status NOT IN ('succeeded', 'failed', 'cancelled')`),
      finishRun: db.prepare(
        `UPDATE runs SET status = @status, output = @output, error = @error, finished_at = @finishedAt, duration_ms = @durationMs WHERE id = @id`,
      ),
      insertStep: db.prepare(
        `INSERT OR REPLACE INTO run_steps (run_id, seq, scope, node_id, card_type, status, attempt, started_at, duration_ms, inputs, outputs, error)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      upsertFrame: db.prepare(`INSERT OR REPLACE INTO run_frames (run_id, scope, state) VALUES (?, ?, ?)`),
      deleteFrame: db.prepare(`DELETE FROM run_frames WHERE run_id = ? AND scope = ?`),
      deleteFrames: db.prepare(`DELETE FROM run_frames WHERE run_id = ?`),
      insertItem: db.prepare(`INSERT OR REPLACE INTO run_items (run_id, scope, idx, ok, result) VALUES (?, ?, ?, ?, ?)`),
      deleteItems: db.prepare(`DELETE FROM run_items WHERE run_id = ? AND (scope = ? OR scope LIKE ? ESCAPE '\\')`),
      deleteAllItems: db.prepare(`DELETE FROM run_items WHERE run_id = ?`),
      deleteTimers: db.prepare(`DELETE FROM timers WHERE run_id = ?`),
      upsertTimer: db.prepare(`INSERT OR REPLACE INTO timers (run_id, scope, node_id, wake_at) VALUES (?, ?, ?, ?)`),
      deleteTimer: db.prepare(`DELETE FROM timers WHERE run_id = ? AND scope = ? AND node_id = ?`),
      frame: db.prepare(`SELECT state FROM run_frames WHERE run_id = ? AND scope = ?`),
      items: db.prepare(`SELECT idx, ok, result FROM run_items WHERE run_id = ? AND scope = ?`),
      maxSeq: db.prepare(`SELECT COALESCE(MAX(seq), 0) AS seq FROM run_steps WHERE run_id = ?`),
      unfinished: db.prepare(
        `SELECT id, flow_id, status, flows, input, history_level, started_at FROM runs WHERE status IN ('queued', 'running', 'waiting') ORDER BY started_at`,
      ),
      run: db.prepare(`SELECT * FROM runs WHERE id = ?`),
      steps: db.prepare(`SELECT * FROM run_steps WHERE run_id = ? ORDER BY seq LIMIT ? OFFSET ?`),
    };
    this.flushQueue = db.transaction(() => {
      const ops = this.queue;
      this.queue = [];
      for (const op of ops) this.apply(op);
    });
  }

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

  /** Ends a run: its final status, output or error, and the clean-up of its checkpoints, in one transaction. */
  finishRun(runId: string, status: RunStatus, output: unknown, error: SerializedError | null, startedAt: number): void {
    const finishedAt = Date.now();
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
      this.stmts.deleteAllItems.run(runId);
      this.stmts.deleteTimers.run(runId);
    })();
  }

  queueStep(runId: string, step: StepRecord, withData: boolean): void {
    this.push({ kind: 'step', runId, step, withData });
  }

  queueFrame(runId: string, scope: string, state: FrameState): void {
    this.push({ kind: 'frame', runId, scope, state: JSON.stringify(state) });
  }

  queueDropFrame(runId: string, scope: string): void {
    this.push({ kind: 'dropFrame', runId, scope });
  }

  queueItem(runId: string, scope: string, index: number, item: ItemResult): void {
    this.push({ kind: 'item', runId, scope, index, ok: item.ok, result: json(item.result) });
  }

  /** Drops a finished loop's item records (and those of loops nested in it). */
  queueDropItems(runId: string, scope: string): void {
    this.push({ kind: 'dropItems', runId, scope });
  }

  /** Writes everything queued, in one transaction. Safe to call inside an outer transaction. */
  flush(): void {
    if (this.queue.length > 0) this.flushQueue();
  }

  /** Runs `work` and then flushes, all in one transaction: a database-only side effect and its checkpoint commit together. */
  atomically<T>(work: () => T): T {
    return this.db.transaction(() => {
      const result = work();
      this.flushQueue();
      return result;
    })();
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
    const rows = this.stmts.items.all(runId, scope) as { idx: number; ok: number; result: string | null }[];
    return new Map(rows.map((r) => [r.idx, { ok: r.ok === 1, result: parse(r.result) }]));
  }

  maxSeq(runId: string): number {
    return (this.stmts.maxSeq.get(runId) as { seq: number }).seq;
  }

  unfinishedRuns(): StoredRun[] {
    const rows = this.stmts.unfinished.all() as {
      id: string;
      flow_id: string;
      status: RunStatus;
      flows: string;
      input: string;
      history_level: HistoryLevel;
      started_at: string;
    }[];
    return rows.map((r) => ({
      id: r.id,
      flowId: r.flow_id,
      status: r.status,
      flows: JSON.parse(r.flows) as Record<string, FlowDocument>,
      input: JSON.parse(r.input) as Record<string, unknown>,
      historyLevel: r.history_level,
      startedAt: Date.parse(r.started_at),
    }));
  }

  getRun(runId: string): RunDetail | undefined {
    const row = this.stmts.run.get(runId) as RunRow | undefined;
    return row ? toDetail(row) : undefined;
  }

  listRuns(filter: { flowId?: string | undefined; status?: RunStatus | undefined; limit: number; offset: number }): RunSummary[] {
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
    const rows = this.stmts.steps.all(runId, limit, offset) as StepRow[];
    return rows.map((r) => ({
      seq: r.seq,
      scope: r.scope,
      nodeId: r.node_id,
      cardType: r.card_type,
      status: r.status,
      attempt: r.attempt,
      startedAt: r.started_at,
      durationMs: r.duration_ms,
      inputs: parse(r.inputs),
      outputs: parse(r.outputs),
      error: parse(r.error),
    }));
  }

  private push(op: Op): void {
    this.queue.push(op);
    if (this.queue.length >= FLUSH_AT) this.flush();
  }

  private apply(op: Op): void {
    const s = this.stmts;
    switch (op.kind) {
      case 'step': {
        const st = op.step;
        s.insertStep.run(
          op.runId,
          st.seq,
          st.scope,
          st.nodeId,
          st.cardType,
          st.status,
          st.attempt,
          new Date(st.startedAt).toISOString(),
          st.durationMs,
          op.withData ? json(st.inputs) : null,
          op.withData ? json(st.outputs) : null,
          json(st.error ?? undefined),
        );
        break;
      }
      case 'frame':
        s.upsertFrame.run(op.runId, op.scope, op.state);
        break;
      case 'dropFrame':
        s.deleteFrame.run(op.runId, op.scope);
        break;
      case 'item':
        s.insertItem.run(op.runId, op.scope, op.index, op.ok ? 1 : 0, op.result);
        break;
      case 'dropItems': {
        const escaped = op.scope.replace(/[\\%_]/g, (c) => `\\${c}`);
        s.deleteItems.run(op.runId, op.scope, `${escaped}[%`);
        break;
      }
    }
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

interface StepRow {
  seq: number;
  scope: string;
  node_id: string;
  card_type: string;
  status: StepStatus;
  attempt: number;
  started_at: string;
  duration_ms: number | null;
  inputs: string | null;
  outputs: string | null;
  error: string | null;
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
