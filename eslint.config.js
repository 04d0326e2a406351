// Lint rules that keep the architecture honest (see ../shared/ARCHITECTURE.md):
// the core layers are pure, so they may not import Node I/O modules, the store or the server.
import tseslint from 'typescript-eslint';

const nodeIo = ['fs', 'fs/promises', 'net', 'http', 'https', 'http2', 'child_process', 'dgram', 'cluster', 'worker_threads', 'readline', 'tls'];
const forbiddenIo = nodeIo.flatMap((m) => [`node:${m}`, m]);

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'web/dist/**', 'data/**', 'coverage/**', 'test-artifacts/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: [
      'src/lib/**/*.ts',
      'src/catalog/**/*.ts',
      'src/fleet/**/*.ts',
      'src/workload/**/*.ts',
      'src/perf/**/*.ts',
      'src/sched/**/*.ts',
      'src/sim/**/*.ts',
      'src/plan/**/*.ts',
    ],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: forbiddenIo.map((name) => ({ name, message: 'The core is pure: do I/O in services or the CLI and pass data in.' })),
          patterns: [
            { group: ['**/store/**', '**/store', '**/server/**', '**/server', '**/agent/**', '**/gateway/**', '**/cli/**'], message: 'Imports point down: the core may not import services or faces.' },
          ],
        },
      ],
    },
  },
);
