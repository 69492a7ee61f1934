import { pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import { FlowsteadError, serializeError } from '../shared/errors.js';
import { EXIT, exitCodeFor, RunnerExit } from './commands/exit-codes.js';
import { registerHistory } from './commands/history.js';
import { registerRun } from './commands/run.js';
import { registerServe, registerWorker } from './commands/serve.js';
import { defaultContext, type CommandContext } from './commands/shared-options.js';
import { registerValidate } from './commands/validate.js';

const EXIT_CODES_HELP = `
Exit codes:
  0  ok
  1  the run failed (or a row of a bulk run)
  2  usage error or invalid input (arguments, files, JSON, CSV)
  3  bundle refused (unsigned, untrusted key, bad signature, tampered, too new, unknown cards)
  4  missing credentials (the variables to set are listed)

Environment:
  FLOWSTEAD_DATA_DIR          the runner's database folder (default ./flowstead-data)
  FLOWSTEAD_TRUSTED_KEYS_DIR  folder of trusted *.pem public keys
  FLOWSTEAD_CONN_<NAME>_<FIELD>     connection credentials, named by the bundle (see \`validate\`)
  FLOWSTEAD_WEBHOOK_<PATH>_SECRET   webhook secrets for \`serve\`
  FLOWSTEAD_LOG_LEVEL         trace, debug, info (default), warn, error`;

export function buildProgram(context: CommandContext = defaultContext()): Command {
  const program = new Command('flowstead-runner')
    .description('Validate, run and serve Flowstead bundles headless.')
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', EXIT_CODES_HELP);
  registerValidate(program, context);
  registerRun(program, context);
  registerServe(program, context);
  registerWorker(program, context);
  registerHistory(program, context);
  // Every command exits through main(): usage errors become exit 2, not commander's 1.
  const override = (command: Command) => {
    command.exitOverride();
    command.configureOutput({ writeOut: context.stdout, writeErr: context.stderr });
    command.commands.forEach(override);
  };
  override(program);
  return program;
}

/** Runs the CLI and returns the exit code; errors are printed as one JSON object on stderr. */
export async function main(argv: string[], context: CommandContext = defaultContext()): Promise<number> {
  const program = buildProgram(context);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    const exitCode = exitCodeFor(error);
    const reported = error instanceof RunnerExit && error.details?.['reported'] === true;
    if (!reported) {
      const serialized = serializeError(error);
      context.stderr(`${JSON.stringify({ error: serialized, exitCode })}\n`);
      if (!(error instanceof FlowsteadError)) context.logger().error({ err: error }, 'unexpected error');
    }
    return exitCode;
  }
}

/** The process entry: runs the CLI and exits with its code. */
export async function runCli(argv: string[]): Promise<never> {
  // `flowstead-runner history | head` closes stdout early: that is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT.ok);
    throw error;
  });
  const code = await main(argv);
  // Commands close what they open; exiting here also ends idle keep-alive sockets and Redis clients.
  return new Promise<never>(() => setImmediate(() => process.exit(code)));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runCli(process.argv.slice(2));
