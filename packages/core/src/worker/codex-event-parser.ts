/**
 * Turns the JSONL of `codex exec --json` into typed worker events and the pieces of a
 * `WorkerResult`. A malformed line is reported as a `worker-warning`, never fatal.
 */
import type { OrchestratorEvent, OrchestratorEventInput } from '../events.js';
import type { TokenUsage, WorkerCommand, WorkerFileChange } from '../types.js';
import { cutText } from './cut-text.js';

/** A command codex ran, with the end of its output (kept for sandbox-failure detection). */
export interface ParsedCodexCommand extends WorkerCommand {
  itemId: string;
  outputTail: string;
}

/** What the parser has gathered so far. */
export interface ParsedCodexRun {
  threadId: string | undefined;
  /** Text of the last `agent_message`. */
  lastMessage: string;
  filesChanged: WorkerFileChange[];
  /** Patches codex could not apply (file_change items with status `failed`). */
  failedFileChanges: number;
  commands: ParsedCodexCommand[];
  usage: TokenUsage;
  errors: string[];
  turnFailed: boolean;
  malformedLines: number;
  /** Top-level `error` events (retry notices, stream errors), reported as warnings. */
  notices: string[];
}

/** Options of `createCodexEventParser`. */
export interface CodexEventParserOptions {
  workerRunId: string;
  worktree: string;
  taskId?: string;
  /** Receives every event, with `time` stamped. */
  onEvent?: (event: OrchestratorEvent) => void;
  /** Cap of the command output carried by `worker-command-end` (default 4000 characters). */
  maxEventOutputChars?: number;
}

type CodexItem = Record<string, unknown> & { id?: unknown; type?: unknown };

const emptyUsage = (): TokenUsage => ({
  inputTokens: 0,
  cachedInputTokens: 0,
  outputTokens: 0,
  reasoningOutputTokens: 0,
  totalTokens: 0,
});

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

function stringOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Creates a parser; feed it stdout lines with `push`, read the gathered state with `state`. */
export function createCodexEventParser(options: CodexEventParserOptions) {
  const maxOutput = options.maxEventOutputChars ?? 4000;
  const run: ParsedCodexRun = {
    threadId: undefined,
    lastMessage: '',
    filesChanged: [],
    failedFileChanges: 0,
    commands: [],
    usage: emptyUsage(),
    errors: [],
    turnFailed: false,
    malformedLines: 0,
    notices: [],
  };
  const commandsById = new Map<string, ParsedCodexCommand>();
  const base = { workerRunId: options.workerRunId, worktree: options.worktree };

  const emit = (event: OrchestratorEventInput) => {
    const stamped = {
      ...event,
      time: new Date().toISOString(),
      ...(options.taskId === undefined ? {} : { taskId: options.taskId }),
    } as OrchestratorEvent;
    options.onEvent?.(stamped);
  };

  const warn = (message: string) => emit({ type: 'worker-warning', ...base, message });

  const onCommand = (item: CodexItem, itemId: string, completed: boolean) => {
    const command = stringOf(item.command);
    let entry = commandsById.get(itemId);
    if (entry === undefined) {
      entry = { itemId, command, exitCode: null, status: 'in-progress', outputTail: '' };
      commandsById.set(itemId, entry);
      run.commands.push(entry);
      emit({ type: 'worker-command-start', ...base, itemId, command });
    }
    if (!completed) return;
    const output = stringOf(item.aggregated_output);
    entry.exitCode = typeof item.exit_code === 'number' ? item.exit_code : null;
    entry.status = stringOf(item.status) || (entry.exitCode === 0 ? 'completed' : 'failed');
    entry.outputTail = output.slice(-2000);
    emit({
      type: 'worker-command-end',
      ...base,
      itemId,
      command,
      exitCode: entry.exitCode,
      output: cutText(output, maxOutput),
    });
  };

  const onFileChange = (item: CodexItem) => {
    const changes: WorkerFileChange[] = [];
    for (const change of Array.isArray(item.changes) ? (item.changes as Record<string, unknown>[]) : []) {
      const path = stringOf(change?.path);
      if (path !== '') changes.push({ path, kind: stringOf(change.kind) || 'update' });
    }
    if (item.status === 'failed') {
      run.failedFileChanges++;
      const paths = changes.map((change) => change.path).join(', ');
      run.errors.push(`codex could not apply a patch to ${paths || 'a file'}`);
      warn(`patch failed: ${paths || 'unknown file'}`);
      return;
    }
    for (const change of changes) {
      const existing = run.filesChanged.find((known) => known.path === change.path);
      if (existing === undefined) run.filesChanged.push(change);
      else if (existing.kind !== 'add' || change.kind === 'delete') existing.kind = change.kind;
    }
    if (changes.length > 0) emit({ type: 'worker-file-change', ...base, changes });
  };

  const onItem = (item: CodexItem, completed: boolean) => {
    const itemId = stringOf(item.id);
    switch (item.type) {
      case 'command_execution':
        onCommand(item, itemId, completed);
        return;
      case 'file_change':
        if (completed) onFileChange(item);
        return;
      case 'agent_message':
        if (!completed) return;
        run.lastMessage = stringOf(item.text);
        emit({ type: 'worker-message', ...base, kind: 'message', text: run.lastMessage });
        return;
      case 'reasoning':
        if (completed)
          emit({ type: 'worker-message', ...base, kind: 'reasoning', text: stringOf(item.text) });
        return;
      case 'error':
        if (!completed) return;
        run.errors.push(stringOf(item.message));
        emit({ type: 'worker-message', ...base, kind: 'error', text: stringOf(item.message) });
        return;
      default:
        return; // todo lists, web searches, MCP calls: not part of the result
    }
  };

  const onEvent = (event: Record<string, unknown>) => {
    switch (event.type) {
      case 'thread.started':
        run.threadId = stringOf(event.thread_id) || run.threadId;
        return;
      case 'item.started':
      case 'item.updated':
      case 'item.completed':
        if (event.item !== null && typeof event.item === 'object') {
          onItem(event.item as CodexItem, event.type === 'item.completed');
        }
        return;
      case 'turn.completed': {
        const usage = (event.usage ?? {}) as Record<string, unknown>;
        const turn: TokenUsage = {
          inputTokens: count(usage.input_tokens),
          cachedInputTokens: count(usage.cached_input_tokens),
          outputTokens: count(usage.output_tokens),
          reasoningOutputTokens: count(usage.reasoning_output_tokens),
          totalTokens: count(usage.input_tokens) + count(usage.output_tokens),
        };
        for (const key of Object.keys(turn) as (keyof TokenUsage)[]) run.usage[key] += turn[key];
        emit({ type: 'worker-usage', ...base, usage: turn });
        return;
      }
      case 'turn.failed': {
        run.turnFailed = true;
        const message =
          stringOf((event.error as Record<string, unknown> | undefined)?.message) || 'turn failed';
        run.errors.push(message);
        emit({ type: 'worker-message', ...base, kind: 'error', text: message });
        return;
      }
      case 'error': {
        const message = stringOf(event.message) || 'codex reported an error';
        run.notices.push(message);
        warn(message);
        return;
      }
      default:
        return; // turn.started and future event types
    }
  };

  return {
    /** Parses one line of codex's stdout. */
    push(line: string): void {
      const trimmed = line.trim();
      if (trimmed === '') return;
      let event: unknown;
      try {
        event = JSON.parse(trimmed);
      } catch {
        event = undefined;
      }
      if (
        event === null ||
        typeof event !== 'object' ||
        typeof (event as { type?: unknown }).type !== 'string'
      ) {
        run.malformedLines++;
        warn(`codex printed a line that is not a JSON event: ${JSON.stringify(cutText(trimmed, 200))}`);
        return;
      }
      onEvent(event as Record<string, unknown>);
    },
    /** The state gathered so far (live object). */
    state(): ParsedCodexRun {
      return run;
    },
    emit,
  };
}
