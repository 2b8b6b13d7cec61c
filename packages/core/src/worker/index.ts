/** The public part of `worker/` (the codex worker, its prompt templates and errors), re-exported by the package root. */
export type { CodexConfigValue } from './codex-argv.js';
export type { CodexCommandHandlerOptions } from './codex-command-handler.js';
export { createCodexCommandHandler } from './codex-command-handler.js';
export { CodexExecArgsError, CodexNotFoundError, CodexSandboxError } from './codex-errors.js';
export type { CodexExecRequest } from './codex-exec-args.js';
export type { CodexPromptInput, CodexTaskKind } from './codex-prompt.js';
export { buildCodexPrompt } from './codex-prompt.js';
export type { CodexWorkerOptions } from './codex-worker.js';
export { createCodexWorker } from './codex-worker.js';
export type { CodexBinary, ResolveCodexBinaryOptions } from './resolve-codex-binary.js';
export { resolveCodexBinary } from './resolve-codex-binary.js';
