import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { card, flow, ref } from '../../support/test-engine.js';
import { finished, listeningUrl, spawnRunner, writeBundle, type Finished } from './runner-process.js';

const BEARER = 'bearer-secret-for-tests-81c2';
const HMAC_KEY = 'hmac-key-for-tests-5d9e';
const OKTA = 'okta-authorization-value-77aa';

const echo = (id: string, trigger: Record<string, unknown>) =>
  flow({
    id,
    name: `Echo ${id}`,
    trigger: { ...trigger, inputs: [{ name: 'name', type: 'text', required: true }] } as never,
    nodes: [card('done', 'control.return', { greeting: ref('trigger', 'name') })],
  });

describe('flowstead-runner serve', () => {
  let bundle: { dir: string; bundleFile: string; keyFile: string };
  let child: ReturnType<typeof spawnRunner>;
  let exited: Promise<Finished>;
  let url: string;

  beforeAll(async () => {
    bundle = await writeBundle(() => [
      echo('joiner', { kind: 'webhook', path: 'hr/joiner', method: 'POST', auth: 'bearer' }),
      echo('mover', { kind: 'webhook', path: 'hr/mover', method: 'POST', auth: 'hmac' }),
      echo('okta', { kind: 'webhook', path: 'okta/events', method: 'POST', auth: 'oktaEventHook' }),
      flow({
        id: 'nightly',
        name: 'Nightly',
        trigger: { kind: 'schedule', cron: '0 3 * * *', timeZone: 'Europe/Paris', inputs: [] },
        nodes: [card('done', 'control.return', {})],
      }),
    ]);
    child = spawnRunner(
      [
        'serve',
        bundle.bundleFile,
        '--trust-key',
        bundle.keyFile,
        '--port',
        '0',
        '--data-dir',
        path.join(bundle.dir, 'data'),
      ],
      {
        env: {
          FLOWSTEAD_WEBHOOK_HR_JOINER_SECRET: BEARER,
          FLOWSTEAD_WEBHOOK_HR_MOVER_SECRET: HMAC_KEY,
          FLOWSTEAD_WEBHOOK_OKTA_EVENTS_SECRET: OKTA,
        },
      },
    );
    exited = finished(child);
    url = await listeningUrl(child);
  });
  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
    fs.rmSync(bundle.dir, { recursive: true, force: true });
  });

  it('answers /healthz with status, uptime and active runs', async () => {
    const response = await fetch(`${url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', activeRuns: 0, uptimeSeconds: expect.any(Number) });
  });

  it('runs a bearer webhook (202 with the run id, or the result with ?wait=true), refusing a wrong token', async () => {
    const post = (token: string, query = '') =>
      fetch(`${url}/hooks/hr/joiner${query}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'Ada' }),
      });
    const accepted = await post(BEARER);
    expect(accepted.status).toBe(202);
    expect(await accepted.json()).toMatchObject({ runId: expect.any(String) });
    const waited = await post(BEARER, '?wait=true');
    expect(waited.status).toBe(200);
    expect(await waited.json()).toMatchObject({ status: 'succeeded', output: { greeting: 'Ada' } });
    expect((await post('wrong')).status).toBe(401);
  });

  it('checks the HMAC-SHA256 signature of the raw body', async () => {
    const body = JSON.stringify({ name: 'Grace' });
    const send = (signature: string) =>
      fetch(`${url}/hooks/hr/mover?wait=1`, { method: 'POST', headers: { 'X-Flowstead-Signature': signature }, body });
    const good = await send(`sha256=${createHmac('sha256', HMAC_KEY).update(body).digest('hex')}`);
    expect(good.status).toBe(200);
    expect(await good.json()).toMatchObject({ output: { greeting: 'Grace' } });
    const bad = await send(`sha256=${createHmac('sha256', 'other key').update(body).digest('hex')}`);
    expect(bad.status).toBe(401);
  });

  it("answers Okta's one-time verification challenge", async () => {
    const response = await fetch(`${url}/hooks/okta/events`, {
      headers: { Authorization: OKTA, 'x-okta-verification-challenge': 'abc123' },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ verification: 'abc123' });
    const refused = await fetch(`${url}/hooks/okta/events`, { headers: { 'x-okta-verification-challenge': 'x' } });
    expect(refused.status).toBe(401);
  });

  it('exposes Prometheus metrics by flow and status', async () => {
    const response = await fetch(`${url}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toContain('# TYPE flowstead_runs_finished_total counter');
    expect(text).toMatch(/flowstead_runs_finished_total\{flow="Echo joiner",status="succeeded"\} 2/);
    expect(text).toContain('flowstead_active_runs 0');
    expect(text).toMatch(/flowstead_run_duration_seconds_count\{flow="Echo mover"\} 1/);
    expect(text).toContain('process_resident_memory_bytes');
  });

  it('serves the API contract with its token', async () => {
    const token = fs.readFileSync(path.join(bundle.dir, 'data', 'api-token'), 'utf8').trim();
    const response = await fetch(`${url}/api/flows.list`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
    });
    const result = (await response.json()) as { ok: boolean; value: { id: string }[] };
    expect(result.value.map((f) => f.id).sort()).toEqual(['joiner', 'mover', 'nightly', 'okta']);
    expect((await fetch(`${url}/api/flows.list`, { method: 'POST' })).status).toBe(401);
  });

  it('exits 0 on SIGTERM, never logging a secret', async () => {
    child.kill('SIGTERM');
    const result = await exited;
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('"msg":"stopped"');
    expect(result.stderr).toContain('"schedules":1');
    for (const secret of [BEARER, HMAC_KEY, OKTA]) expect(result.stderr).not.toContain(secret);
  });
});
