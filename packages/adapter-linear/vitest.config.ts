import { defineConfig } from 'vitest/config';
import { workspaceSourceAliases } from '../../vitest.shared.mjs';

export default defineConfig({
  resolve: { alias: workspaceSourceAliases() },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120000,
    hookTimeout: 60000,
  },
});
