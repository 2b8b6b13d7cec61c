// Sums vitest's per-workspace "Tests" lines from turbo output (see run-tests.mjs).

const ansi = /\x1b\[[0-9;]*m/g;

/**
 * @param {string[]} lines turbo's output, each line possibly prefixed with `pkg:test: `
 * @param {number} exitCode turbo's exit code
 * @returns {{ passed: number, failed: number, skipped: number, failedWorkspaces: string[], crashed: string[] }}
 */
export function summarizeTestOutput(lines, exitCode) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const failedWorkspaces = new Set();
  const erroredTasks = new Set();
  for (const raw of lines) {
    const line = raw.replace(ansi, '');
    const workspace = /^(\S+?):test:/.exec(line)?.[1];
    const tests = /(?:^|\s)Tests\s+(.+?)\s+\(\d+\)\s*$/.exec(line);
    if (tests && !/Test Files/.test(line)) {
      for (const part of (tests[1] ?? '').split('|')) {
        const match = /(\d+)\s+(passed|failed|skipped|todo)/.exec(part);
        if (!match) continue;
        const count = Number(match[1]);
        if (match[2] === 'passed') passed += count;
        else if (match[2] === 'failed') failed += count;
        else skipped += count;
        if (match[2] === 'failed' && count > 0 && workspace) failedWorkspaces.add(workspace);
      }
    }
    // turbo: "pkg#test:  ERROR  command (folder) npm run test exited (1)".
    const errored = /^(\S+)#test:.*\bcommand\b.*exited \(\d+\)/.exec(line)?.[1];
    if (errored) erroredTasks.add(errored);
  }
  // A workspace that failed without a failing test (a test file that does not load, a crash)
  // counts as one failure, so the closing line never reads "0 failed" for a red run.
  const crashed = [...erroredTasks].filter((workspace) => !failedWorkspaces.has(workspace));
  failed += crashed.length;
  if (exitCode !== 0 && failed === 0) failed += 1; // turbo failed without saying where
  return {
    passed,
    failed,
    skipped,
    failedWorkspaces: [...new Set([...failedWorkspaces, ...erroredTasks])],
    crashed,
  };
}
