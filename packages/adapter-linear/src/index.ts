/**
 * @codex-orchestrator/adapter-linear: take codex-orchestrator tasks from Linear issues and write
 * progress, results and state back to them.
 */
export {};
