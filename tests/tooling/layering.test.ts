import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The layering rule lives in eslint.config.mjs; these cases prove it fails imports against the grain.
const root = path.resolve(__dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function layeringErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layering rule', () => {
  it('stops shared code from importing the engine, Node or Electron', async () => {
    expect(
      await layeringErrors(
        'src/shared/probe.ts',
        "import { Executor } from '../engine/executor/executor.js';\nexport const x = Executor;\n",
      ),
    ).toHaveLength(1);
    expect(
      await layeringErrors('src/shared/probe.ts', "import fs from 'node:fs';\nexport const x = fs;\n"),
    ).toHaveLength(1);
    expect(
      await layeringErrors('src/shared/probe.ts', "import { app } from 'electron';\nexport const x = app;\n"),
    ).toHaveLength(1);
  });

  it('stops the renderer from importing the engine or main, and the engine from importing electron', async () => {
    expect(
      await layeringErrors(
        'src/renderer/src/probe.ts',
        "import { openEngine } from '../../engine/app.js';\nexport const x = openEngine;\n",
      ),
    ).toHaveLength(1);
    expect(
      await layeringErrors(
        'src/renderer/src/probe.ts',
        "import Database from 'better-sqlite3';\nexport const x = Database;\n",
      ),
    ).toHaveLength(1);
    expect(
      await layeringErrors('src/engine/probe.ts', "import { app } from 'electron';\nexport const x = app;\n"),
    ).toHaveLength(1);
    expect(
      await layeringErrors(
        'src/engine/probe.ts',
        "import { bindApi } from '../main/ipc.js';\nexport const x = bindApi;\n",
      ),
    ).toHaveLength(1);
  });

  it('allows imports along the grain', async () => {
    expect(
      await layeringErrors(
        'src/engine/probe.ts',
        "import { FlowsteadError } from '../shared/errors.js';\nexport const x = FlowsteadError;\n",
      ),
    ).toEqual([]);
    expect(
      await layeringErrors(
        'src/main/probe.ts',
        "import { openEngine } from '../engine/app.js';\nexport const x = openEngine;\n",
      ),
    ).toEqual([]);
    expect(
      await layeringErrors(
        'src/renderer/src/probe.ts',
        "import type { ApiClient } from '../../shared/api/contract.js';\nexport type X = ApiClient;\n",
      ),
    ).toEqual([]);
  });
});
