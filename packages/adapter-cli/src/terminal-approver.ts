import { createInterface } from 'node:readline';
import type { MergeApprovalRequest } from '@codex-orchestrator/core';
import { createAsyncQueue } from '@codex-orchestrator/core/shared';
import { CliError } from './cli-error.js';
import type { CliInput, CliOutput } from './cli-io.js';
import { toTerminalLine } from './output/terminal-text.js';

/**
 * Checks that merge approvals can be asked: `--approve` needs a person at a terminal.
 * Throws a one-line {@link CliError} otherwise (before anything runs).
 */
export function assertCanPrompt(input: CliInput | undefined): asserts input is CliInput {
  if (input?.isTTY !== true) {
    throw new CliError(
      '--approve asks on the terminal before each merge, but stdin is not a terminal: run it interactively, or drop --approve (use --review agent to gate merges without a person).',
      { code: 'approve-needs-tty' },
    );
  }
}

/** Asks merge questions on the terminal, one at a time, over one line reader. */
export interface MergePrompter {
  /** Shows the branch, its diff stat and review, and reads y/n (Enter means no). */
  ask(request: MergeApprovalRequest): Promise<boolean>;
  /** Releases the terminal. Questions still open are answered no. */
  close(): void;
}

/**
 * Creates the prompter used by `--approve`. Answers typed ahead are kept for the next question;
 * a question is answered "no" when the request's signal aborts or the input ends.
 */
export function createMergePrompter(io: { input: CliInput; output: CliOutput }): MergePrompter {
  const readline = createInterface({ input: io.input, terminal: false });
  // Answers typed ahead are kept for the next question.
  const lines = createAsyncQueue<string>();
  readline.on('line', (line) => lines.push(line));
  readline.on('close', () => lines.end());
  const nextLine = async (signal?: AbortSignal): Promise<string | undefined> =>
    (await lines.shift(signal)).value;
  let queue = Promise.resolve();

  const askNow = async (request: MergeApprovalRequest): Promise<boolean> => {
    const description = [
      '',
      `Merge ${toTerminalLine(request.branch)} (worktree ${toTerminalLine(request.worktree)}) into main?`,
      ...request.diffStat
        .split('\n')
        .filter((line) => line.trim() !== '')
        .slice(0, 30)
        .map((line) => `  ${toTerminalLine(line, 200)}`),
    ];
    if (request.review) {
      description.push(`  review: ${request.review.verdict}: ${toTerminalLine(request.review.summary, 300)}`);
    }
    io.output.write(`${description.join('\n')}\n`);
    for (;;) {
      io.output.write('Merge? [y/N] ');
      const answer = await nextLine(request.signal);
      if (answer === undefined) {
        io.output.write('\n(no answer: not merged)\n');
        return false;
      }
      const normalized = answer.trim().toLowerCase();
      if (normalized === 'y' || normalized === 'yes') return true;
      if (normalized === '' || normalized === 'n' || normalized === 'no') return false;
    }
  };

  return {
    ask(request) {
      const answer = queue.then(() => askNow(request));
      queue = answer.then(
        () => undefined,
        () => undefined,
      );
      return answer;
    },
    close() {
      readline.close();
    },
  };
}
