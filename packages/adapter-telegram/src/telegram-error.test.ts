import { ConfigurationError, OrchestratorError } from '@codex-orchestrator/core';
import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import * as adapter from './index.js';
import { TelegramConfigurationError, TelegramError } from './telegram-error.js';

describe('Telegram errors', () => {
  it("join core's hierarchy, checked by isInstance across a second copy of the module", async () => {
    vi.resetModules();
    const copy = await import('./telegram-error.js');
    const stopped = new copy.TelegramError('stopped', { code: 'telegram-adapter-stopped' });
    expect(stopped instanceof TelegramError).toBe(false);
    expect(TelegramError.isInstance(stopped)).toBe(true);
    expect(OrchestratorError.isInstance(stopped)).toBe(true);
    expect(ConfigurationError.isInstance(stopped)).toBe(false);

    const token = new copy.TelegramConfigurationError('no token', { code: 'telegram-token-missing' });
    expect(TelegramConfigurationError.isInstance(token)).toBe(true);
    expect(ConfigurationError.isInstance(token)).toBe(true);
    expect(TelegramError.isInstance(token)).toBe(false);
    expect(token.kind).toBe('user');
    expect(TelegramError.isInstance(new Error('telegram-adapter-stopped'))).toBe(false);
  });

  it('have kebab-case code unions', () => {
    expectTypeOf<TelegramError['code']>().toEqualTypeOf<adapter.TelegramErrorCode>();
    expectTypeOf<
      TelegramConfigurationError['code']
    >().toEqualTypeOf<adapter.TelegramConfigurationErrorCode>();
    expectTypeOf<'telegram-conflict'>().toExtend<adapter.TelegramErrorCode>();
    expectTypeOf<string>().not.toExtend<adapter.TelegramErrorCode>();
    expect(Object.keys(adapter).filter((name) => name.endsWith('Error'))).toEqual([
      'TelegramConfigurationError',
      'TelegramError',
    ]);
  });
});
