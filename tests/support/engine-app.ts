import fs from 'node:fs';
import path from 'node:path';
import { openEngine, type EngineApp } from '../../src/engine/app.js';
import { createMemorySecretStore, type SecretStore } from '../../src/engine/secrets/secret-store.js';
import type { ApiOutput } from '../../src/shared/api/contract.js';
import type { JsonValue } from '../../src/shared/flow/schema.js';
import { tempDir } from './test-engine.js';

/** The whole engine on a real SQLite file, as the desktop app and the runner open it. */
export async function openTestApp(options: { secrets?: SecretStore } = {}) {
  const dir = tempDir();
  const dbPath = path.join(dir, 'flowstead.db');
  const secrets = options.secrets ?? createMemorySecretStore();
  const engine: EngineApp = await openEngine({ dbPath, secrets });
  return {
    dir,
    dbPath,
    engine,
    secrets,
    handlers: engine.handlers,
    /** Starts a run and waits until it is no longer running. */
    async run(flowId: string, input: Record<string, JsonValue> = {}): Promise<ApiOutput<'runs.get'>> {
      const { runId } = await engine.handlers['runs.start']({ flowId, input });
      for (let i = 0; i < 3000; i++) {
        const run = await engine.handlers['runs.get']({ runId });
        if (run.status !== 'running' && run.status !== 'waiting') return run;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`run ${runId} did not finish`);
    },
    async close() {
      await engine.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
