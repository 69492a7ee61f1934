#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so `npx flowstead-runner` works from a clone
// after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/runner/cli.ts');
await runCli(process.argv.slice(2));
