import { ExitCode, type ExitCodeValue } from './exit-codes.js';

/** Codes of `CliError`: which input or part of the environment the user has to fix. */
export type CliErrorCode =
  | 'api-key-missing'
  | 'approve-needs-tty'
  | 'bad-argument'
  | 'base-dir-invalid'
  | 'base-dir-missing'
  | 'codex-broken'
  | 'codex-missing'
  | 'codex-unreachable'
  | 'config-invalid'
  | 'demo-dir-invalid'
  | 'endpoint-unauthorized'
  | 'endpoint-unreachable'
  | 'git-identity-missing'
  | 'git-missing'
  | 'main-dirty'
  | 'main-not-ready'
  | 'policy-invalid'
  | 'task-missing'
  | 'unknown-command';

// The keys of core's error markers (`errors.ts` and `shared/error-marker.ts` in
// @codex-orchestrator/core), spelled out here so that this file imports nothing from core.
const orchestratorErrorMarker = Symbol.for('codex-orchestrator.error');
const configurationErrorMarker = Symbol.for('codex-orchestrator.error.ConfigurationError');
const cliErrorMarker = Symbol.for('codex-orchestrator.error.CliError');

/**
 * An error the CLI reports as one line (no stack trace): bad arguments, a bad config file, or an
 * environment the user has to fix. The message names the offending value and the fix.
 *
 * It does not extend core's `OrchestratorError`: importing core costs a few hundred milliseconds,
 * and `--help` must stay fast. It joins core's hierarchy by its markers instead: core's
 * `OrchestratorError.isInstance` and `ConfigurationError.isInstance` are true for it, and it has
 * the same `code` and `kind` fields.
 */
export class CliError extends Error {
  static {
    for (const marker of [orchestratorErrorMarker, configurationErrorMarker, cliErrorMarker])
      Object.defineProperty(CliError.prototype, marker, { value: true });
  }

  readonly code: CliErrorCode;
  readonly kind = 'user' as const;
  readonly exitCode: ExitCodeValue;

  constructor(message: string, options: { code: CliErrorCode; exitCode?: ExitCodeValue; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.exitCode = options.exitCode ?? ExitCode.usage;
  }

  /** True for a `CliError`, from this copy of the package or another one. */
  static isInstance(value: unknown): value is CliError {
    return (
      value !== null &&
      typeof value === 'object' &&
      (value as Record<symbol, unknown>)[cliErrorMarker] === true
    );
  }
}

/** True for errors that are the user's to fix (ours, or core's `ConfigurationError`). */
export function isUserError(error: unknown): error is Error & { code?: string } {
  return error instanceof Error && (error as { kind?: unknown }).kind === 'user';
}
