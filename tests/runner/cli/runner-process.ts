import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createBundle } from '../../../src/engine/bundles/export-bundle.js';
import { serializeBundle } from '../../../src/engine/bundles/bundle-format.js';
import { signBundle } from '../../../src/engine/bundles/signing.js';
import type { FlowDocument } from '../../../src/shared/flow/schema.js';
import { openWorkspace } from '../../fixtures/bundles/workspace.js';
import { tempDir } from '../../support/test-engine.js';

export const ROOT = path.resolve(import.meta.dirname, '../../..');
export const EXAMPLE_BUNDLE = path.join(ROOT, 'examples/joiner.bundle.json');
export const EXAMPLE_KEY = path.join(ROOT, 'examples/joiner.signing-key.pub.pem');
const CLI = path.join(ROOT, 'src/runner/cli.ts');

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Environment without the parent's FLOWSTEAD_* variables, so tests see only what they set. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('FLOWSTEAD_')));
  return { ...env, FLOWSTEAD_LOG_LEVEL: 'info', ...extra };
}

/** Starts the real runner process: `node --import tsx src/runner/cli.ts …`. */
export function spawnRunner(args: string[], options: { env?: Record<string, string>; cwd?: string } = {}) {
  return spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: options.cwd ?? ROOT,
    env: cleanEnv(options.env ?? {}),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function finished(child: ChildProcess): Promise<Finished> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

export function runRunner(args: string[], options: { env?: Record<string, string>; cwd?: string } = {}) {
  return finished(spawnRunner(args, options));
}

/** The JSON lines of stderr (pino logs and the error object). */
export function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The first JSON log line on the child's stderr that `pick` turns into a value. */
function firstLogLine<T>(
  child: ChildProcess,
  pick: (line: Record<string, unknown>) => T | undefined,
  what: string,
  timeoutMs: number,
): Promise<T> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start: ${buffer}`)), timeoutMs);
    child.stderr!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (const line of jsonLines(buffer)) {
        const value = pick(line);
        if (value !== undefined) {
          clearTimeout(timer);
          resolve(value);
        }
      }
    });
    child.on('exit', () => reject(new Error(`${what} exited: ${buffer}`)));
  });
}

/** Waits for the `listening` log line of `serve` and returns the URL. */
export function listeningUrl(child: ChildProcess, timeoutMs = 15_000): Promise<string> {
  return firstLogLine(child, (line) => (typeof line['url'] === 'string' ? line['url'] : undefined), 'serve', timeoutMs);
}

/** Resolves once a `worker` process takes jobs (its signal handlers are in place from then on). */
export function workerReady(child: ChildProcess, timeoutMs = 30_000): Promise<true> {
  return firstLogLine(
    child,
    (line) => line['msg'] === 'worker waiting for queued runs' || undefined,
    'worker',
    timeoutMs,
  );
}

/** A signed bundle written to a temp folder, with the public key beside it. */
export async function writeBundle(
  seed: (workspace: ReturnType<typeof openWorkspace>) => Promise<FlowDocument[]> | FlowDocument[],
): Promise<{ dir: string; bundleFile: string; keyFile: string }> {
  const workspace = openWorkspace();
  try {
    const flows = await seed(workspace);
    for (const flow of flows) workspace.flows.save({ flow });
    const bundle = createBundle(workspace.sources, {
      flowIds: flows.map((f) => f.id),
      name: 'Runner test',
      version: '1.0.0',
    });
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const dir = tempDir('flowstead-runner-cli-');
    const bundleFile = path.join(dir, 'test.bundle.json');
    const keyFile = path.join(dir, 'test.pub.pem');
    fs.writeFileSync(bundleFile, serializeBundle(signBundle(bundle, privateKey)));
    fs.writeFileSync(keyFile, publicKey.export({ type: 'spki', format: 'pem' }).toString());
    return { dir, bundleFile, keyFile };
  } finally {
    workspace.close();
  }
}
