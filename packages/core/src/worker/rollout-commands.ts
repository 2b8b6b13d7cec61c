/**
 * The commands of a codex run as codex's own session file (the "rollout" in `CODEX_HOME/sessions`)
 * records them. Codex 0.169's `--json` stream can leave out the `command_execution` item of a
 * command its sandbox denied early while the model still gets the output (openai/codex#47433,
 * a timing-dependent early return in unified exec): the session file still has the call and its
 * output, so a denial is reported even then. Everything read here is hostile text: only strings
 * and numbers of the expected shape are kept.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ParsedCodexCommand } from './codex-event-parser.js';

/** Newest day folders searched for the session file (`sessions/YYYY/MM/DD`). */
const daysSearched = 3;
const maxFileBytes = 16 * 1024 * 1024;

async function newest(folder: string): Promise<string[]> {
  const names = await readdir(folder).catch(() => [] as string[]);
  return names
    .filter((name) => /^\d+$/.test(name))
    .sort()
    .reverse()
    .map((name) => join(folder, name));
}

async function findSessionFile(codexHome: string, threadId: string): Promise<string | undefined> {
  const days: string[] = [];
  for (const year of await newest(join(codexHome, 'sessions'))) {
    for (const month of await newest(year)) {
      days.push(...(await newest(month)));
      if (days.length >= daysSearched) break;
    }
    if (days.length >= daysSearched) break;
  }
  for (const day of days.slice(0, daysSearched)) {
    const names = await readdir(day).catch(() => [] as string[]);
    const name = names.find((candidate) => candidate.endsWith(`-${threadId}.jsonl`));
    if (name !== undefined) return join(day, name);
  }
  return undefined;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

/**
 * The `exec_command` calls of thread `threadId` with their exit code and output, read from its
 * session file under `codexHome`; empty when there is none (e.g. `--ephemeral`) or it cannot be read.
 */
export async function readRolloutCommands(
  codexHome: string,
  threadId: string,
): Promise<ParsedCodexCommand[]> {
  if (!/^[\w.-]{1,200}$/.test(threadId)) return [];
  const path = await findSessionFile(codexHome, threadId);
  if (path === undefined) return [];
  const text = await readFile(path, 'utf8').catch(() => '');
  if (text.length > maxFileBytes) return [];
  const calls = new Map<string, string>();
  const commands: ParsedCodexCommand[] = [];
  for (const line of text.split('\n')) {
    let payload: Record<string, unknown> | undefined;
    try {
      payload = record(record(JSON.parse(line))?.payload);
    } catch {
      continue;
    }
    const callId = payload?.call_id;
    if (payload === undefined || typeof callId !== 'string') continue;
    if (payload.type === 'function_call' && payload.name === 'exec_command') {
      try {
        const command = record(JSON.parse(String(payload.arguments)))?.cmd;
        if (typeof command === 'string') calls.set(callId, command);
      } catch {
        // arguments that are not JSON: not a command we can report
      }
    } else if (payload.type === 'function_call_output' && typeof payload.output === 'string') {
      const command = calls.get(callId);
      if (command === undefined) continue;
      const exit = /^Process exited with code (\d+)$/m.exec(payload.output);
      const exitCode = exit === null ? null : Number(exit[1]);
      const outputStart = payload.output.indexOf('\nOutput:\n');
      commands.push({
        itemId: callId,
        command,
        exitCode,
        status: exitCode === 0 ? 'completed' : 'failed',
        outputTail: (outputStart === -1 ? payload.output : payload.output.slice(outputStart + 9)).slice(
          -4000,
        ),
      });
    }
  }
  return commands;
}

/** The commands of `recorded` that none of the `reported` items stands for (matched by command text). */
export function unreportedCommands(
  reported: readonly ParsedCodexCommand[],
  recorded: readonly ParsedCodexCommand[],
): ParsedCodexCommand[] {
  const remaining = reported.map((command) => command.command);
  return recorded.filter((command) => {
    const quoted = command.command.replaceAll("'", "'\\''");
    const index = remaining.findIndex((text) => text.includes(command.command) || text.includes(quoted));
    if (index === -1) return true;
    remaining.splice(index, 1);
    return false;
  });
}
