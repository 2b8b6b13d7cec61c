import { describe, expect, it } from 'vitest';
import type { Task } from '../types.js';
import { DispatcherConfigurationError } from './dispatcher-errors.js';
import { createEnvTaskSource, parseTaskList } from './env-task-source.js';

async function collect(tasks: AsyncIterable<Task>): Promise<Task[]> {
  const all: Task[] = [];
  for await (const task of tasks) all.push(task);
  return all;
}

describe('parseTaskList', () => {
  it('takes one task per line, trimming and skipping blank lines (CRLF too)', () => {
    expect(parseTaskList('  Add a /health endpoint \r\n\r\nFix the login test\n\n')).toEqual([
      'Add a /health endpoint',
      'Fix the login test',
    ]);
  });

  it('splits on lines of --- when there are any, keeping multi-line tasks whole', () => {
    const value = 'Refactor billing:\n- split the module\n- keep the API\n ---\nAdd tests\n---\n\n---\n';
    expect(parseTaskList(value)).toEqual([
      'Refactor billing:\n- split the module\n- keep the API',
      'Add tests',
    ]);
  });

  it('uses an explicit delimiter anywhere in the value', () => {
    expect(parseTaskList('one;; two ;;;;three\nstill three', { delimiter: ';;' })).toEqual([
      'one',
      'two',
      'three\nstill three',
    ]);
  });
});

describe('createEnvTaskSource', () => {
  it('yields the tasks of DISPATCH_TASKS with ids stable across restarts', async () => {
    const env = { DISPATCH_TASKS: 'Add a /health endpoint\nFix the login test' };
    const first = await collect(createEnvTaskSource({ env }).tasks(new AbortController().signal));
    const again = await collect(createEnvTaskSource({ env }).tasks(new AbortController().signal));
    expect(first.map((task) => task.text)).toEqual(['Add a /health endpoint', 'Fix the login test']);
    expect(first.map((task) => task.source)).toEqual(['env', 'env']);
    expect(first[0]?.id).toMatch(/^env-1-[0-9a-f]{12}$/);
    expect(again.map((task) => task.id)).toEqual(first.map((task) => task.id));
    const edited = await collect(
      createEnvTaskSource({ env: { DISPATCH_TASKS: 'Add a /health endpoint\nFix the signup test' } }).tasks(
        new AbortController().signal,
      ),
    );
    expect(edited[0]?.id).toBe(first[0]?.id);
    expect(edited[1]?.id).not.toBe(first[1]?.id);
  });

  it('gives duplicate texts at different positions different ids', async () => {
    const tasks = await collect(
      createEnvTaskSource({ env: { JOBS: 'same\nsame' }, variable: 'JOBS' }).tasks(
        new AbortController().signal,
      ),
    );
    expect(new Set(tasks.map((task) => task.id)).size).toBe(2);
  });

  it('says how to set the variable when it is missing or blank', () => {
    expect(() => createEnvTaskSource({ env: {} })).toThrow(DispatcherConfigurationError);
    expect(() => createEnvTaskSource({ env: {} })).toThrow(/DISPATCH_TASKS is not set.*one task per line/);
    expect(() => createEnvTaskSource({ env: { DISPATCH_TASKS: ' \n ---\n' } })).toThrow(
      /DISPATCH_TASKS is blank/,
    );
    expect(() => createEnvTaskSource({ env: { DISPATCH_TASKS: 'x' }, delimiter: ' ' })).toThrow(
      /delimiter " " is blank/,
    );
  });
});
