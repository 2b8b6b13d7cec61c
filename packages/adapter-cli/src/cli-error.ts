import { ExitCode, type ExitCodeValue } from './exit-codes.js';

/**
 * An error the CLI reports as one line (no stack trace): bad arguments, a bad config file, or an
 * environment the user has to fix. The message names the offending value and the fix.
 *
 * It does not extend core's `OrchestratorError` on purpose: importing core costs a few hundred
 * milliseconds, and `--help` must stay fast. It carries the same `code` and `kind` fields, and
 * errors from core with `kind: 'user'` are reported the same way.
 */
export class CliError extends Error {
  readonly code: string;
  readonly kind = 'user' as const;
  readonly exitCode: ExitCodeValue;

  constructor(message: string, options: { code: string; exitCode?: ExitCodeValue; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.exitCode = options.exitCode ?? ExitCode.usage;
  }
}

/** True for errors that are the user's to fix (ours, or core's `ConfigurationError`). */
export function isUserError(error: unknown): error is Error & { code?: string } {
  return error instanceof Error && (error as { kind?: unknown }).kind === 'user';
}
