import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/*
 * Reads index ranges ahead on a second thread. A bulk run asks a big indexed table one range per
 * name (about a fifth of a row's cost); when the rows to come are known, a worker thread with its
 * own read-only connection to the same database file reads those ranges while the run's thread
 * goes on with earlier rows. Answers are advisory: a range not answered yet is read the usual way.
 *
 * The worker's code is plain JavaScript in a string: it must start the same way in every host
 * (the desktop bundle, the runner under tsx, the tests), and it uses nothing of ours.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
const range = db.prepare(workerData.sql).pluck();
parentPort.on('message', (bounds) => {
  try {
    const values = [];
    for (let i = 0; i < bounds.length; i += 2) values.push(range.all(bounds[i], bounds[i + 1]));
    parentPort.postMessage({ bounds, values });
  } catch (error) {
    parentPort.postMessage({ bounds, error: String((error && error.message) || error) });
  }
});
`;

/** A worker with nothing to read for this long ends; the next request starts another. */
const IDLE_MS = 2000;

interface Answer {
  bounds: string[];
  values?: string[][];
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
  private readonly answers = new Map<string, { to: string; values: string[] }>();
  /** Lower bounds asked for and not answered yet, so nothing is asked twice. */
  private readonly asked = new Set<string>();
  /** Ranges given from what was read ahead, so far. */
  taken = 0;
  /** Called once nothing asked for is still being read. */
  private settledListeners: (() => void)[] = [];

  constructor(
    private readonly file: string,
    private readonly sql: string,
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
    if (this.outstanding++ === 0) worker.ref();
    clearTimeout(this.idle);
    worker.postMessage(bounds);
  }

  /** The values of a range read ahead (given once), or undefined when it must be read in place. */
  take(from: string, to: string): string[] | undefined {
    const answer = this.answers.get(from);
    if (answer === undefined) return undefined;
    this.answers.delete(from);
    if (answer.to !== to) return undefined;
    this.taken++;
    return answer.values;
  }

  /** Resolves once every range asked for so far is answered (or reading ahead has stopped). */
  settled(): Promise<void> {
    if (this.outstanding === 0) return Promise.resolve();
    return new Promise((resolve) => this.settledListeners.push(resolve));
  }

  /** Stops the worker; answers already here stay. */
  close(): void {
    clearTimeout(this.idle);
    const worker = this.worker;
    this.worker = undefined;
    this.outstanding = 0;
    this.asked.clear();
    this.notifySettled();
    void worker?.terminate();
  }

  private start(): Worker | undefined {
    if (this.worker) return this.worker;
    try {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: {
          file: this.file,
          sql: this.sql,
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
      return worker;
    } catch {
      this.fail();
      return undefined;
    }
  }

  private receive({ bounds, values, error }: Answer): void {
    this.outstanding--;
    for (let i = 0; i < bounds.length; i += 2) this.asked.delete(bounds[i]!);
    if (error !== undefined || values === undefined) {
      this.fail();
      return;
    }
    for (let i = 0; i < values.length; i++)
      this.answers.set(bounds[2 * i]!, { to: bounds[2 * i + 1]!, values: values[i]! });
    if (this.outstanding === 0) {
      this.notifySettled();
      this.worker?.unref();
      this.idle = setTimeout(() => this.close(), IDLE_MS);
      this.idle.unref();
    }
  }

  private notifySettled(): void {
    for (const listener of this.settledListeners.splice(0)) listener();
  }

  /** Reading ahead is an optimisation: on any failure it stops and ranges are read in place. */
  private fail(): void {
    this.broken = true;
    this.close();
  }
}
