/** Typed errors of the Codex worker and of the `codex exec` command translation. */
import { ConfigurationError } from '../errors.js';

/** The Codex CLI binary could not be found. The message names the install command. */
export class CodexNotFoundError extends ConfigurationError {
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
}

/** A `codex exec` command uses a flag or form the orchestrator does not run. */
export class CodexExecArgsError extends ConfigurationError {
  /** The offending flag or argument. */
  readonly flag: string;

  constructor(message: string, flag: string) {
    super(message, { code: 'codex-args-unsupported' });
    this.flag = flag;
  }
}

/** A worker request asked for a sandbox more permissive than the worker allows. */
export class CodexSandboxError extends ConfigurationError {
  constructor(message: string) {
    super(message, { code: 'codex-sandbox-not-allowed' });
  }
}
