import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CliError } from './cli-error.js';
import type { CliInput } from './cli-io.js';

const maxTaskBytes = 1_000_000;

/**
 * Finds the task text of `orchestrator "<task>"`: the words on the command line, `--task-file`,
 * or stdin (`-`, or piped in with no words given). Exactly one source; the text must not be blank.
 */
export async function readTask(input: {
  positionals: string[];
  taskFile?: string;
  stdin?: CliInput;
  stdinIsPiped?: boolean;
  cwd: string;
}): Promise<string> {
  const { positionals, taskFile } = input;
  const fromStdin = positionals.length === 1 && positionals[0] === '-';
  if (taskFile !== undefined && positionals.length > 0) {
    throw new CliError('Give the task either as words or with --task-file, not both.', {
      code: 'bad-argument',
    });
  }
  let text: string;
  if (taskFile !== undefined) {
    const path = resolve(input.cwd, taskFile);
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      throw new CliError(
        `Task file ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}): check the path given to --task-file.`,
        {
          code: 'bad-argument',
          cause: error,
        },
      );
    }
  } else if (fromStdin || (positionals.length === 0 && input.stdinIsPiped && input.stdin !== undefined)) {
    if (input.stdin === undefined) {
      throw new CliError('"-" reads the task from stdin, but there is no stdin here.', {
        code: 'bad-argument',
      });
    }
    text = await readAll(input.stdin);
  } else {
    text = positionals.join(' ');
  }
  if (text.trim() === '') {
    throw new CliError(
      'No task given: run `orchestrator "<task>"`, `orchestrator --task-file FILE`, or pipe the task on stdin (`orchestrator demo` shows a run without one).',
      { code: 'task-missing' },
    );
  }
  if (Buffer.byteLength(text) > maxTaskBytes) {
    throw new CliError(
      `The task is ${Buffer.byteLength(text)} bytes; the limit is ${maxTaskBytes}: shorten it.`,
      {
        code: 'bad-argument',
      },
    );
  }
  return text.trim();
}

async function readAll(stream: CliInput): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > maxTaskBytes) {
      throw new CliError(`The task on stdin is over ${maxTaskBytes} bytes: shorten it.`, {
        code: 'bad-argument',
      });
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
