/**
 * @codex-orchestrator/core/shared: the shared infrastructure every package uses, one helper per
 * job: the retry loop, the error message of a thrown value, the terminal-text sanitiser, the
 * push-to-iterate queue, the PATH lookup (see CONTRIBUTING.md). This subpath loads nothing else
 * (no Agents SDK), so a command line can use it at start-up.
 */
export type { AsyncQueue, AsyncQueueOptions } from './async-queue.js';
export { createAsyncQueue } from './async-queue.js';
export { errorMarkerPrefix, hasErrorMarker, markErrorClass } from './error-marker.js';
export { errorMessage } from './error-message.js';
export type { FindExecutableOptions } from './find-executable.js';
export { findExecutable } from './find-executable.js';
export type { BackoffOptions, RetryDecision, RetryNotice, RetryOptions } from './retry-with-backoff.js';
export { backoffDelay, retryWithBackoff, sleepUnlessAborted } from './retry-with-backoff.js';
export type { TerminalTextOptions } from './terminal-text.js';
export { sanitizeTerminalText, stringifyForTerminal, truncateText } from './terminal-text.js';
