// Shared by every package's vitest.config.ts: tests import the workspace packages from their
// sources, so a package can be tested without building its dependencies first (CI still builds
// everything, and typechecks against the built declarations).
import { fileURLToPath } from 'node:url';

const source = (path) => fileURLToPath(new URL(path, import.meta.url));

/** Aliases from each `@codex-orchestrator/*` import to its source entry (subpaths first). */
export function workspaceSourceAliases() {
  return [
    { find: '@codex-orchestrator/core/testing', replacement: source('./packages/core/src/testing/index.ts') },
    {
      find: '@codex-orchestrator/core/building-blocks',
      replacement: source('./packages/core/src/building-blocks.ts'),
    },
    { find: '@codex-orchestrator/core/shared', replacement: source('./packages/core/src/shared/index.ts') },
    { find: '@codex-orchestrator/core/service', replacement: source('./packages/core/src/service.ts') },
    { find: '@codex-orchestrator/core', replacement: source('./packages/core/src/index.ts') },
    {
      find: '@codex-orchestrator/adapter-telegram/testing',
      replacement: source('./packages/adapter-telegram/src/testing/index.ts'),
    },
    {
      find: '@codex-orchestrator/adapter-telegram',
      replacement: source('./packages/adapter-telegram/src/index.ts'),
    },
    {
      find: '@codex-orchestrator/adapter-github/testing',
      replacement: source('./packages/adapter-github/src/testing/index.ts'),
    },
    {
      find: '@codex-orchestrator/adapter-github',
      replacement: source('./packages/adapter-github/src/index.ts'),
    },
    {
      find: '@codex-orchestrator/adapter-linear/testing',
      replacement: source('./packages/adapter-linear/src/testing/index.ts'),
    },
    {
      find: '@codex-orchestrator/adapter-linear',
      replacement: source('./packages/adapter-linear/src/index.ts'),
    },
    { find: '@codex-orchestrator/policy', replacement: source('./packages/policy/src/index.ts') },
  ];
}
