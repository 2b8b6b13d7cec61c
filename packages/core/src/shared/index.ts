/**
 * @codex-orchestrator/core/shared: the shared infrastructure every package uses, one helper per
 * job: the retry loop, the error message of a thrown value, the terminal-text sanitiser. This
 * subpath loads nothing else (no Agents SDK), so a command line can use it at start-up.
 */
export { errorMessage } from './error-message.js';
export type { BackoffOptions, RetryDecision, RetryNotice, RetryOptions } from './retry-with-backoff.js';
export { backoffDelay, retryWithBackoff, sleepUnlessAborted } from './retry-with-backoff.js';
export type { TerminalTextOptions } from './terminal-text.js';
export { sanitizeTerminalText, stringifyForTerminal, truncateText } from './terminal-text.js';
