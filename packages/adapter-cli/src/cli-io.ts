/** A stream the CLI writes to: `process.stdout`, or a string collector in tests. */
export interface CliOutput {
  write(chunk: string): unknown;
  /** True when this is an interactive terminal (enables the live view). */
  isTTY?: boolean;
  /** Terminal width, used to cut long lines in the live view. */
  columns?: number;
}

/** A stream the CLI reads from (the task on stdin, merge approval answers). */
export type CliInput = NodeJS.ReadableStream & { isTTY?: boolean };

/**
 * Everything `runCli` touches outside itself, so tests and embedders can run it in-process.
 * Omitted fields fall back to the current process.
 */
export interface CliIo {
  stdout: CliOutput;
  stderr: CliOutput;
  /** Where the task (`-` or piped) and merge approval answers come from (default `process.stdin`). */
  stdin?: CliInput;
  /** True when stdin is a pipe or a file with a task in it (the bin computes it with fstat). */
  stdinIsPiped?: boolean;
  /** Environment variables (defaults to `process.env`). */
  env?: Record<string, string | undefined>;
  /** Working directory for relative paths (defaults to `process.cwd()`). */
  cwd?: string;
  /** Aborting it cancels the running command gracefully, as a first Ctrl-C would. */
  signal?: AbortSignal;
  /**
   * Install SIGINT/SIGTERM handlers on the process (the bin does): the first Ctrl-C cancels the
   * run gracefully, the second exits at once with 130.
   */
  handleSignals?: boolean;
}

/** `CliIo` with every default filled in. */
export interface ResolvedCliIo extends CliIo {
  env: Record<string, string | undefined>;
  cwd: string;
}

/**
 * Fills the defaults of a partial `CliIo` from the current process. `stdin` stays a lazy getter:
 * touching `process.stdin` costs start-up time and most commands never read it.
 */
export function resolveCliIo(io: Partial<CliIo> = {}): ResolvedCliIo {
  const { stdin, ...rest } = io;
  const resolved: ResolvedCliIo = {
    ...rest,
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
    env: io.env ?? process.env,
    cwd: io.cwd ?? process.cwd(),
  };
  Object.defineProperty(resolved, 'stdin', { enumerable: true, get: () => stdin ?? process.stdin });
  return resolved;
}
