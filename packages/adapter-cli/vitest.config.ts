import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests run against the sources of sibling packages, so a package can be tested without building
// its dependencies first (CI still builds everything).
const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: '@codex-orchestrator/core/testing', replacement: source('../core/src/testing/index.ts') },
      { find: '@codex-orchestrator/core', replacement: source('../core/src/index.ts') },
      { find: '@codex-orchestrator/policy', replacement: source('../policy/src/index.ts') },
    ],
  },
  test: {
    // The Agents SDK must never try to upload traces from a test.
    env: { OPENAI_AGENTS_DISABLE_TRACING: '1' },
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120000,
    hookTimeout: 60000,
  },
});
