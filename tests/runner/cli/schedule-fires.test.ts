import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { card, flow, lit } from '../../support/test-engine.js';
import { finished, listeningUrl, spawnRunner, writeBundle } from './runner-process.js';

describe('flowstead-runner serve schedules', () => {
  let bundle: { dir: string; bundleFile: string; keyFile: string } | undefined;
  afterAll(() => {
    if (bundle) fs.rmSync(bundle.dir, { recursive: true, force: true });
  });

  it('starts a scheduled flow when its cron fires, in the trigger’s time zone', async () => {
    bundle = await writeBundle(() => [
      flow({
        id: 'tick',
        name: 'Every second',
        // croner reads a sixth, leading field as seconds.
        trigger: { kind: 'schedule', cron: '* * * * * *', timeZone: 'Pacific/Auckland', inputs: [] },
        nodes: [card('done', 'control.return', { ok: lit(true) })],
      }),
    ]);
    const dataDir = path.join(bundle.dir, 'data');
    const child = spawnRunner([
      'serve',
      bundle.bundleFile,
      '--trust-key',
      bundle.keyFile,
      '--port',
      '0',
      '--data-dir',
      dataDir,
    ]);
    const exited = finished(child);
    try {
      const url = await listeningUrl(child);
      const token = fs.readFileSync(path.join(dataDir, 'api-token'), 'utf8').trim();
      const runs = async () =>
        (
          (await (
            await fetch(`${url}/api/runs.list`, {
              method: 'POST',
              headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
              body: JSON.stringify({ flowId: 'tick' }),
            })
          ).json()) as { value: { status: string; triggerKind: string }[] }
        ).value;
      await expect
        .poll(async () => (await runs()).filter((r) => r.status === 'succeeded').length, { timeout: 10_000 })
        .toBeGreaterThanOrEqual(2);
      expect((await runs())[0]?.triggerKind).toBe('schedule');
    } finally {
      child.kill('SIGTERM');
    }
    const result = await exited;
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('scheduled run started');
  }, 40_000);
});
