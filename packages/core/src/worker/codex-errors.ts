/** Typed errors of the Codex worker and of the `codex exec` command translation. */
import { ConfigurationError } from '../errors.js';
import { errorMarkerPrefix, hasErrorMarker, markErrorClass } from '../shared/error-marker.js';

const notFoundMarker = Symbol.for(`${errorMarkerPrefix}.CodexNotFoundError`);

/** The Codex CLI binary could not be found. The message names the install command. */
export class CodexNotFoundError extends ConfigurationError<'codex-not-found'> {
  static {
    markErrorClass(CodexNotFoundError, notFoundMarker);
  }
  /** Where the worker looked, in order. */
  readonly searched: string[];

  constructor(searched: string[], options: { cause?: unknown } = {}) {
    super(
      `The Codex CLI was not found (looked in: ${searched.join('; ')}). Install it in your project with ` +
        '`npm install -D @openai/codex`, or pass the path of the binary as createCodexWorker({ codexPath }).',
      { code: 'codex-not-found', cause: options.cause },
    );
    this.searched = searched;
  }

  /** True for a `CodexNotFoundError` from any copy of the package. */
  static override isInstance(value: unknown): value is CodexNotFoundError {
    return hasErrorMarker(value, notFoundMarker);
  }
}

const argsMarker = Symbol.for(`${errorMarkerPrefix}.CodexExecArgsError`);

/** A `codex exec` command uses a flag or form the orchestrator does not run. */
export class CodexExecArgsError extends ConfigurationError<'codex-args-unsupported'> {
  static {
    markErrorClass(CodexExecArgsError, argsMarker);
  }
  /** The offending flag or argument. */
  readonly flag: string;

  constructor(message: string, flag: string) {
    super(message, { code: 'codex-args-unsupported' });
    this.flag = flag;
  }

  /** True for a `CodexExecArgsError` from any copy of the package. */
  static override isInstance(value: unknown): value is CodexExecArgsError {
    return hasErrorMarker(value, argsMarker);
  }
}

const sandboxMarker = Symbol.for(`${errorMarkerPrefix}.CodexSandboxError`);

/** A worker request asked for a sandbox more permissive than the worker allows. */
export class CodexSandboxError extends ConfigurationError<'codex-sandbox-not-allowed'> {
  static {
    markErrorClass(CodexSandboxError, sandboxMarker);
  }

  constructor(message: string) {
    super(message, { code: 'codex-sandbox-not-allowed' });
  }

  /** True for a `CodexSandboxError` from any copy of the package. */
  static override isInstance(value: unknown): value is CodexSandboxError {
    return hasErrorMarker(value, sandboxMarker);
  }
}
