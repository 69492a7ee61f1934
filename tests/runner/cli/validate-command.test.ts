import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { card, flow, lit, tempDir } from '../../support/test-engine.js';
import { EXAMPLE_BUNDLE, EXAMPLE_KEY, jsonLines, runRunner, writeBundle } from './runner-process.js';

describe('flowstead-runner validate', () => {
  let server: http.Server;
  let bundle: { dir: string; bundleFile: string; keyFile: string };

  beforeAll(async () => {
    server = http.createServer((_request, response) => response.end('{}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    bundle = await writeBundle(async (workspace) => {
      const api = await workspace.connections.save({
        connector: 'http',
        name: 'Echo API',
        settings: { baseUrl: `http://127.0.0.1:${port}`, authScheme: 'bearer' },
        secrets: { secret: 'test-token-123' },
      });
      return [
        flow({
          id: 'call-api',
          name: 'Call API',
          trigger: { kind: 'webhook', path: 'hr/joiner', method: 'POST', auth: 'hmac', inputs: [] },
          nodes: [card('get', 'http.get', { connection: lit(api.id), path: lit('/users') })],
        }),
      ];
    });
  });
  afterAll(() => {
    server.close();
    fs.rmSync(bundle.dir, { recursive: true, force: true });
  });

  it('accepts the example bundle with its public key', async () => {
    const result = await runRunner(['validate', EXAMPLE_BUNDLE, '--trust-key', EXAMPLE_KEY, '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, name: 'Joiner example', problems: [] });
  });

  it('refuses the example bundle without its key (exit 3), and a tampered copy (exit 3)', async () => {
    const dir = tempDir('flowstead-runner-tamper-');
    const tampered = path.join(dir, 'tampered.bundle.json');
    const text = fs
      .readFileSync(EXAMPLE_BUNDLE, 'utf8')
      .replace('Welcome {{trigger.first}}', 'Hello {{trigger.first}}');
    fs.writeFileSync(tampered, text);
    const [untrusted, changed] = await Promise.all([
      runRunner(['validate', EXAMPLE_BUNDLE]),
      runRunner(['validate', tampered, '--trust-key', EXAMPLE_KEY, '--json']),
    ]);
    fs.rmSync(dir, { recursive: true, force: true });
    expect(untrusted.code).toBe(3);
    expect(untrusted.stderr).toContain('BUNDLE_UNTRUSTED_KEY');
    expect(changed.code).toBe(3);
    expect(JSON.parse(changed.stdout).problems.map((p: { code: string }) => p.code)).toEqual(['BUNDLE_TAMPERED']);
  });

  it('lists every missing credential by variable name (exit 4), and passes once they are set', async () => {
    const missing = await runRunner(['validate', bundle.bundleFile, '--trust-key', bundle.keyFile, '--json']);
    expect(missing.code).toBe(4);
    const report = JSON.parse(missing.stdout) as { problems: { code: string; variables: string[] }[] };
    expect(report.problems.flatMap((p) => p.variables)).toEqual([
      'FLOWSTEAD_CONN_ECHO_API_SECRET',
      'FLOWSTEAD_WEBHOOK_HR_JOINER_SECRET',
    ]);
    expect(missing.stderr).toContain('Set FLOWSTEAD_CONN_ECHO_API_SECRET');

    const secretsFile = path.join(bundle.dir, 'secrets.env');
    fs.writeFileSync(
      secretsFile,
      'FLOWSTEAD_CONN_ECHO_API_SECRET=abc\nexport FLOWSTEAD_WEBHOOK_HR_JOINER_SECRET="k"\n',
      {
        mode: 0o600,
      },
    );
    const openFile = path.join(bundle.dir, 'open-secrets.env');
    fs.copyFileSync(secretsFile, openFile);
    fs.chmodSync(openFile, 0o644);
    const withFile = (file: string) =>
      runRunner(['validate', bundle.bundleFile, '--trust-key', bundle.keyFile, '--secrets-file', file]);
    const [ok, open] = await Promise.all([withFile(secretsFile), withFile(openFile)]);
    expect(ok.code).toBe(0);
    expect(open.code).toBe(2);
    expect(jsonLines(open.stderr).at(-1)).toMatchObject({ error: { code: 'SECRETS_FILE_PERMISSIONS' } });
    expect(open.stderr).toContain(`chmod 600 ${openFile}`);
  });

  it('run refuses to start without the credentials, naming the variables (exit 4)', async () => {
    const result = await runRunner([
      'run',
      bundle.bundleFile,
      '--trust-key',
      bundle.keyFile,
      '--flow',
      'Call API',
      '--data-dir',
      path.join(bundle.dir, 'data'),
    ]);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('FLOWSTEAD_CONN_ECHO_API_SECRET');
    expect(fs.existsSync(path.join(bundle.dir, 'data'))).toBe(false);
  });

  it('reports a flow saved with problems, naming the flow and the card (exit 2)', async () => {
    const broken = await writeBundle(() => [
      flow({
        id: 'broken',
        name: 'Broken joiner',
        nodes: [card('done', 'control.return', { name: { kind: 'ref', node: 'nowhere', path: ['text'] } })],
      }),
    ]);
    try {
      const result = await runRunner(['validate', broken.bundleFile, '--trust-key', broken.keyFile, '--json']);
      expect(result.code).toBe(2);
      const report = JSON.parse(result.stdout) as { problems: { code: string; message: string }[] };
      expect(report.problems.map((p) => p.code)).toContain('FLOW_INVALID');
      expect(report.problems.find((p) => p.code === 'FLOW_INVALID')?.message).toContain('Flow "Broken joiner"');
      expect(report.problems.find((p) => p.code === 'FLOW_INVALID')?.message).toContain('nowhere');
    } finally {
      fs.rmSync(broken.dir, { recursive: true, force: true });
    }
  });
});
