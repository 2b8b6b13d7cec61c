import { sanitizeTerminalText } from '../shared/terminal-text.js';

/**
 * Where the dispatcher reports what does not belong to one task's event stream: a source that
 * failed and will be retried, a sink that threw or timed out, a torn journal line.
 */
export interface DispatcherLogger {
  debug?(message: string, details?: Record<string, unknown>): void;
  info?(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
  error(message: string, details?: Record<string, unknown>): void;
}

/** The default logger: warnings and errors as one line each on stderr, nothing else. */
export function createStderrDispatcherLogger(
  stream: NodeJS.WritableStream = process.stderr,
): DispatcherLogger {
  const write = (level: string, message: string) => {
    // Messages quote task ids and source errors (hostile text): cleaned for the terminal.
    stream.write(`[dispatcher] ${level}: ${sanitizeTerminalText(message, { singleLine: true })}\n`);
  };
  return {
    warn: (message) => write('warning', message),
    error: (message) => write('error', message),
  };
}

/** A logger that drops everything (for tests and benchmarks). */
export const silentDispatcherLogger: DispatcherLogger = { warn() {}, error() {} };
