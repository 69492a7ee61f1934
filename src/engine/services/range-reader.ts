import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/*
 * Reads index ranges ahead on a second thread. A bulk run asks a big indexed table one range per
 * name (about a fifth of a row's cost); when the rows to come are known, a worker thread with its
 * own read-only connection to the same database file reads those ranges while the run's thread
 * goes on with earlier rows. Answers are advisory: a range not answered yet is read the usual way.
 *
 * The worker's code is plain JavaScript in a string: it must start the same way in every host
 * (the desktop bundle, the runner under tsx, the tests). With a summary, the worker sends what the
 * caller would have computed from each range's values instead of the values (see RangeSummary).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
const range = db.prepare(workerData.sql).pluck();
const summary = workerData.summary;
const summarize = summary ? new Function(summary.source)() : undefined;
parentPort.on('message', (bounds) => {
  try {
    if (!summarize) {
      const values = [];
      for (let i = 0; i < bounds.length; i += 2) values.push(range.all(bounds[i], bounds[i + 1]));
      parentPort.postMessage({ bounds, values });
      return;
    }
    const counts = new Int32Array(bounds.length / 2);
    const all = [];
    for (let i = 0; i < bounds.length; i += 2) {
      const numbers = summarize(range.all(bounds[i], bounds[i + 1]), bounds[i], bounds[i + 1], ...summary.args);
      counts[i / 2] = numbers.length;
      for (const n of numbers) all.push(n);
    }
    const numbers = Int32Array.from(all);
    parentPort.postMessage({ bounds, counts, numbers }, [counts.buffer, numbers.buffer]);
  } catch (error) {
    parentPort.postMessage({ bounds, error: String((error && error.message) || error) });
  }
});
`;

/**
 * What a caller computes from each range's values, computed on the worker instead, so that only
 * whole numbers cross between the threads. `source` is the body of a function that returns
 * `(values, from, to, ...args) => number[]` (whole numbers that fit in 32 bits), built from
 * functions that use nothing outside themselves; `args` are plain data. The source is always the
 * engine's own code (a function's text), never anything from a flow: no flow runs JavaScript.
 */
export interface RangeSummary {
  readonly source: string;
  readonly args: readonly unknown[];
}

/** One range's summary: `numbers` from `start` (included) to `end` (excluded). */
export interface SummaryAnswer {
  readonly numbers: Int32Array;
  readonly start: number;
  readonly end: number;
}

/** A worker with nothing to read for this long ends; the next request starts another. */
const IDLE_MS = 2000;

/** Ranges asked for in one message to the worker, answered in one message. */
const RANGES_PER_MESSAGE = 128;

/** Readers with a worker, by database file: closing the database stops them first. */
const running = new Map<string, Set<RangeReader>>();

/**
 * Stops every worker reading `file` and resolves once they have exited (their connections closed).
 * Call before closing the database: a file still open on another thread cannot be removed everywhere.
 */
export async function closeRangeReaders(file: string): Promise<void> {
  await Promise.all([...(running.get(file) ?? [])].map((reader) => reader.close()));
}

interface Answer {
  bounds: string[];
  values?: string[][];
  counts?: Int32Array;
  numbers?: Int32Array;
  error?: string;
}

/**
 * Ranges of one prepared query (`sql` with two parameters, the range's bounds, selecting one
 * column), read ahead on a worker thread. `file` is the database's path; an in-memory database
 * cannot be shared, so its ranges are never read ahead.
 */
export class RangeReader {
  private worker: Worker | undefined;
  /** Set when the worker could not start or failed: from then on everything is read in place. */
  private broken = false;
  private outstanding = 0;
  private idle: NodeJS.Timeout | undefined;
  /** Answers by lower bound, each with the upper bound it was read for; each is taken once. */
  private readonly answers = new Map<string, { to: string; values?: string[]; summary?: SummaryAnswer }>();
  /** Lower bounds asked for and not answered yet, so nothing is asked twice. */
  private readonly asked = new Set<string>();
  /** Ranges given from what was read ahead, so far. */
  taken = 0;
  /** Called once nothing asked for is still being read. */
  private settledListeners: (() => void)[] = [];

  constructor(
    private readonly file: string,
    private readonly sql: string,
    /** When given, each range is answered with its summary (takeSummary), not its values (take). */
    readonly summary?: RangeSummary,
  ) {}

