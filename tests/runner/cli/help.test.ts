import { describe, expect, it } from 'vitest';
import { EXAMPLE_BUNDLE, runRunner } from './runner-process.js';

describe('flowstead-runner --help', () => {
  const helpOf = async (commands: string[][]) => {
    const results = await Promise.all(commands.map((args) => runRunner([...args, '--help'])));
    for (const result of results) {
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^Usage: flowstead-runner/);
    }
    return results.map((r) => r.stdout);
  };

  it('describes the runner, validate and run with their exit codes', async () => {
    const [top, validate, run] = await helpOf([[], ['validate'], ['run']]);
    expect(top).toContain('4  missing credentials');
    expect(validate).toContain('3 bundle refused');
    expect(run).toContain('--rows <file.csv>');
  });

  it('describes serve, worker, history and history show', async () => {
    const [serve, worker, history, show] = await helpOf([['serve'], ['worker'], ['history'], ['history', 'show']]);
    expect(serve).toContain('FLOWSTEAD_WEBHOOK_<PATH>_SECRET');
    expect(worker).toContain('--concurrency <n>');
    expect(history).toContain('--status <status>');
    expect(show).toContain('<run-id>');
  });

  it('exits 2 on a usage error', async () => {
    const result = await runRunner(['run', EXAMPLE_BUNDLE]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("required option '--flow <name-or-id>'");
  });
});
