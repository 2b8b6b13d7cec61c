import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../errors.js';
import { createTestRepository, type TestRepository } from '../worktree/repository.fixture.js';
import { resolveOrchestratorOptions } from './orchestrator-options.js';

let repository: TestRepository;
beforeAll(async () => {
  repository = await createTestRepository();
});
afterAll(() => repository.cleanup());

const env = { OPENAI_API_KEY: 'sk-test' };
const expectError = (run: () => unknown, code: string, message: RegExp) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).code).toBe(code);
    expect((error as Error).message).toMatch(message);
    return;
  }
  throw new Error('expected a ConfigurationError');
};

describe('resolveOrchestratorOptions', () => {
  it('applies defaults and reads the environment', () => {
    const resolved = resolveOrchestratorOptions(
      'Add search',
      {},
      { ...env, ORCHESTRATOR_BASE_DIR: repository.baseDir },
    );
    expect(resolved).toMatchObject({
      baseDir: repository.baseDir,
      mainPath: repository.mainPath,
      model: 'gpt-5',
      reviewModel: 'gpt-5',
      apiKey: 'sk-test',
      maxParallel: 2,
      maxTurns: 80,
      review: 'agent',
      tracing: false,
    });
    expect(resolved.prices['gpt-5']).toBeDefined();
  });

  it('fails fast without an API key, saying how to set it', () => {
    expectError(
      () => resolveOrchestratorOptions('t', { baseDir: repository.baseDir }, {}),
      'api-key-missing',
      /export OPENAI_API_KEY=/,
    );
    // A base URL (a local endpoint) is enough.
    expect(
      resolveOrchestratorOptions('t', { baseDir: repository.baseDir, baseURL: 'http://127.0.0.1:1/v1' }, {})
        .apiKey,
    ).toBeUndefined();
  });

  it('names a missing or wrong baseDir', async () => {
    expectError(() => resolveOrchestratorOptions('t', {}, env), 'base-dir-missing', /ORCHESTRATOR_BASE_DIR/);
    expectError(
      () => resolveOrchestratorOptions('t', { baseDir: 'relative/dir' }, env),
      'base-dir-invalid',
      /not an absolute path/,
    );
    expectError(
      () => resolveOrchestratorOptions('t', { baseDir: '/no/such/dir' }, env),
      'base-dir-missing',
      /does not exist/,
    );
    const empty = await mkdtemp(join(tmpdir(), 'orchestrator-empty-'));
    try {
      expectError(
        () => resolveOrchestratorOptions('t', { baseDir: empty }, env),
        'main-worktree-missing',
        /is not a git worktree/,
      );
      await execa('git', ['init', '--quiet', join(empty, 'main')]);
      expectError(
        () => resolveOrchestratorOptions('t', { baseDir: empty }, env),
        'main-worktree-empty',
        /no commit yet/,
      );
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('rejects bad values with the offending value', () => {
    const base = { baseDir: repository.baseDir };
    expectError(() => resolveOrchestratorOptions('  ', base, env), 'task-empty', /task is empty/);
    expectError(
      () => resolveOrchestratorOptions('t', { ...base, maxParallel: 0 }, env),
      'invalid-option',
      /maxParallel must be a positive integer, got 0/,
    );
    expectError(
      () => resolveOrchestratorOptions('t', { ...base, review: 'human' as never }, env),
      'invalid-option',
      /"human"/,
    );
    expectError(
      () => resolveOrchestratorOptions('t', { ...base, budget: { costUsd: -1 } }, env),
      'invalid-option',
      /got -1/,
    );
    expectError(
      () => resolveOrchestratorOptions('t', { ...base, baseURL: 'not a url' }, env),
      'invalid-option',
      /not a URL/,
    );
    expectError(
      () => resolveOrchestratorOptions('t', { ...base, smokeTest: ' ' }, env),
      'invalid-option',
      /smokeTest/,
    );
  });
});
