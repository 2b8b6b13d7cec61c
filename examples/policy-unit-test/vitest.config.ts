import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Run against the sources of the workspace packages, so the example needs no build step.
const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      {
        find: '@codex-orchestrator/core/testing',
        replacement: source('../../packages/core/src/testing/index.ts'),
      },
      { find: '@codex-orchestrator/core', replacement: source('../../packages/core/src/index.ts') },
      { find: '@codex-orchestrator/policy', replacement: source('../../packages/policy/src/index.ts') },
    ],
  },
  test: {
    // The Agents SDK must never try to upload traces from a test.
    env: { OPENAI_AGENTS_DISABLE_TRACING: '1' },
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60000,
  },
});
