import { Option, type Command } from 'commander';
import { createLogger, type Logger } from '../logger.js';
import { EXIT, RunnerExit } from './exit-codes.js';

/** What commands write to; tests and the CLI share it. */
export interface CommandContext {
  stdout(text: string): void;
  stderr(text: string): void;
  logger(): Logger;
}

export function defaultContext(): CommandContext {
  let logger: Logger | undefined;
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    logger: () => (logger ??= createLogger()),
  };
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function commonBundleOptions(command: Command): Command {
  return command
    .option(
      '--trust-key <file>',
      'a PEM public key whose bundles are accepted (repeatable; also every *.pem in FLOWSTEAD_TRUSTED_KEYS_DIR)',
      collect,
    )
    .option('--allow-unsigned', 'accept bundles without a signature (their content hash is still checked)');
}

export function credentialOption(command: Command): Command {
  return command.option(
    '--secrets-file <file>',
    'connection credentials as JSON or KEY=VALUE lines (must be chmod 600); the environment is used otherwise',
  );
}

export function dataDirOption(command: Command): Command {
  return command.option(
    '--data-dir <dir>',
    "the runner's database folder (default: FLOWSTEAD_DATA_DIR or ./flowstead-data)",
  );
}

/** Parses a positive integer option; a bad value is a usage error (exit 2). */
export function positiveInt(name: string, max = 1_000_000) {
  return (value: string): number => {
    const number = Number(value);
    if (!Number.isInteger(number) || number < 1 || number > max) {
      throw new RunnerExit(EXIT.usage, 'USAGE', `${name} must be a whole number from 1 to ${max}, not "${value}".`);
    }
    return number;
  };
}

export function portOption(): Option {
  return new Option('--port <n>', 'port to listen on (0 picks a free one)').default(8080).argParser((value) => {
    const number = Number(value);
    if (!Number.isInteger(number) || number < 0 || number > 65535) {
      throw new RunnerExit(EXIT.usage, 'USAGE', `--port must be 0 to 65535, not "${value}".`);
    }
    return number;
  });
}
