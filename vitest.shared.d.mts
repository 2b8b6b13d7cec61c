/** Aliases from each `@codex-orchestrator/*` import to its source entry (subpaths first). */
export function workspaceSourceAliases(): { find: string; replacement: string }[];
