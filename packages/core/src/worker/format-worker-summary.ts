/**
 * The compact text the orchestrator model reads after a worker run: status, thread, tokens, files,
 * commands with exit codes, errors and the final message, each cut to a bounded size. Never the
 * raw event stream, so a run whose tests print megabytes still yields a summary of a few KB.
 */
import { isAbsolute, relative } from 'node:path';
import type { WorkerResult } from '../types.js';
import { cutText } from './cut-text.js';

/** Limits of `formatWorkerSummary`. */
export interface WorkerSummaryOptions {
  /** Worktree path, to show file paths relative to it. */
  cwd?: string;
  /** Characters of the final message kept (head and tail). Default 3000. */
  maxFinalMessageChars?: number;
  /** The last N commands listed. Default 15. */
  maxCommands?: number;
  /** The first N changed files listed. Default 40. */
  maxFiles?: number;
  /** Characters per command line. Default 160. */
  maxCommandChars?: number;
}

function shownPath(path: string, cwd: string | undefined): string {
  if (cwd === undefined || !isAbsolute(path)) return path;
  const inside = relative(cwd, path);
  return inside.startsWith('..') || isAbsolute(inside) ? path : inside;
}

/** Strips codex's `/bin/bash -c '...'` wrapper from a command for display. */
function shownCommand(command: string): string {
  const match = /^\/bin\/(?:ba)?sh -l?c '([\s\S]*)'$/.exec(command);
  return (match?.[1] ?? command).replace(/\s+/g, ' ').trim();
}

/** Formats a worker result for the orchestrator model. */
export function formatWorkerSummary(
  worker: string,
  result: WorkerResult,
  options: WorkerSummaryOptions = {},
): string {
  const maxCommands = options.maxCommands ?? 15;
  const maxFiles = options.maxFiles ?? 40;
  const maxCommandChars = options.maxCommandChars ?? 160;
  const lines: string[] = [];
  const exit = result.exitCode === null ? 'no exit code' : `exit ${result.exitCode}`;
  const refusals = result.refusals ?? [];
  const refused = refusals.length === 0 ? '' : `; ${refusals.length} command(s) refused or denied, see below`;
  lines.push(`${worker}: ${result.status} (${exit}, ${(result.durationMs / 1000).toFixed(1)} s)${refused}`);
  if (result.threadId !== undefined) {
    lines.push(
      `thread: ${result.threadId} (continue with: codex exec resume ${result.threadId} "<next prompt>")`,
    );
  }
  const usage = result.usage;
  lines.push(
    `tokens: input ${usage.inputTokens} (cached ${usage.cachedInputTokens}), output ${usage.outputTokens} ` +
      `(reasoning ${usage.reasoningOutputTokens}), total ${usage.totalTokens}`,
  );
  const files = result.filesChanged;
  lines.push(`files changed (${files.length}):${files.length === 0 ? ' none' : ''}`);
  for (const file of files.slice(0, maxFiles))
    lines.push(`  ${file.kind} ${cutText(shownPath(file.path, options.cwd), 300)}`);
  if (files.length > maxFiles) lines.push(`  ... and ${files.length - maxFiles} more`);
  const commands = result.commands;
  const shown = commands.slice(-maxCommands);
  const range = commands.length > shown.length ? `, last ${shown.length} shown` : '';
  lines.push(`commands run (${commands.length}${range}):${commands.length === 0 ? ' none' : ''}`);
  for (const command of shown) {
    const exitCode = command.exitCode === null ? command.status : `exit ${command.exitCode}`;
    lines.push(`  [${exitCode}] ${cutText(shownCommand(command.command), maxCommandChars)}`);
  }
  if (refusals.length > 0) {
    lines.push(`refused (${refusals.length}):`);
    for (const refusal of refusals) lines.push(`  ${cutText(refusal, 400)}`);
  }
  if (result.errors.length > 0) {
    lines.push(`errors (${result.errors.length}):`);
    for (const error of result.errors.slice(-5))
      lines.push(`  ${cutText(error, 600).replace(/\n/g, '\n  ')}`);
  }
  const message = result.finalMessage.trim();
  lines.push(`final message:${message === '' ? ' (none)' : ''}`);
  if (message !== '') lines.push(cutText(message, options.maxFinalMessageChars ?? 3000));
  return lines.join('\n');
}
