import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisMissingReason, startRedis } from '../../support/redis.js';
import { card, flow, ref } from '../../support/test-engine.js';
import { finished, listeningUrl, spawnRunner, workerReady, writeBundle } from './runner-process.js';

const BEARER = 'queue-mode-bearer-3f1a';

// `serve --queue` only enqueues; `worker` processes sharing the data dir run the flows.
describe.skipIf(redisMissingReason !== undefined)('flowstead-runner in queue mode (real redis-server)', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let bundle: { dir: string; bundleFile: string; keyFile: string };
  const children: ReturnType<typeof spawnRunner>[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    bundle = await writeBundle(() => [
      flow({
        id: 'joiner',
        name: 'Queued joiner',
        trigger: {
          kind: 'webhook',
          path: 'hr/joiner',
          method: 'POST',
          auth: 'bearer',
          inputs: [{ name: 'name', type: 'text', required: true }],
        } as never,
        nodes: [card('done', 'control.return', { greeting: ref('trigger', 'name') })],
      }),
    ]);
  }, 30_000);
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await redis?.close();
    fs.rmSync(bundle.dir, { recursive: true, force: true });
  });

  it('enqueues webhook runs that two workers execute exactly once', async () => {
    const common = ['--trust-key', bundle.keyFile, '--data-dir', path.join(bundle.dir, 'data'), '--queue', redis.url];
    const env = { FLOWSTEAD_WEBHOOK_HR_JOINER_SECRET: BEARER };
    const server = spawnRunner(['serve', bundle.bundleFile, '--port', '0', ...common], { env });
    children.push(server);
    const url = await listeningUrl(server);
    const workers = [0, 1].map(() =>
      spawnRunner(['worker', bundle.bundleFile, '--concurrency', '4', ...common], { env }),
    );
    children.push(...workers);
    // Both take jobs before any is queued (a worker still starting would also die of the SIGTERM below).
    await Promise.all(workers.map((worker) => workerReady(worker)));

    const post = (name: string, query = '') =>
      fetch(`${url}/hooks/hr/joiner${query}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${BEARER}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name }),
      });
    const waited = await post('Ada', '?wait=true');
    expect(waited.status).toBe(200);
    expect(await waited.json()).toMatchObject({ output: { greeting: 'Ada' } });

    const accepted = await Promise.all(Array.from({ length: 20 }, (_, i) => post(`person ${i}`)));
    expect(accepted.map((r) => r.status)).toEqual(Array(20).fill(202));
    const ids = await Promise.all(accepted.map(async (r) => ((await r.json()) as { runId: string }).runId));

    const token = fs.readFileSync(path.join(bundle.dir, 'data', 'api-token'), 'utf8').trim();
    const list = async () =>
      (await (
        await fetch(`${url}/api/runs.list`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ limit: 100 }),
        })
      ).json()) as { ok: boolean; value: { id: string; status: string }[] };
    await expect
      .poll(async () => (await list()).value.filter((r) => ids.includes(r.id) && r.status === 'succeeded').length, {
        timeout: 30_000,
      })
      .toBe(20);
    const runs = (await list()).value;
    expect(runs).toHaveLength(21);
    expect(new Set(runs.map((r) => r.id)).size).toBe(21);

    for (const child of children) child.kill('SIGTERM');
    const exits = await Promise.all(children.map((child) => finished(child)));
    expect(exits.map((e) => e.code)).toEqual([0, 0, 0]);
  }, 90_000);
});
