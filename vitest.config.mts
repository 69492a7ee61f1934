import { defineConfig } from 'vitest/config';
import vue from '@vitejs/plugin-vue';

// Projects: `unit` (Node: shared, engine, main, runner), `component` (Vue components in happy-dom),
// `e2e` (real Chromium against the built renderer), `keychain` (real Secret Service; run inside
// scripts/with-keychain.sh).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['tests/{shared,engine,main,runner,tooling}/**/*.test.ts'],
          exclude: ['tests/**/*.keychain.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        plugins: [vue()],
        test: {
          name: 'component',
          environment: 'happy-dom',
          include: ['tests/renderer/**/*.test.ts'],
          // The first import of the whole designer (naive-ui, Vue Flow) is slow on a busy 2-core machine.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['tests/e2e/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // One browser at a time keeps runs deterministic on 2-core machines.
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'keychain',
          environment: 'node',
          include: ['tests/**/*.keychain.test.ts'],
          testTimeout: 20_000,
        },
      },
    ],
  },
});
