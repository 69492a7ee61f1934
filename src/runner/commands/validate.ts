import type { Command } from 'commander';
import { bundleSchema, computeContentHash, type Bundle } from '../../engine/bundles/bundle-format.js';
import { descriptorLookup } from '../../engine/bundles/card-references.js';
import { verifyBundle } from '../../engine/bundles/signing.js';
import { FlowsteadError } from '../../shared/errors.js';
import { validateFlow } from '../../shared/flow/validate.js';
import { resolveConnections, type CredentialLookup } from '../env-secrets.js';
import { connectorFinder, credentialsFrom, loadTrustedKeys, readBundleText } from '../runner-app.js';
import { needsSecret, webhookSecretVariable } from '../serve/webhook-auth.js';
import { EXIT, exitCodeFor, RunnerExit, type ExitCode } from './exit-codes.js';
import { commonBundleOptions, credentialOption, type CommandContext } from './shared-options.js';

interface ValidateOptions {
  trustKey?: string[];
  allowUnsigned?: boolean;
  secretsFile?: string;
  json?: boolean;
}

export interface ValidationProblemReport {
  code: string;
  message: string;
  exitCode: ExitCode;
  variables?: string[];
}

export interface ValidationReport {
  bundle: string;
  ok: boolean;
  name: string | null;
  version: string | null;
  signedBy: string | null;
  entryFlows: { id: string; name: string; trigger: string }[];
  problems: ValidationProblemReport[];
}

const FATAL = new Set(['BUNDLE_NOT_JSON', 'BUNDLE_FORMAT', 'BUNDLE_VERSION', 'BUNDLE_TOO_LARGE']);

function problemOf(error: unknown): ValidationProblemReport {
  const code = error instanceof FlowsteadError ? error.code : 'INTERNAL';
  const message = error instanceof Error ? error.message : String(error);
  return { code, message, exitCode: exitCodeFor(error) };
}

/**
 * Everything wrong with a bundle at once: a signature problem does not hide tampering, unknown
 * cards or missing credentials, so an admin fixes them in one round.
 */
