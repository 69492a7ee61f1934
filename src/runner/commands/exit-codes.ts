import { FlowsteadError } from '../../shared/errors.js';

/** The runner's exit codes; scripts and systemd rely on them, so they never change meaning. */
export const EXIT = {
  ok: 0,
  /** The run (or a row of a bulk run) failed. */
  runFailed: 1,
  /** Bad arguments, unreadable files, invalid JSON / CSV / bundle shape. */
  usage: 2,
  /** The bundle was refused: unsigned, untrusted key, bad signature, tampered, too new, unknown cards. */
  bundleRefused: 3,
  /** A connection credential (or webhook secret) the bundle needs is not configured. */
  missingCredentials: 4,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error that ends the command with a given exit code; printed as JSON on stderr. */
export class RunnerExit extends FlowsteadError {
  constructor(
    readonly exitCode: ExitCode,
    code: string,
    message: string,
    details?: Record<string, unknown>,
  ) {
    super(code, message, details);
  }
}

const REFUSED_BUNDLE_CODES = new Set([
  'BUNDLE_UNSIGNED',
  'BUNDLE_UNTRUSTED_KEY',
  'BUNDLE_BAD_SIGNATURE',
  'BUNDLE_TAMPERED',
  'BUNDLE_VERSION',
  'BUNDLE_UNKNOWN_CARD',
]);

/** Which exit code an engine error means for the runner. */
export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof RunnerExit) return error.exitCode;
  if (error instanceof FlowsteadError) {
    if (REFUSED_BUNDLE_CODES.has(error.code)) return EXIT.bundleRefused;
    if (error.code.startsWith('BUNDLE_') || error.code.startsWith('CSV_') || error.code === 'RUN_INPUT')
      return EXIT.usage;
    if (error.code === 'CONNECTION_SECRET_MISSING') return EXIT.missingCredentials;
    if (error.code.endsWith('_NOT_FOUND') || error.code === 'INVALID_PAYLOAD') return EXIT.usage;
  }
  return EXIT.runFailed;
}
