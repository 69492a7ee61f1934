/**
 * npm run bench: runs every benchmark case in its own process (so peak RSS is per case),
 * prints each JSON line as it arrives, then a readable table.
 *
 * Each script is first compiled with esbuild the way electron-vite compiles the app's main process
 * (TypeScript stripped, no name-keeping wrappers), so the figures are those of the code the desktop
 * app runs; dependencies stay in node_modules. The compiled files go to test-output/bench-compiled.
 * BENCH_TSX=1 runs the sources through tsx instead.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { BenchLine } from './report.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv[2];
const throughTsx = process.env['BENCH_TSX'] === '1';
// Two levels below the repository, like the sources, so paths built from import.meta.dirname still hold.
const compiledDir = path.resolve(here, '../test-output/bench-compiled');
fs.rmSync(compiledDir, { recursive: true, force: true });

/** The command line that runs one bench script. */
async function commandFor(script: string): Promise<string[]> {
  if (throughTsx) return ['--import', 'tsx', path.join(here, script)];
  const outfile = path.join(compiledDir, script.replace(/\.ts$/, '.mjs'));
  if (!fs.existsSync(outfile)) {
    await build({
      entryPoints: [path.join(here, script)],
      outfile,
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'error',
    });
  }
  return [outfile];
}

const cases: { name: string; script: string; args: string[] }[] = [
  { name: 'executor.steps10.none', script: 'executor-steps10.ts', args: ['none'] },
  { name: 'executor.steps10.metadata', script: 'executor-steps10.ts', args: ['metadata'] },
  { name: 'executor.steps10.full', script: 'executor-steps10.ts', args: ['full'] },
  { name: 'identity.emails100k', script: 'identity-emails100k.ts', args: ['wholeList'] },
  { name: 'identity.emails100k.perRow', script: 'identity-emails100k.ts', args: ['perRow'] },
  { name: 'identity.emails100k.perRow.claimTable', script: 'identity-emails100k.ts', args: ['perRowClaims'] },
  { name: 'identity.emails100k.unindexed', script: 'identity-emails100k.ts', args: ['unindexed'] },
  { name: 'canvas', script: 'canvas.ts', args: [] },
];

const lines: BenchLine[] = [];
for (const c of cases.filter((c) => !only || c.name.startsWith(only))) {
  const result = spawnSync(process.execPath, [...(await commandFor(c.script)), ...c.args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (result.status !== 0) {
    process.stderr.write(`${c.name} failed with exit code ${result.status}\n`);
    process.exitCode = 1;
    continue;
  }
  for (const text of result.stdout.split('\n').filter((l) => l.startsWith('{'))) {
    process.stdout.write(`${text}\n`);
    lines.push(JSON.parse(text) as BenchLine);
  }
}

const rows = lines.map((l) => [
  l.name,
  `${l.value} ${l.unit}`,
  l.baseline === null ? '-' : `${l.baseline} ${l.unit}`,
  l.ratio === null ? '-' : `${l.ratio}x`,
  `${l.peakRssMb ?? '-'} MB`,
]);
const header = ['benchmark', 'value', 'plain JS', 'ratio', 'peak RSS'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const fmt = (r: string[]) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ');
process.stdout.write(`\n${fmt(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(fmt).join('\n')}\n`);