export function validateBundle(file: string, trustedKeys: string[], allowUnsigned: boolean, lookup: CredentialLookup) {
  const problems: ValidationProblemReport[] = [];
  let bundle: Bundle | undefined;
  let signedBy: string | null = null;
  const text = readBundleText(file);
  try {
    ({ bundle, signedBy } = verifyBundle(text, { trustedKeys, allowUnsigned }));
  } catch (error) {
    problems.push(problemOf(error));
    const code = error instanceof FlowsteadError ? error.code : '';
    if (!FATAL.has(code) && code !== 'BUNDLE_TRUSTED_KEY_INVALID') {
      // The shape is fine: look further than the first refusal.
      const raw = JSON.parse(text.replace(/^\uFEFF/, '')) as Parameters<typeof computeContentHash>[0];
      bundle = bundleSchema.parse(raw);
      if (code !== 'BUNDLE_TAMPERED' && computeContentHash(raw) !== bundle.manifest.contentHash) {
        problems.push({
          code: 'BUNDLE_TAMPERED',
          message: "The bundle's content does not match its manifest: it was changed after export.",
          exitCode: EXIT.bundleRefused,
        });
      }
      if (code !== 'BUNDLE_UNKNOWN_CARD') {
        const known = descriptorLookup(bundle.connectors);
        const unknown = bundle.flows.flatMap((f) => f.nodes.filter((n) => !known.has(n.type)).map((n) => n.type));
        if (unknown.length > 0) {
          problems.push({
            code: 'BUNDLE_UNKNOWN_CARD',
            message: `The bundle uses card types this build does not know: ${[...new Set(unknown)].join(', ')}.`,
            exitCode: EXIT.bundleRefused,
          });
        }
      }
    }
  }
  if (bundle) {
    // The same checks the designer shows on the canvas, so a flow saved with problems is caught here.
    const known = descriptorLookup(bundle.connectors);
    const flows = new Map(bundle.flows.map((f) => [f.id, f]));
    for (const flow of bundle.flows) {
      for (const problem of validateFlow(flow, {
        findDescriptor: (type) => known.get(type),
        findFlow: (id) => flows.get(id),
      })) {
        if (problem.code === 'UNKNOWN_CARD_TYPE') continue; // reported once above as BUNDLE_UNKNOWN_CARD
        problems.push({
          code: 'FLOW_INVALID',
          message: `Flow "${flow.name}": ${problem.message}`,
          exitCode: EXIT.usage,
        });
      }
    }
    const { missing } = resolveConnections(bundle.manifest.connections, connectorFinder([bundle]), lookup);
    for (const m of missing) {
      problems.push({
        code: 'CREDENTIAL_MISSING',
        message: `Set ${m.variable}: ${m.field} of connection "${m.connectionName}" (${m.connectionId}).`,
        exitCode: EXIT.missingCredentials,
        variables: [m.variable],
      });
    }
    for (const entry of bundle.manifest.entryFlows) {
      if (entry.trigger.kind !== 'webhook' || !needsSecret(entry.trigger)) continue;
      const variable = webhookSecretVariable(entry.trigger);
      if (lookup(variable) === undefined) {
        problems.push({
          code: 'WEBHOOK_SECRET_MISSING',
          message: `Set ${variable}: the ${entry.trigger.auth} secret of the webhook /hooks/${entry.trigger.path} (flow "${entry.name}"), needed by \`serve\`.`,
          exitCode: EXIT.missingCredentials,
          variables: [variable],
        });
      }
    }
  }
  const report: ValidationReport = {
    bundle: file,
    ok: problems.length === 0,
    name: bundle?.manifest.name ?? null,
    version: bundle?.manifest.version ?? null,
    signedBy,
    entryFlows: (bundle?.manifest.entryFlows ?? []).map((e) => ({ id: e.id, name: e.name, trigger: e.trigger.kind })),
    problems,
  };
  return report;
}

/** The most serious problem decides: bundle refused, then invalid input, then credentials. */
function exitFor(problems: ValidationProblemReport[]): ExitCode {
  const codes = new Set(problems.map((p) => p.exitCode));
  for (const code of [EXIT.bundleRefused, EXIT.usage, EXIT.missingCredentials, EXIT.runFailed]) {
    if (codes.has(code)) return code;
  }
  return EXIT.ok;
}

export function registerValidate(program: Command, context: CommandContext): void {
  const command = program
    .command('validate')
    .description('Check a bundle: format, signature, card types, and that every credential it needs is set.')
    .argument('<bundle>', 'the bundle file exported from Flowstead')
    .option('--json', 'print the report as JSON on stdout');
  commonBundleOptions(command);
  credentialOption(command);
  command.addHelpText(
    'after',
    '\nPrints every problem at once. Exit codes: 0 valid, 2 invalid file, 3 bundle refused, 4 missing credentials.',
  );
  command.action((file: string, options: ValidateOptions) => {
    const report = validateBundle(
      file,
      loadTrustedKeys(options.trustKey),
      options.allowUnsigned === true,
      credentialsFrom(options),
    );
    if (options.json) context.stdout(`${JSON.stringify(report, null, 2)}\n`);
    if (!options.json || !report.ok) {
      const lines = report.ok
        ? [`OK: ${report.name} ${report.version} (${report.signedBy ? `signed by ${report.signedBy}` : 'unsigned'})`]
        : [
            `${file}: ${report.problems.length} problem(s)`,
            ...report.problems.map((p) => `- [${p.code}] ${p.message}`),
          ];
      context.stderr(`${lines.join('\n')}\n`);
    }
    const exitCode = exitFor(report.problems);
    if (exitCode !== EXIT.ok)
      throw new RunnerExit(exitCode, 'BUNDLE_INVALID', 'The bundle did not validate.', { reported: true });
  });
}
