import { ConfigurationError } from '../errors.js';

/** The opt-out named in every refusal, for library users and for the CLI. */
export const sandboxOptOut = "sandbox: 'off' (CLI: --unsafe-no-sandbox)";

/** The sandbox cannot start here; the run refuses to start rather than run code unconfined. */
export class SandboxUnavailableError extends ConfigurationError {
  constructor(reason: string, options: { cause?: unknown } = {}) {
    super(
      `The sandbox cannot start: ${reason}. Commands from the worktree would run with your full rights, ` +
        `so nothing was run; fix that, or opt out explicitly with ${sandboxOptOut}.`,
      { code: 'sandbox-unavailable', ...options },
    );
  }
}
