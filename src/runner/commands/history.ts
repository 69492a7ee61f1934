import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { openEngine, type EngineApp } from '../../engine/app.js';
import { RUN_STATUSES, type RunStatus, type RunSummary } from '../../shared/api/contract.js';
import { createEnvSecretStore } from '../env-secrets.js';
import { callApi, dataDirFrom } from '../runner-app.js';
import { EXIT, RunnerExit } from './exit-codes.js';
import { dataDirOption, positiveInt, type CommandContext } from './shared-options.js';

interface HistoryOptions {
  flow?: string;
  status?: string;
  limit: number;
  json?: boolean;
  dataDir?: string;
}

/** The history is read without resuming anything or touching credentials. */
async function openHistory(dataDirOption: string | undefined): Promise<EngineApp> {
  const dataDir = dataDirFrom(dataDirOption);
  const dbPath = path.join(dataDir, 'flowstead.db');
  if (!fs.existsSync(dbPath)) {
    throw new RunnerExit(
      EXIT.usage,
      'NO_HISTORY',
      `There is no runner database in ${dataDir}. Run a bundle first, or pass the --data-dir the runner uses.`,
    );
  }
  return openEngine({ dbPath, secrets: createEnvSecretStore(new Map()), resumeUnfinished: false });
}

function flowIdFor(engine: EngineApp, nameOrId: string): string {
  const flows = engine.services.flows.list({});
  const wanted = nameOrId.toLocaleLowerCase();
  const found = flows.find((f) => f.id === nameOrId) ?? flows.find((f) => f.name.toLocaleLowerCase() === wanted);
  return found?.id ?? nameOrId;
}

function table(runs: RunSummary[]): string {
  if (runs.length === 0) return 'No runs.\n';
  const rows = runs.map((r) => [
    r.id,
    r.flowName,
    r.status,
    r.startedAt,
    r.durationMs === null ? '' : `${Math.round(r.durationMs)} ms`,
    r.error ? `${r.error.code}: ${r.error.message.split('\n')[0]}` : '',
  ]);
  const header = ['RUN', 'FLOW', 'STATUS', 'STARTED', 'DURATION', 'ERROR'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

export function registerHistory(program: Command, context: CommandContext): void {
  const history = program
    .command('history')
    .description("List the runs in the runner's database (newest first); `history show RUN_ID` for one run.")
    .option('--flow <name-or-id>', 'only runs of this flow')
    .option('--status <status>', `only runs with this status (${RUN_STATUSES.join(', ')})`)
    .option('--limit <n>', 'at most this many runs (default 20)', positiveInt('--limit', 1000), 20)
    .option('--json', 'print JSON instead of a table');
  dataDirOption(history);
  history.action(async (options: HistoryOptions) => {
    if (options.status !== undefined && !(RUN_STATUSES as readonly string[]).includes(options.status)) {
      throw new RunnerExit(EXIT.usage, 'USAGE', `--status is one of ${RUN_STATUSES.join(', ')}.`);
    }
    const engine = await openHistory(options.dataDir);
    try {
      const runs = await callApi(engine, 'runs.list', {
        ...(options.flow ? { flowId: flowIdFor(engine, options.flow) } : {}),
        ...(options.status ? { status: options.status as RunStatus } : {}),
        limit: options.limit,
      });
      context.stdout(options.json ? `${JSON.stringify(runs, null, 2)}\n` : table(runs));
    } finally {
      await engine.close();
    }
  });

  const show = history
    .command('show')
    .description('Show one run: its input, output, error and every step.')
    .argument('<run-id>', 'the run id (from `history` or the run’s log lines)');
  dataDirOption(show);
  show.action(async (runId: string, options: { dataDir?: string }) => {
    const engine = await openHistory(options.dataDir ?? history.opts<HistoryOptions>().dataDir);
    try {
      const run = await callApi(engine, 'runs.get', { runId });
      const steps = await callApi(engine, 'runs.steps', { runId, limit: 5000 });
      context.stdout(`${JSON.stringify({ run, steps }, null, 2)}\n`);
    } finally {
      await engine.close();
    }
  });
}
