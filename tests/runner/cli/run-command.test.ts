import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../../src/engine/app.js';
import { importBundle } from '../../../src/engine/bundles/import-bundle.js';
import { verifyBundle } from '../../../src/engine/bundles/signing.js';
import { openWorkspace } from '../../fixtures/bundles/workspace.js';
import { card, flow, lit, ref, tempDir } from '../../support/test-engine.js';
import { EXAMPLE_BUNDLE, EXAMPLE_KEY, jsonLines, runRunner, writeBundle } from './runner-process.js';

const INPUT = { first: 'Ada', last: 'Lovelace', department: 'ENG' };

/** The same flow and input, run by the engine directly: what the runner must print. */
async function engineOutput(): Promise<unknown> {
  const { bundle } = verifyBundle(fs.readFileSync(EXAMPLE_BUNDLE, 'utf8'), {
    trustedKeys: [fs.readFileSync(EXAMPLE_KEY, 'utf8')],
  });
  const workspace = openWorkspace();
  importBundle(workspace.targets, bundle);
  workspace.db.close();
  const engine = await openEngine({ dbPath: workspace.dbPath, secrets: workspace.secrets });
  try {
    const { runId } = await engine.handlers['runs.start']({ flowId: 'joiner', input: INPUT });
    await engine.services.executor.whenDone(runId);
    return (await engine.handlers['runs.get']({ runId })).output;
  } finally {
    await engine.close();
    fs.rmSync(workspace.dir, { recursive: true, force: true });
  }
}

describe('flowstead-runner run and history', () => {
  const dir = tempDir('flowstead-runner-run-');
  const dataDir = path.join(dir, 'data');
  const common = ['--trust-key', EXAMPLE_KEY, '--data-dir', dataDir];
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints the run output as JSON, the same as the engine gives for the same input', async () => {
    const inputFile = path.join(dir, 'input.json');
    fs.writeFileSync(inputFile, JSON.stringify(INPUT));
    const [result, expected] = await Promise.all([
      runRunner(['run', EXAMPLE_BUNDLE, '--flow', 'Joiner welcome', '--input', `@${inputFile}`, ...common]),
      engineOutput(),
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(expected);
    expect(expected).toMatchObject({ login: 'ada.lovelace' });
    const finished = jsonLines(result.stderr).find((line) => line['msg'] === 'run finished');
    expect(finished).toMatchObject({ flow: 'Joiner welcome', status: 'succeeded' });
    expect(finished?.['runId']).toEqual(expect.any(String));
  });

  it('runs once per CSV row and prints every row as a JSON line; a failed row exits 1', async () => {
    const csv = path.join(dir, 'people.csv');
    fs.writeFileSync(csv, 'first,last\nAda,Lovelace\nGrace,Hopper\n,Nobody\n');
    const result = await runRunner(['run', EXAMPLE_BUNDLE, '--flow', 'joiner', '--rows', csv, ...common]);
    expect(result.code).toBe(1);
    const rows = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(rows.map((r) => [r.row, r.status, r.output?.login ?? null])).toEqual([
      [1, 'ok', 'ada.lovelace'],
      [2, 'ok', 'grace.hopper'],
      [3, 'error', null],
    ]);
    expect(jsonLines(result.stderr).some((l) => l['msg'] === 'bulk progress' && l['total'] === 3)).toBe(true);
  });

  it('lists runs and shows one with its steps', async () => {
    const list = await runRunner(['history', '--flow', 'Joiner welcome', '--json', '--data-dir', dataDir]);
    expect(list.code).toBe(0);
    const runs = JSON.parse(list.stdout) as { id: string; flowName: string; status: string }[];
    expect(runs.length).toBeGreaterThanOrEqual(1);
    expect(runs[0]).toMatchObject({ flowName: 'Joiner welcome', status: 'succeeded' });

    const [show, table] = await Promise.all([
      runRunner(['history', 'show', runs[0]!.id, '--data-dir', dataDir]),
      runRunner(['history', '--data-dir', dataDir]),
    ]);
    expect(show.code).toBe(0);
    const detail = JSON.parse(show.stdout);
    expect(detail.run).toMatchObject({ id: runs[0]!.id, status: 'succeeded' });
    expect(detail.steps.map((s: { nodeId: string }) => s.nodeId)).toContain('note1');
    expect(table.stdout).toMatch(/^RUN\s+FLOW\s+STATUS/);
  });
});

describe('flowstead-runner run with a connection', () => {
  let server: http.Server;
  const seen: string[] = [];
  let bundle: { dir: string; bundleFile: string; keyFile: string };

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      seen.push(request.headers.authorization ?? '');
      response.setHeader('Content-Type', 'application/json');
      response.end(JSON.stringify({ users: ['ada'] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    bundle = await writeBundle(async (workspace) => {
      const api = await workspace.connections.save({
        connector: 'http',
        name: 'Echo API',
        settings: { baseUrl: `http://127.0.0.1:${port}`, authScheme: 'bearer' },
        secrets: { secret: 'desktop-token-never-exported' },
      });
      return [
        flow({
          id: 'list-users',
          name: 'List users',
          nodes: [
            card('get', 'http.get', { connection: lit(api.id), path: lit('/users') }),
            card('done', 'control.return', { body: ref('get', 'body') }),
          ],
        }),
      ];
    });
  });
  afterAll(() => {
    server.close();
    fs.rmSync(bundle.dir, { recursive: true, force: true });
  });

  it('reads the secret from the environment, never logs it, and calls the API with it', async () => {
    const secret = 'server-token-from-env-4f1d';
    const result = await runRunner(
      [
        'run',
        bundle.bundleFile,
        '--trust-key',
        bundle.keyFile,
        '--flow',
        'List users',
        '--data-dir',
        path.join(bundle.dir, 'data'),
      ],
      { env: { FLOWSTEAD_CONN_ECHO_API_SECRET: secret } },
    );
    expect(result.stderr).not.toContain(secret);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ body: { users: ['ada'] } });
    expect(seen).toEqual([`Bearer ${secret}`]);
  });
});
