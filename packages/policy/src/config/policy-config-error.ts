/**
 * A policy config that cannot be used: a field has the wrong shape, a rule's own examples disagree
 * with it, an id is unknown. `field` is the path of the bad field (`rules[2].match.program`) and
 * `value` the offending value, so tools can point at it.
 */
export class PolicyConfigError extends Error {
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
