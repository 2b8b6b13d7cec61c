/**
 * Remembers the latest test run per worktree, so the reviewer gets the test log of the branch it
 * reviews. Test runs are seen in two places: commands the orchestrator ran through
 * run_repo_command (`record`) and commands codex ran inside its sandbox (`worker-command-end`).
 */

import { capText } from '../command/output-capture.js';
import type { EventStream } from '../events/event-stream.js';

/** One test run. */
export interface TestRun {
  worktree: string;
  command: string;
  exitCode: number | null;
  /** Output, cut to its head and tail. */
  output: string;
  source: 'orchestrator' | 'worker';
  time: string;
}

/** See `createTestLogTracker`. */
export interface TestLogTracker {
  /** Records a command the orchestrator ran, if it looks like a test run. */
  record(run: Omit<TestRun, 'time' | 'output'> & { output: string }): void;
  latest(worktree: string): TestRun | undefined;
  dispose(): void;
}

const testCommandPattern =
  /(?:^|[\s;&|(/'"])(?:(?:npm|pnpm|yarn|bun)\s+(?:run\s+)?test\b|npx\s+(?:vitest|jest|mocha|ava|tap)\b|vitest\b|jest\b|mocha\b|pytest\b|python3?\s+-m\s+(?:pytest|unittest)\b|node\s+--test\b|go\s+test\b|cargo\s+test\b|make\s+(?:test|check)\b|mvn\s+test\b|gradle\w*\s+test\b|rspec\b|phpunit\b|dotnet\s+test\b)/;

/** True when a shell command looks like it runs tests (`npm test`, `pytest`, `go test`...). */
export function isTestCommand(command: string): boolean {
  // A codex run's prompt often names the tests to run; the run itself is not a test run.
  if (/^\s*(?:\S*\/)?codex\s/.test(command)) return false;
  return testCommandPattern.test(command);
}

/** Creates a tracker listening to `events` for worker test runs; `maxOutputBytes` defaults to 8 KiB. */
export function createTestLogTracker(
  events: EventStream,
  options: { maxOutputBytes?: number } = {},
): TestLogTracker {
  const maxOutputBytes = options.maxOutputBytes ?? 8 * 1024;
  const latest = new Map<string, TestRun>();
  const store = (run: Omit<TestRun, 'time'>) => {
    latest.set(run.worktree, {
      ...run,
      output: capText(run.output, maxOutputBytes).text,
      time: new Date().toISOString(),
    });
  };
  const unsubscribe = events.on('worker-command-end', (event) => {
    if (!isTestCommand(event.command)) return;
    store({
      worktree: event.worktree,
      command: event.command,
      exitCode: event.exitCode,
      output: event.output,
      source: 'worker',
    });
  });
  return {
    record(run) {
      if (isTestCommand(run.command)) store(run);
    },
    latest: (worktree) => latest.get(worktree),
    dispose: unsubscribe,
  };
}
