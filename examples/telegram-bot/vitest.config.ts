import { defineConfig } from 'vitest/config';
import { workspaceSourceAliases } from '../../vitest.shared.mjs';

export default defineConfig({
  resolve: { alias: workspaceSourceAliases() },
  test: {
    // The Agents SDK must never try to upload traces from a test.
    env: { OPENAI_AGENTS_DISABLE_TRACING: '1' },
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60000,
  },
});
