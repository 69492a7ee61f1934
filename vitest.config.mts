import { defineConfig } from 'vitest/config';
import vue from '@vitejs/plugin-vue';

// Projects: `unit` (Node: shared, engine, main, runner), `component` (Vue components in happy-dom),
// `keychain` (real Secret Service; run inside scripts/with-keychain.sh).
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
