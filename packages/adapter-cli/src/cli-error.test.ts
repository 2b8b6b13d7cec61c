import { ConfigurationError, OrchestratorError, WorktreeError } from '@codex-orchestrator/core';
import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import { CliError, type CliErrorCode } from './cli-error.js';

describe('CliError', () => {
  it("joins core's hierarchy by its markers, without importing core", async () => {
    const error = new CliError('Unknown flag --x: see --help.', { code: 'bad-argument' });
    expect(OrchestratorError.isInstance(error)).toBe(true);
    expect(ConfigurationError.isInstance(error)).toBe(true);
    expect(WorktreeError.isInstance(error)).toBe(false);
    expect(error.kind).toBe('user');
    const source = await import('node:fs/promises').then((fs) =>
      fs.readFile(new URL('./cli-error.ts', import.meta.url), 'utf8'),
    );
    expect(source).not.toMatch(/from '@codex-orchestrator\/core/);
  });

  it('is recognised across a second copy of the module, where instanceof fails', async () => {
    vi.resetModules();
    const copy = await import('./cli-error.js');
    const error = new copy.CliError('bad', { code: 'config-invalid' });
    expect(error instanceof CliError).toBe(false);
    expect(CliError.isInstance(error)).toBe(true);
    expect(CliError.isInstance(new OrchestratorError('x', { code: 'git-failed' }))).toBe(false);
    expect(CliError.isInstance(Object.assign(new Error('x'), { code: 'bad-argument', kind: 'user' }))).toBe(
      false,
    );
    expect(CliError.isInstance(null)).toBe(false);
  });

  it('has a kebab-case code union', () => {
    expectTypeOf<CliError['code']>().toEqualTypeOf<CliErrorCode>();
    expectTypeOf<string>().not.toExtend<CliErrorCode>();
    // @ts-expect-error the old upper-case codes are gone
    expect(new CliError('x', { code: 'CLI_BAD_ARGUMENT' }).code).toBe('CLI_BAD_ARGUMENT');
  });
});
