// @ts-check
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';
import pluginVue from 'eslint-plugin-vue';

/**
 * Layering (see ARCHITECTURE.md): shared imports nothing of ours; engine imports shared;
 * main and runner import engine and shared; renderer and preload import shared only.
 * Each layer lists the folders and packages it must not reach.
 */
const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const nodeOnlyPackages = ['better-sqlite3', 'keytar', 'axios', 'electron', 'pino'];

/** @param {string[]} layers @param {string[]} packages */
function forbid(layers, packages, why) {
  return {
    'no-restricted-imports': [
      'error',
      {
        paths: packages.map((name) => ({ name, message: why })),
        patterns: layers.map((layer) => ({
          group: [`**/${layer}/**`, `**/${layer}`, `@${layer}/*`],
          message: `${why} (layering rule: see ARCHITECTURE.md)`,
        })),
      },
    ],
  };
}

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-output/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-eval': 'error',
      'no-new-func': 'error',
      'no-implied-eval': 'error',
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      // Prettier formats templates; these layout rules would fight it.
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
    },
  },
  {
    files: ['src/shared/**'],
    rules: forbid(
      ['engine', 'main', 'preload', 'renderer', 'runner'],
      [...nodeBuiltins, ...nodeOnlyPackages, 'vue', 'pinia'],
      'src/shared runs anywhere: it imports no other layer, no Node and no Electron',
    ),
  },
  {
    files: ['src/engine/**'],
    rules: forbid(
      ['main', 'preload', 'renderer', 'runner'],
      ['electron', 'vue', 'pinia'],
      'src/engine is headless Node: it imports only src/shared',
    ),
  },
  {
    files: ['src/main/**'],
    rules: forbid(['preload', 'renderer', 'runner'], ['vue', 'pinia'], 'src/main imports only engine and shared'),
  },
  {
    files: ['src/runner/**'],
    rules: forbid(
      ['main', 'preload', 'renderer'],
      ['electron', 'vue', 'pinia'],
      'src/runner imports only engine and shared',
    ),
  },
  {
    files: ['src/preload/**'],
    rules: forbid(
      ['engine', 'main', 'renderer', 'runner'],
      [...nodeBuiltins, ...nodeOnlyPackages.filter((p) => p !== 'electron')],
      'src/preload imports only shared and electron',
    ),
  },
  {
    files: ['src/renderer/**'],
    rules: forbid(
      ['engine', 'main', 'preload', 'runner'],
      [...nodeBuiltins, ...nodeOnlyPackages],
      'src/renderer talks to the back end only through the API contract in src/shared',
    ),
  },
);
