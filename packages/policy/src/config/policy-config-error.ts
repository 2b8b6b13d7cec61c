/** Codes of `PolicyConfigError`. */
export type PolicyConfigErrorCode = 'policy-config-invalid';

// The keys of @codex-orchestrator/core's error markers, spelled out: this package does not depend
// on core, yet core's `OrchestratorError.isInstance` and `ConfigurationError.isInstance` hold for
// this error (a config to fix is a user error).
const orchestratorErrorMarker = Symbol.for('codex-orchestrator.error');
const configurationErrorMarker = Symbol.for('codex-orchestrator.error.ConfigurationError');
const policyConfigErrorMarker = Symbol.for('codex-orchestrator.error.PolicyConfigError');

/**
 * A policy config that cannot be used: a field has the wrong shape, a rule's own examples disagree
 * with it, an id is unknown. `field` is the path of the bad field (`rules[2].match.program`) and
 * `value` the offending value, so tools can point at it.
 */
export class PolicyConfigError extends Error {
  static {
    for (const marker of [orchestratorErrorMarker, configurationErrorMarker, policyConfigErrorMarker])
      Object.defineProperty(PolicyConfigError.prototype, marker, { value: true });
  }

  readonly code: PolicyConfigErrorCode = 'policy-config-invalid';
  readonly kind = 'user' as const;
  /** Path of the offending field, e.g. `rules[3].examples.match[0]`; empty for the whole config. */
  readonly field: string;
  /** The offending value as found in the config. */
  readonly value: unknown;
  /** Id of the rule the problem is in, when it is in one. */
  readonly ruleId: string | undefined;
  /** The config file, when the config was loaded from one. */
  readonly file: string | undefined;

  constructor(
    message: string,
    details: { field: string; value: unknown; ruleId?: string; file?: string; cause?: unknown },
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.field = details.field;
    this.value = details.value;
    this.ruleId = details.ruleId;
    this.file = details.file;
  }

  /** True for a `PolicyConfigError`, from this copy of the package or another one. */
  static isInstance(value: unknown): value is PolicyConfigError {
    return (
      value !== null &&
      typeof value === 'object' &&
      (value as Record<symbol, unknown>)[policyConfigErrorMarker] === true
    );
  }
}

/** Short, safe rendering of a config value for error messages. */
export function describeValue(value: unknown): string {
  let text: string;
  try {
    text = value === undefined ? 'undefined' : JSON.stringify(value);
  } catch {
    text = String(value);
  }
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
