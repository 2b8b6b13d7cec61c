import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import { PolicyConfigError, type PolicyConfigErrorCode } from './policy-config-error.js';

describe('PolicyConfigError', () => {
  it("carries core's error markers (without depending on core) and a kebab-case code", () => {
    const error = new PolicyConfigError('rules[0].match.program: expected a string', {
      field: 'rules[0].match.program',
      value: 1,
    });
    expect(error.code).toBe('policy-config-invalid');
    expect(error.kind).toBe('user');
    // The keys core's OrchestratorError.isInstance and ConfigurationError.isInstance look for.
    for (const key of ['codex-orchestrator.error', 'codex-orchestrator.error.ConfigurationError'])
      expect((error as unknown as Record<symbol, unknown>)[Symbol.for(key)]).toBe(true);
    expectTypeOf(error.code).toEqualTypeOf<PolicyConfigErrorCode>();
  });

  it('is recognised across a second copy of the module, where instanceof fails', async () => {
    vi.resetModules();
    const copy = await import('./policy-config-error.js');
    const error = new copy.PolicyConfigError('bad', { field: '', value: null });
    expect(error instanceof PolicyConfigError).toBe(false);
    expect(PolicyConfigError.isInstance(error)).toBe(true);
    expect(
      PolicyConfigError.isInstance(Object.assign(new Error('bad'), { code: 'policy-config-invalid' })),
    ).toBe(false);
    expect(PolicyConfigError.isInstance(undefined)).toBe(false);
  });
});
