import { CliError } from '../cli-error.js';
import { ExitCode } from '../exit-codes.js';
import { createStyle, detectOutputMode } from '../output/output-mode.js';
import { toTerminalLine } from '../output/terminal-text.js';
import { checkBaseDir } from '../preflight.js';
import type { CommandContext } from '../run-cli.js';
import { loadSettings } from './load-settings.js';

/**
 * `orchestrator worktrees list|prune`: shows the worktrees of the project under the base dir, or
 * removes stale ones (directory gone, or branch merged into main and nothing uncommitted).
 * Unmerged or dirty worktrees are never removed.
 */
export async function worktreesCommand(context: CommandContext): Promise<number> {
  const { parsed, io } = context;
  const action = parsed.positionals[0];
  if ((action !== 'list' && action !== 'prune') || parsed.positionals.length > 1) {
    throw new CliError(
      `\`orchestrator worktrees\` takes one action, list or prune (got ${action === undefined ? 'none' : `"${parsed.positionals.join(' ')}"`}).`,
      { code: 'bad-argument' },
    );
  }
  const settings = await loadSettings(context);
  await checkBaseDir(settings.baseDir);
  const { createWorktreeManager } = await import('@codex-orchestrator/core');
  const manager = createWorktreeManager({ baseDir: settings.baseDir as string });
  const style = createStyle(detectOutputMode(io.stdout, io.env).color);
  const signal = context.interrupt.signal;

  if (action === 'list') {
    const worktrees = await manager.list({ signal });
    if (settings.json) {
      for (const worktree of worktrees) io.stdout.write(`${JSON.stringify(worktree)}\n`);
      return ExitCode.success;
    }
    const nameWidth = Math.max(8, ...worktrees.map((worktree) => worktree.name.length));
    for (const worktree of worktrees) {
      const flags = [
        worktree.main ? 'main' : '',
        worktree.locked ? 'locked' : '',
        worktree.prunable ? 'missing' : '',
        worktree.detached ? 'detached' : '',
      ].filter((flag) => flag !== '');
      const branch = worktree.branch ?? '(no branch)';
      io.stdout.write(
        `${style.cyan(toTerminalLine(worktree.name).padEnd(nameWidth))}  ${(worktree.head ?? '').slice(0, 7).padEnd(7)}  ${toTerminalLine(branch)}${flags.length > 0 ? style.dim(`  [${flags.join(', ')}]`) : ''}\n`,
      );
    }
    return ExitCode.success;
  }

  const report = await manager.prune({ signal });
  if (settings.json) {
    io.stdout.write(`${JSON.stringify(report)}\n`);
    return ExitCode.success;
  }
  const lines = [
    ...report.missing.map((path) => `pruned   ${toTerminalLine(path)} (directory was gone)`),
    ...report.removed.map((name) => `removed  ${toTerminalLine(name)} (branch merged, nothing uncommitted)`),
    ...report.deletedBranches.map((branch) => `deleted  branch ${toTerminalLine(branch)}`),
    ...report.kept.map((kept) =>
      style.dim(`kept     ${toTerminalLine(kept.name)}: ${toTerminalLine(kept.reason)}`),
    ),
  ];
  io.stdout.write(lines.length === 0 ? 'Nothing to prune.\n' : `${lines.join('\n')}\n`);
  return ExitCode.success;
}
