/**
 * @codex-orchestrator/core/shared: small building blocks that core and its adapters share, so
 * each exists once (see CONTRIBUTING.md). Not part of the orchestrator's API proper: adapters and
 * advanced integrations use them; applications usually do not need them.
 */
export type { AsyncQueue, AsyncQueueOptions } from './async-queue.js';
export { createAsyncQueue } from './async-queue.js';
export type { FindExecutableOptions } from './find-executable.js';
export { findExecutable } from './find-executable.js';
