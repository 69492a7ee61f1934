import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEngine } from '../../../src/engine/app.js';
import { importBundle } from '../../../src/engine/bundles/import-bundle.js';
import { verifyBundle } from '../../../src/engine/bundles/signing.js';
import type { ApiHandlers } from '../../../src/shared/api/contract.js';
import { openWorkspace } from '../../fixtures/bundles/workspace.js';

const examples = path.resolve(import.meta.dirname, '../../../examples');

async function finished(api: ApiHandlers, runId: string) {
  for (let i = 0; i < 500; i++) {
    const run = await api['runs.get']({ runId });
    if (run.status !== 'running' && run.status !== 'waiting') return run;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`run ${runId} did not finish`);
}

describe('the example joiner bundle', () => {
  it('verifies with its public key, imports, and runs in a real engine', async () => {
    const text = fs.readFileSync(path.join(examples, 'joiner.bundle.json'), 'utf8');
    const publicKey = fs.readFileSync(path.join(examples, 'joiner.signing-key.pub.pem'), 'utf8');
    const { bundle, signedBy } = verifyBundle(text, { trustedKeys: [publicKey] });
    expect(signedBy).toMatch(/^[0-9a-f]{32}$/);
    expect(bundle.manifest.connections).toEqual([]);

    const workspace = openWorkspace();
    const summary = importBundle(workspace.targets, bundle);
    expect(summary.flows).toEqual(['joiner', 'make-login']);
    workspace.db.close();

    const engine = await openEngine({ dbPath: workspace.dbPath, secrets: workspace.secrets });
    try {
      const api = engine.handlers;
      const { runId } = await api['runs.start']({ flowId: 'joiner', input: { first: 'Ada', last: 'Lovelace' } });
      expect(await finished(api, runId)).toMatchObject({
        status: 'succeeded',
        output: { login: 'ada.lovelace', note: 'Welcome Ada! Your login is ada.lovelace@acme.example.' },
      });
    } finally {
      await engine.close();
      fs.rmSync(workspace.dir, { recursive: true, force: true });
    }
  });
});
