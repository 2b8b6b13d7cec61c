/** Limits on what the engine will even try to parse. */
export interface InputLimits {
  /** Largest command accepted, in UTF-8 bytes (at most 64 KiB). */
  maxInputBytes: number;
  /** Deepest nesting of substitutions, `bash -c` strings and compound commands. */
  maxDepth: number;
  /** Most simple commands one script may contain. */
  maxCommands: number;
}

/** The limits used when a config does not set them. */
export const defaultInputLimits: InputLimits = { maxInputBytes: 65536, maxDepth: 32, maxCommands: 1000 };

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `command` is refused before parsing, or undefined when it may be parsed. */
export function findInputProblem(command: unknown, limits: InputLimits): string | undefined {
  if (typeof command !== 'string') return `the command must be a string, got ${typeof command}`;
  // A printable ASCII first character settles it; otherwise ask the regex (Unicode spaces count).
  const first = command.charCodeAt(0);
  if (!(first > 32 && first < 127) && !/\S/.test(command)) return 'the command is empty';
  // Only long strings can exceed the limit; UTF-8 needs at most 3 bytes per UTF-16 code unit.
  if (command.length * 3 > limits.maxInputBytes) {
    const bytes = Buffer.byteLength(command, 'utf8');
    if (bytes > limits.maxInputBytes) {
      return `the command is ${bytes} bytes, over the ${limits.maxInputBytes}-byte limit`;
    }
  }
  if (command.includes('\u0000'))
    return 'the command contains a NUL byte, which bash cannot pass to a program';
  const wellFormed = (command as { isWellFormed?: () => boolean }).isWellFormed;
  if (wellFormed ? !wellFormed.call(command) : LONE_SURROGATE.test(command))
    return 'the command contains a lone UTF-16 surrogate (not valid text)';
  return undefined;
}
