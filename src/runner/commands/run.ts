import fs from 'node:fs';
import type { Command } from 'commander';
import type { EngineApp } from '../../engine/app.js';
import type { ApiOutput } from '../../shared/api/contract.js';
import { readCsv } from '../../shared/csv/read-csv.js';
import type { JsonValue } from '../../shared/flow/schema.js';
import type { Logger } from '../logger.js';
import {
  callApi,
  credentialsFrom,
  dataDirFrom,
  findEntryFlow,
  loadBundle,
  openRunnerEngine,
  waitForRun,
} from '../runner-app.js';
import { EXIT, RunnerExit } from './exit-codes.js';
import {
  commonBundleOptions,
  credentialOption,
  dataDirOption,
  positiveInt,
  type CommandContext,
} from './shared-options.js';

interface RunOptions {
  flow: string;
  input?: string;
  rows?: string;
  concurrency?: number;
  format: 'jsonl' | 'json';
  dataDir?: string;
  trustKey?: string[];
  allowUnsigned?: boolean;
  secretsFile?: string;
}

/** `--input '{"a":1}'` or `--input @file.json`. */
export function parseInput(option: string | undefined): Record<string, JsonValue> {
  if (option === undefined) return {};
  let text = option;
  if (option.startsWith('@')) {
    try {
      text = fs.readFileSync(option.slice(1), 'utf8');
    } catch {
      throw new RunnerExit(EXIT.usage, 'INPUT_UNREADABLE', `The input file ${option.slice(1)} cannot be read.`);
    }
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new RunnerExit(
      EXIT.usage,
      'INPUT_NOT_JSON',
      `--input is not valid JSON (${error instanceof Error ? error.message : String(error)}). Give an object, e.g. --input '{"first":"Ada"}' or --input @input.json.`,
    );
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new RunnerExit(EXIT.usage, 'INPUT_NOT_OBJECT', '--input must be a JSON object of trigger inputs.');
  }
  return value as Record<string, JsonValue>;
}

function readRows(file: string): Record<string, string>[] {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    throw new RunnerExit(EXIT.usage, 'CSV_UNREADABLE', `The CSV file ${file} cannot be read.`);
  }
  return readCsv(bytes).rows;
}

async function runOnce(engine: EngineApp, flowId: string, input: Record<string, JsonValue>, context: CommandContext) {
  const { runId } = await callApi(engine, 'runs.start', { flowId, input });
  const run = await waitForRun(engine, runId);
  if (run.status !== 'succeeded') {
    throw new RunnerExit(
      EXIT.runFailed,
      run.error?.code ?? 'RUN_FAILED',
      run.error?.message ?? `The run ended ${run.status}.`,
      { runId, status: run.status },
    );
  }
  context.stdout(`${JSON.stringify(run.output ?? {}, null, 2)}\n`);
}

/** Progress at most once a second (and at the end): rows done / total and rows per second. */
function reportProgress(engine: EngineApp, runId: string, total: number, logger: Logger, flow: string): () => void {
  const started = Date.now();
  let last = 0;
  return engine.onProgress((event) => {
    if (event.kind !== 'items.progress' || event.runId !== runId || event.scope !== '') return;
    const now = Date.now();
    if (now - last < 1000 && event.done < event.total) return;
    last = now;
    const seconds = Math.max((now - started) / 1000, 0.001);
    logger.info(
      { runId, flow, done: event.done, total, rowsPerSecond: Math.round((event.done / seconds) * 10) / 10 },
      'bulk progress',
    );
  });
}

async function runRows(
  engine: EngineApp,
  flow: { id: string; name: string },
  options: RunOptions,
  context: CommandContext,
) {
  const flowId = flow.id;
  const rows = readRows(options.rows!);
  const { runId, total } = await callApi(engine, 'bulk.start', {
    flowId,
    rows,
    concurrency: options.concurrency ?? 4,
  });
  const stop = reportProgress(engine, runId, total, context.logger(), flow.name);
  await waitForRun(engine, runId);
  stop();
  const results: ApiOutput<'bulk.results'> = await callApi(engine, 'bulk.results', { runId });
  if (options.format === 'json') context.stdout(`${JSON.stringify(results.rows, null, 2)}\n`);
  else context.stdout(results.rows.map((row) => `${JSON.stringify(row)}\n`).join(''));
  context
    .logger()
    .info({ runId, flow: flow.name, total: results.total, ok: results.ok, failed: results.failed }, 'bulk run done');
  if (results.status !== 'succeeded' || results.failed > 0) {
    throw new RunnerExit(
      EXIT.runFailed,
      results.error?.code ?? 'ROWS_FAILED',
      results.error?.message ?? `${results.failed} of ${results.total} rows failed; see their errors on stdout.`,
      { runId, ok: results.ok, failed: results.failed },
    );
  }
}

export function registerRun(program: Command, context: CommandContext): void {
  const command = program
    .command('run')
    .description("Import a bundle into the runner's database and run one of its flows once (or once per CSV row).")
    .argument('<bundle>', 'the bundle file')
    .requiredOption('--flow <name-or-id>', 'the entry flow to run')
    .option('--input <json>', 'trigger inputs as a JSON object, or @file.json')
    .option('--rows <file.csv>', 'run once per row of this CSV (columns are trigger inputs); progress on stderr')
    .option(
      '--concurrency <n>',
      'rows run at the same time with --rows (1-50, default 4)',
      positiveInt('--concurrency', 50),
    )
    .option('--format <format>', 'with --rows: jsonl (one result per line) or json (an array)', 'jsonl');
  commonBundleOptions(command);
  credentialOption(command);
  dataDirOption(command);
  command.addHelpText(
    'after',
    '\nPrints the run output as JSON on stdout; errors as JSON on stderr.\nExit codes: 0 succeeded, 1 run (or a row) failed, 2 usage or invalid input, 3 bundle refused, 4 missing credentials.',
  );
  command.action(async (file: string, options: RunOptions) => {
    if (options.format !== 'jsonl' && options.format !== 'json') {
      throw new RunnerExit(EXIT.usage, 'USAGE', '--format is jsonl or json.');
    }
    if (options.rows && options.input) throw new RunnerExit(EXIT.usage, 'USAGE', 'Give --input or --rows, not both.');
    const input = parseInput(options.input);
    const { bundle } = loadBundle(file, options);
    const flow = findEntryFlow([bundle], options.flow);
    const lookup = credentialsFrom(options);
    const engine = await openRunnerEngine({
      dataDir: dataDirFrom(options.dataDir),
      bundles: [bundle],
      lookup,
      logger: context.logger(),
      // A one-shot run does only its own work; `serve` resumes interrupted runs.
      resumeUnfinished: false,
    });
    const interrupt = () => {
      context.logger().warn('interrupted: the run stops at its last checkpoint; `serve` on this data dir resumes it');
      void engine.close().then(() => process.exit(EXIT.runFailed));
    };
    process.once('SIGINT', interrupt);
    process.once('SIGTERM', interrupt);
    try {
      if (options.rows) await runRows(engine, flow, options, context);
      else await runOnce(engine, flow.id, input, context);
    } finally {
      process.off('SIGINT', interrupt);
      process.off('SIGTERM', interrupt);
      await engine.close();
    }
  });
}
