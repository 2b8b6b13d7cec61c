/** The public part of `sandbox/` (the sandbox every worktree process runs in), re-exported by the package root. */
export type { ConfinedCommand, Sandbox, SandboxCommand, SandboxContext } from './create-sandbox.js';
export { createSandbox } from './create-sandbox.js';
export { SandboxUnavailableError, sandboxOptOut } from './sandbox-error.js';
export type { SandboxOptions, SandboxSetting } from './sandbox-options.js';
export { defaultHiddenPaths } from './sandbox-options.js';
