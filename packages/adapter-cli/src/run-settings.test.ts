import { describe, expect, it } from 'vitest';
import { toOrchestratorOptions } from './commands/orchestrator-options.js';
import { parseArguments } from './parse-arguments.js';
import { resolveRunSettings } from './run-settings.js';

describe('resolveRunSettings', () => {
  const env = {
    OPENAI_API_KEY: 'sk-test',
    OPENAI_BASE_URL: 'http://127.0.0.1:1/v1',
    ORCHESTRATOR_BASE_DIR: '/env/base',
    ORCHESTRATOR_DRY_RUN: '1',
  };

  it('takes flags over the config file over env vars', () => {
    const settings = resolveRunSettings({
      flags: { maxParallel: 4, baseDir: 'relative' },
      config: {
        maxParallel: 2,
        model: 'gpt-config',
        baseURL: 'http://127.0.0.1:2/v1',
        baseDir: '/config/base',
      },
      env,
      cwd: '/cwd',
    });
    expect(settings.maxParallel).toBe(4);
    expect(settings.baseDir).toBe('/cwd/relative');
    expect(settings.model).toBe('gpt-config');
    expect(settings.baseURL).toBe('http://127.0.0.1:2/v1');
    expect(settings.apiKey).toBe('sk-test');
  });

  it('falls back to env vars, and any source can switch dry run and trace on', () => {
    const settings = resolveRunSettings({
      flags: {},
      config: { dryRun: false },
      env: { ...env, ORCHESTRATOR_TRACE: 'true' },
      cwd: '/',
    });
    expect(settings.baseDir).toBe('/env/base');
    expect(settings.baseURL).toBe('http://127.0.0.1:1/v1');
    expect(settings.dryRun).toBe(true);
    expect(settings.trace).toBe(true);
  });

  it('merges budget fields from config and flags', () => {
    const settings = resolveRunSettings({
      flags: { budgetUsd: 3 },
      config: { budget: { tokens: 1000, costUsd: 1 } },
      env: {},
      cwd: '/',
    });
    expect(settings.budget).toEqual({ tokens: 1000, costUsd: 3 });
    expect(settings.apiKey).toBeUndefined();
    expect(settings.dryRun).toBe(false);
  });
  it('maps --unsafe-no-sandbox (flag or config field) to the sandbox opt-out, and keeps the sandbox on by default', () => {
    const parsed = parseArguments(['run', 'add search', '--unsafe-no-sandbox']);
    expect(parsed.flags.unsafeNoSandbox).toBe(true);
    const off = resolveRunSettings({ flags: parsed.flags, config: {}, env, cwd: '/' });
    expect(toOrchestratorOptions(off, '/base', undefined).sandbox).toBe('off');
    const fromConfig = resolveRunSettings({ flags: {}, config: { unsafeNoSandbox: true }, env, cwd: '/' });
    expect(toOrchestratorOptions(fromConfig, '/base', undefined).sandbox).toBe('off');
    const on = resolveRunSettings({ flags: {}, config: {}, env, cwd: '/' });
    expect(toOrchestratorOptions(on, '/base', undefined).sandbox).toBeUndefined();
  });
});
