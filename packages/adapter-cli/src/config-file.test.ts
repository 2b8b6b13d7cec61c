import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError } from './cli-error.js';
import { loadConfigFile } from './config-file.js';

describe('loadConfigFile', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'cli-config-'));
  });
  afterAll(() => rm(directory, { recursive: true, force: true }));

  const load = async (contents: string) => {
    const path = join(directory, 'orchestrator.json');
    await writeFile(path, contents);
    return loadConfigFile(path);
  };
  const failure = async (contents: string) => {
    const error = await load(contents).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(CliError);
    return (error as CliError).message;
  };

  it('reads a valid file and resolves paths against its folder', async () => {
    const config = await load(
      JSON.stringify({
        baseDir: 'work',
        maxParallel: 2,
        review: 'off',
        budget: { tokens: 5000 },
        dispatch: { store: 'j.jsonl' },
      }),
    );
    expect(config).toEqual({
      baseDir: join(directory, 'work'),
      maxParallel: 2,
      review: 'off',
      budget: { tokens: 5000 },
      dispatch: { store: join(directory, 'j.jsonl') },
    });
  });

  it('names the field and the bad value', async () => {
    expect(await failure('{"maxParallel":"two"}')).toMatch(
      /orchestrator\.json: field "maxParallel" must be a whole number of at least 1 \(got "two"\)/,
    );
    expect(await failure('{"budget":{"costUsd":-2}}')).toContain(
      'field "budget.costUsd" must be greater than 0 (got -2)',
    );
    expect(await failure('{"review":"human"}')).toContain(
      'field "review" must be one of "off", "agent", "codex" (got "human")',
    );
  });

  it('refuses unknown fields, which are usually typos', async () => {
    expect(await failure('{"maxParalel":2}')).toContain('unknown field "maxParalel"');
    expect(await failure('{"apiKey":"sk-x"}')).toContain('unknown field "apiKey"');
  });

  it('explains syntax errors and a missing file', async () => {
    expect(await failure('{"maxParallel": 2,}')).toContain('is not valid JSON');
    expect(await failure('[1]')).toContain('must contain a JSON object');
    const missing = await loadConfigFile(join(directory, 'nope.json')).catch((error: Error) => error.message);
    expect(missing).toContain('nope.json does not exist');
  });
});
