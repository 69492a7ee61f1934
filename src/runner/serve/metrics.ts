import type { EngineApp } from '../../engine/app.js';
import { runFlowName } from '../runner-app.js';

/** Run duration buckets in seconds: identity flows take from milliseconds to an hour of approvals. */
const BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

function label(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/**
 * Counts runs from the engine's progress events and renders them, with process metrics, in the
 * Prometheus text format. Labels are flow names and statuses only: never inputs or values.
 */
export class RunMetrics {
  private readonly started = new Map<string, number>();
  private readonly finished = new Map<string, number>();
  private readonly durations = new Map<string, Histogram>();
  private readonly active = new Map<string, { flow: string; since: number }>();
  private readonly unsubscribe: () => void;
  private readonly startedAt = Date.now();

  constructor(private readonly engine: EngineApp) {
    this.unsubscribe = engine.onProgress((event) => {
      if (event.kind === 'run.started') {
        const flow = runFlowName(engine, event.runId, event.flowId);
        this.active.set(event.runId, { flow, since: Date.now() });
        this.started.set(flow, (this.started.get(flow) ?? 0) + 1);
      } else if (event.kind === 'run.finished') {
        const run = this.active.get(event.runId);
        this.active.delete(event.runId);
        const flow = run?.flow ?? engine.services.store.getRun(event.runId)?.flowName ?? 'unknown';
        const key = JSON.stringify([flow, event.status]);
        this.finished.set(key, (this.finished.get(key) ?? 0) + 1);
        if (run) this.observe(flow, (Date.now() - run.since) / 1000);
      }
    });
  }

  get activeRuns(): number {
    return this.active.size;
  }

  get uptimeSeconds(): number {
    return (Date.now() - this.startedAt) / 1000;
  }

  close(): void {
    this.unsubscribe();
  }

  private observe(flow: string, seconds: number): void {
    const histogram = this.durations.get(flow) ?? { counts: BUCKETS.map(() => 0), sum: 0, count: 0 };
    BUCKETS.forEach((bound, index) => {
      if (seconds <= bound) histogram.counts[index]! += 1;
    });
    histogram.sum += seconds;
    histogram.count += 1;
    this.durations.set(flow, histogram);
  }

  render(): string {
    const lines: string[] = [];
    const family = (name: string, type: string, help: string) =>
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);

    family('flowstead_runs_started_total', 'counter', 'Runs started in this process, by flow.');
    for (const [flow, count] of this.started)
      lines.push(`flowstead_runs_started_total{flow="${label(flow)}"} ${count}`);

    family('flowstead_runs_finished_total', 'counter', 'Runs that ended in this process, by flow and status.');
    for (const [key, count] of this.finished) {
      const [flow, status] = JSON.parse(key) as [string, string];
      lines.push(`flowstead_runs_finished_total{flow="${label(flow)}",status="${label(status)}"} ${count}`);
    }

    family('flowstead_active_runs', 'gauge', 'Runs in progress in this process.');
    lines.push(`flowstead_active_runs ${this.active.size}`);

    family('flowstead_run_duration_seconds', 'histogram', 'Run duration from start (or resume) to end, by flow.');
    for (const [flow, histogram] of this.durations) {
      const l = `flow="${label(flow)}"`;
      BUCKETS.forEach((bound, index) =>
        lines.push(`flowstead_run_duration_seconds_bucket{${l},le="${bound}"} ${histogram.counts[index]}`),
      );
      lines.push(`flowstead_run_duration_seconds_bucket{${l},le="+Inf"} ${histogram.count}`);
      lines.push(`flowstead_run_duration_seconds_sum{${l}} ${histogram.sum}`);
      lines.push(`flowstead_run_duration_seconds_count{${l}} ${histogram.count}`);
    }

    const cpu = process.cpuUsage();
    const memory = process.memoryUsage();
    family('process_cpu_user_seconds_total', 'counter', 'User CPU time spent in seconds.');
    lines.push(`process_cpu_user_seconds_total ${cpu.user / 1e6}`);
    family('process_cpu_system_seconds_total', 'counter', 'System CPU time spent in seconds.');
    lines.push(`process_cpu_system_seconds_total ${cpu.system / 1e6}`);
    family('process_resident_memory_bytes', 'gauge', 'Resident memory size in bytes.');
    lines.push(`process_resident_memory_bytes ${memory.rss}`);
    family('nodejs_heap_used_bytes', 'gauge', 'V8 heap in use in bytes.');
    lines.push(`nodejs_heap_used_bytes ${memory.heapUsed}`);
    family('process_start_time_seconds', 'gauge', 'Start time of the process since the Unix epoch in seconds.');
    lines.push(`process_start_time_seconds ${Math.round((Date.now() - process.uptime() * 1000) / 1000)}`);
    family('process_uptime_seconds', 'gauge', 'Seconds since the runner started serving.');
    lines.push(`process_uptime_seconds ${this.uptimeSeconds}`);
    return `${lines.join('\n')}\n`;
  }
}