  /** Whether ranges can be read ahead at all (a database file, and no failure so far). */
  get available(): boolean {
    return !this.broken && this.file !== '' && this.file !== ':memory:';
  }

  /** Asks for these ranges (`[from, to]` pairs); their answers arrive later, between rows. */
  prefetch(ranges: readonly (readonly [string, string])[]): void {
    if (!this.available) return;
    const bounds: string[] = [];
    for (const [from, to] of ranges) {
      if (this.asked.has(from) || this.answers.has(from)) continue;
      this.asked.add(from);
      bounds.push(from, to);
    }
    if (bounds.length === 0) return;
    const worker = this.start();
    if (!worker) return;
    // Referenced while answers are due: an unreferenced worker's messages wait until the loop is idle.
    if (this.outstanding === 0) worker.ref();
    clearTimeout(this.idle);
    // In parts, so the first ranges (the rows nearest their turn) come back without waiting for all.
    for (let at = 0; at < bounds.length; at += 2 * RANGES_PER_MESSAGE) {
      this.outstanding++;
      worker.postMessage(bounds.slice(at, at + 2 * RANGES_PER_MESSAGE));
    }
  }

  /** The values of a range read ahead (given once), or undefined when it must be read in place. */
  take(from: string, to: string): string[] | undefined {
    return this.takeAnswer(from, to)?.values;
  }

  /** The summary of a range read ahead (given once), or undefined when it must be read in place. */
  takeSummary(from: string, to: string): SummaryAnswer | undefined {
    return this.takeAnswer(from, to)?.summary;
  }

  /** Resolves once every range asked for so far is answered (or reading ahead has stopped). */
  settled(): Promise<void> {
    if (this.outstanding === 0) return Promise.resolve();
    return new Promise((resolve) => this.settledListeners.push(resolve));
  }

  /** Stops the worker; answers already here stay. Resolves once the worker has exited. */
  async close(): Promise<void> {
    clearTimeout(this.idle);
    const worker = this.worker;
    this.worker = undefined;
    this.outstanding = 0;
    this.asked.clear();
    this.notifySettled();
    running.get(this.file)?.delete(this);
    if (worker) await worker.terminate();
  }

  private start(): Worker | undefined {
    if (this.worker) return this.worker;
    try {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: {
          file: this.file,
          sql: this.sql,
          summary: this.summary,
          driver: createRequire(import.meta.url).resolve('better-sqlite3'),
        },
      });
      worker.on('message', (answer: Answer) => this.receive(answer));
      worker.on('error', () => this.fail());
      worker.on('exit', () => {
        if (this.worker === worker) this.fail();
      });
      // Without answers due, the worker never keeps the process alive.
      worker.unref();
      this.worker = worker;
      let readers = running.get(this.file);
      if (!readers) running.set(this.file, (readers = new Set()));
      readers.add(this);
      return worker;
    } catch {
      this.fail();
      return undefined;
    }
  }

  private takeAnswer(from: string, to: string) {
    const answer = this.answers.get(from);
    if (answer === undefined) return undefined;
    this.answers.delete(from);
    if (answer.to !== to) return undefined;
    this.taken++;
    return answer;
  }

  private receive({ bounds, values, counts, numbers, error }: Answer): void {
    this.outstanding--;
    for (let i = 0; i < bounds.length; i += 2) this.asked.delete(bounds[i]!);
    if (error !== undefined) {
      this.fail();
      return;
    }
    if (values) {
      for (let i = 0; i < values.length; i++)
        this.answers.set(bounds[2 * i]!, { to: bounds[2 * i + 1]!, values: values[i]! });
    } else if (counts && numbers) {
      // One array for the whole message: each range's summary is its part (no view per range, which
      // costs more than the reading saves).
      for (let i = 0, at = 0; i < counts.length; at += counts[i]!, i++)
        this.answers.set(bounds[2 * i]!, {
          to: bounds[2 * i + 1]!,
          summary: { numbers, start: at, end: at + counts[i]! },
        });
    }
    if (this.outstanding === 0) {
      this.notifySettled();
      this.worker?.unref();
      this.idle = setTimeout(() => void this.close(), IDLE_MS);
      this.idle.unref();
    }
  }

  private notifySettled(): void {
    for (const listener of this.settledListeners.splice(0)) listener();
  }

  /** Reading ahead is an optimisation: on any failure it stops and ranges are read in place. */
  private fail(): void {
    this.broken = true;
    void this.close();
  }
}
