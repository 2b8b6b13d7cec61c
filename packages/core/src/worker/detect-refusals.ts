/**
 * Refusals inside a codex run: a `git push` the no-push layer refused, or an operation the
 * sandbox denied (a read-only file system, no network, a permission). Codex itself still exits 0
 * after them, so they are read from the commands' output and reported to the orchestrator model,
 * the events (`worker-end`) and the report.
 */
import type { ParsedCodexRun } from './codex-event-parser.js';
import { cutText } from './cut-text.js';

const pushRefused = /pushing is disabled for this task|push-disabled-by-codex-orchestrator/i;
const sandboxDenied =
  /read-only file system|operation not permitted|permission denied|network is unreachable|could not resolve host|temporary failure in name resolution|connection refused|bwrap:/i;

function shown(command: string): string {
  const match = /^\/bin\/(?:ba)?sh -l?c '([\s\S]*)'$/.exec(command);
  return cutText((match?.[1] ?? command).replace(/\s+/g, ' ').trim(), 120);
}

/** One line per refused command: what ran and the line of output that shows the refusal. */
export function detectRefusals(run: ParsedCodexRun): string[] {
  const refusals: string[] = [];
  for (const command of run.commands) {
    const lines = command.outputTail.split('\n');
    // The refusal text is ours: reported whatever the exit code (`git push; echo done` exits 0).
    const push = lines.find((line) => pushRefused.test(line));
    if (push !== undefined) {
      refusals.push(`push refused: \`${shown(command.command)}\` (${cutText(push.trim(), 200)})`);
      continue;
    }
    if (command.exitCode === 0 || command.exitCode === null) continue;
    const denied = lines.find((line) => sandboxDenied.test(line));
    if (denied !== undefined) {
      refusals.push(`sandbox denied: \`${shown(command.command)}\` (${cutText(denied.trim(), 200)})`);
    }
  }
  return refusals.slice(-10);
}
