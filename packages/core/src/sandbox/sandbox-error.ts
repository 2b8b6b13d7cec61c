import { ConfigurationError } from '../errors.js';
import { errorMarkerPrefix, hasErrorMarker, markErrorClass } from '../shared/error-marker.js';

/** The opt-out named in every refusal, for library users and for the CLI. */
export const sandboxOptOut = "sandbox: 'off' (CLI: --unsafe-no-sandbox)";

const marker = Symbol.for(`${errorMarkerPrefix}.SandboxUnavailableError`);

/** The sandbox cannot start here; the run refuses to start rather than run code unconfined. */
export class SandboxUnavailableError extends ConfigurationError<'sandbox-unavailable'> {
  static {
    markErrorClass(SandboxUnavailableError, marker);
  }

  constructor(reason: string, options: { cause?: unknown } = {}) {
    super(
      `The sandbox cannot start: ${reason}. Commands from the worktree would run with your full rights, ` +
        `so nothing was run; fix that, or opt out explicitly with ${sandboxOptOut}.`,
      { code: 'sandbox-unavailable', ...options },
    );
  }

  /** True for a `SandboxUnavailableError` from any copy of the package. */
  static override isInstance(value: unknown): value is SandboxUnavailableError {
    return hasErrorMarker(value, marker);
  }
}
