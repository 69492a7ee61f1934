import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import type { EngineApp } from '../../engine/app.js';
import { startApiServer } from '../api-server.js';
import { readSecretsFile } from '../env-secrets.js';
import type { Logger } from '../logger.js';
import {
  callApi,
  credentialsFrom,
  dataDirFrom,
  isUnfinished,
  loadBundle,
  openRunnerEngine,
  waitForRun,
} from '../runner-app.js';
import { RunMetrics } from '../serve/metrics.js';
import { runnerRoutes } from '../serve/routes.js';
import { startSchedules, type StartRun } from '../serve/schedules.js';
import { EXIT, RunnerExit } from './exit-codes.js';
import {
  commonBundleOptions,
  credentialOption,
  dataDirOption,
  portOption,
  positiveInt,
  type CommandContext,
} from './shared-options.js';

interface ServeOptions {
  host: string;
  port: number;
  dataDir?: string;
  tokenFile?: string;
  designer?: string;
  queue?: string;
  waitTimeout: number;
  trustKey?: string[];
  allowUnsigned?: boolean;
  secretsFile?: string;
}

const BUILT_DESIGNER = path.resolve(import.meta.dirname, '../../../out/renderer');

/** The API token: from --token-file (private to the runner's user), else one kept in the data dir. */
function apiToken(options: ServeOptions, dataDir: string, logger: Logger): string {
  if (options.tokenFile) {
    // Same rules as a secrets file: KEY=VALUE is not expected here, the whole file is the token.
    readSecretsFile(options.tokenFile);
    const token = fs.readFileSync(options.tokenFile, 'utf8').trim();
    if (token.length < 16) {
      throw new RunnerExit(
        EXIT.usage,
        'TOKEN_TOO_SHORT',
        `The token in ${options.tokenFile} is shorter than 16 characters.`,
      );
    }
    return token;
  }
  const file = path.join(dataDir, 'api-token');
  if (!fs.existsSync(file)) {
    fs.writeFileSync(file, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
    logger.info({ tokenFile: file }, 'created an API token for the designer (read it from this file)');
  }
  return fs.readFileSync(file, 'utf8').trim();
}

/** Where runs start: this process's engine, or the BullMQ queue that workers take runs from. */
async function runStarter(engine: EngineApp, options: ServeOptions) {
  if (!options.queue) {
    const startRun: StartRun = (flowId, input) => callApi(engine, 'runs.start', { flowId, input: input as never });
    return { startRun, close: async () => {} };
  }
  const { startQueueProducer } = await import('../queue/index.js');
  const producer = await startQueueProducer({ redisUrl: options.queue, engine });
  const startRun: StartRun = (flowId, input) => producer.enqueue(flowId, input);
  return { startRun, close: () => producer.close() };
}

/** A finished run, polling the shared database when a queue worker runs it. */
async function resultWithin(engine: EngineApp, runId: string, timeoutMs: number, queued: boolean) {
  if (!queued) {
    const run = await waitForRun(engine, runId, timeoutMs);
    return isUnfinished(run) ? null : run;
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const run = engine.services.store.getRun(runId);
    if (run && !isUnfinished(run)) return run;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return null;
}

export function registerServe(program: Command, context: CommandContext): void {
  const command = program
    .command('serve')
    .description(
      'Serve bundles: schedules, webhooks (/hooks/<path>), /healthz, /metrics and the designer API; resumes unfinished runs.',
    )
    .argument('<bundles...>', 'one or more bundle files')
    .option('--host <host>', 'address to listen on (loopback unless you put a proxy in front)', '127.0.0.1')
    .addOption(portOption())
    .option('--token-file <file>', 'the API bearer token for the designer (chmod 600); default <data-dir>/api-token')
    .option('--designer <dir>', 'the built designer to serve at / (default out/renderer when built)')
    .option('--queue <redis-url>', 'queue runs on Redis (BullMQ) for `worker` processes instead of running them here')
    .option(
      '--wait-timeout <seconds>',
      'longest a webhook called with ?wait=true waits for its result (default 30)',
      positiveInt('--wait-timeout', 3600),
      30,
    );
  commonBundleOptions(command);
  credentialOption(command);
  dataDirOption(command);
  command.addHelpText(
    'after',
    `
Webhook secrets: FLOWSTEAD_WEBHOOK_<PATH>_SECRET (e.g. path "hr/joiner" → FLOWSTEAD_WEBHOOK_HR_JOINER_SECRET).
bearer: Authorization: Bearer <secret>; hmac: X-Flowstead-Signature: sha256=<hex HMAC-SHA256 of the raw body>;
oktaEventHook: the Authorization value configured in Okta (verification challenge answered).
SIGTERM / SIGINT: stop accepting, stop runs at their checkpoint (resumed on next start), exit 0.
Exit codes: 0 stopped cleanly, 2 usage or invalid input, 3 bundle refused, 4 missing credentials.`,
  );
  command.action(async (files: string[], options: ServeOptions) => {
    const logger = context.logger();
    const bundles = files.map((file) => loadBundle(file, options).bundle);
    const lookup = credentialsFrom(options);
    const dataDir = dataDirFrom(options.dataDir);
    const engine = await openRunnerEngine({
      dataDir,
      bundles,
      lookup,
      logger,
      // Queue workers resume runs; a producer-only server must not run them too.
      resumeUnfinished: !options.queue,
    });
    const metrics = new RunMetrics(engine);
    let draining = false;
    let cleanup: (() => Promise<void>)[] = [async () => metrics.close(), () => engine.close()];
    const stopAll = async () => {
      for (const step of cleanup) await step();
      cleanup = [];
    };
    try {
      const starter = await runStarter(engine, options);
      cleanup = [starter.close, ...cleanup];
      const routes = runnerRoutes({
        bundles,
        lookup,
        startRun: starter.startRun,
        waitForResult: (runId, timeoutMs) => resultWithin(engine, runId, timeoutMs, Boolean(options.queue)),
        metrics,
        logger,
        isDraining: () => draining,
        waitTimeoutMs: options.waitTimeout * 1000,
        about: {
          bundles: bundles.map((b) => ({ name: b.manifest.name, version: b.manifest.version })),
          mode: options.queue ? 'queue' : 'local',
        },
      });
      const designer =
        options.designer ?? (fs.existsSync(path.join(BUILT_DESIGNER, 'index.html')) ? BUILT_DESIGNER : undefined);
      const server = await startApiServer({
        engine,
        host: options.host,
        port: options.port,
        token: apiToken(options, dataDir, logger),
        ...(designer ? { staticDir: designer } : {}),
        routes,
      });
      cleanup = [server.close, ...cleanup];
      const schedules = startSchedules(bundles, starter.startRun, logger);
      cleanup = [async () => schedules.stop(), ...cleanup];
      logger.info(
        { url: server.url, schedules: schedules.count, dataDir, designer: designer ?? null },
        'flowstead-runner listening',
      );
    } catch (error) {
      await stopAll();
      throw error;
    }

    await new Promise<void>((resolve) => {
      const drain = (signal: NodeJS.Signals) => {
        if (draining) {
          logger.warn({ signal }, 'second signal: exiting without waiting');
          process.exit(EXIT.runFailed);
        }
        draining = true;
        logger.info({ signal, activeRuns: metrics.activeRuns }, 'shutting down: active runs stop at their checkpoint');
        void stopAll().then(() => {
          logger.info('stopped');
          resolve();
        });
      };
      process.once('SIGTERM', drain);
      process.once('SIGINT', drain);
    });
  });
}

export function registerWorker(program: Command, context: CommandContext): void {
  const command = program
    .command('worker')
    .description('Take queued runs from Redis (BullMQ) and run them; several workers share one data dir.')
    .argument('<bundles...>', 'the bundle files the queued flows come from')
    .addOption(new Option('--queue <redis-url>', 'the Redis URL').env('FLOWSTEAD_REDIS_URL').makeOptionMandatory())
    .option('--concurrency <n>', 'runs at once in this process (default 4)', positiveInt('--concurrency', 200), 4);
  commonBundleOptions(command);
  credentialOption(command);
  dataDirOption(command);
  command.addHelpText('after', '\nSIGTERM / SIGINT: take no new jobs, let active runs finish or checkpoint, exit 0.');
  command.action(async (files: string[], options: ServeOptions & { concurrency: number }) => {
    const logger = context.logger();
    const bundles = files.map((file) => loadBundle(file, options).bundle);
    const engine = await openRunnerEngine({
      dataDir: dataDirFrom(options.dataDir),
      bundles,
      lookup: credentialsFrom(options),
      logger,
      resumeUnfinished: false,
    });
    let worker: { close(options?: { drainTimeoutMs?: number }): Promise<void> };
    try {
      const { runQueueWorker } = await import('../queue/index.js');
      worker = await runQueueWorker({
        redisUrl: options.queue!,
        engine,
        concurrency: options.concurrency,
        onEvent: (event) => logger.info(event, `queue job ${event.kind}`),
      });
    } catch (error) {
      await engine.close();
      throw error;
    }
    logger.info({ concurrency: options.concurrency }, 'worker waiting for queued runs');
    await new Promise<void>((resolve) => {
      const stop = (signal: NodeJS.Signals) => {
        logger.info({ signal }, 'worker shutting down');
        void worker
          .close({ drainTimeoutMs: 20_000 })
          .then(() => engine.close())
          .then(resolve);
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
  });
}
