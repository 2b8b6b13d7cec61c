import { PolicyConfigError } from '@codex-orchestrator/policy';
import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import * as buildingBlocks from './building-blocks.js';
import {
  ConfigurationError,
  type ConfigurationErrorCode,
  OrchestratorError,
  type OrchestratorErrorCode,
} from './errors.js';
import * as root from './index.js';
import * as service from './service.js';
import * as shared from './shared/index.js';
import type { StoreConflictError } from './store/store-errors.js';
import * as testing from './testing/index.js';
import { WorktreeError, type WorktreeErrorCode } from './worktree/worktree-error.js';

type ErrorClass = (abstract new (...args: never[]) => Error) & { isInstance?: (value: unknown) => boolean };

/** Every exported class, from every entry point, whose instances are errors. */
function exportedErrorClasses(): [string, ErrorClass][] {
  const found = new Map<string, ErrorClass>();
  for (const entry of [root, buildingBlocks, service, shared, testing])
    for (const [name, value] of Object.entries(entry))
      if (typeof value === 'function' && value.prototype instanceof Error)
        found.set(name, value as ErrorClass);
  return [...found];
}

describe('isInstance', () => {
  it('recognises errors built by a second copy of the module, where instanceof fails', async () => {
    vi.resetModules();
    const copy = await import('./errors.js');
    const copiedWorktree = await import('./worktree/worktree-error.js');
    expect(copy.OrchestratorError).not.toBe(OrchestratorError);

    const base = new copy.OrchestratorError('git failed', { code: 'git-failed' });
    expect(base instanceof OrchestratorError).toBe(false);
    expect(OrchestratorError.isInstance(base)).toBe(true);
    expect(ConfigurationError.isInstance(base)).toBe(false);

    const configuration = new copy.ConfigurationError('bad', { code: 'invalid-option' });
    expect(configuration instanceof ConfigurationError).toBe(false);
    expect(ConfigurationError.isInstance(configuration)).toBe(true);
    expect(OrchestratorError.isInstance(configuration)).toBe(true);

    const worktree = new copiedWorktree.WorktreeError('dirty', { code: 'worktree-dirty', worktree: 'a' });
    expect(worktree instanceof WorktreeError).toBe(false);
    expect(WorktreeError.isInstance(worktree)).toBe(true);
    expect(OrchestratorError.isInstance(worktree)).toBe(true);
    expect(ConfigurationError.isInstance(worktree)).toBe(false);
  });

  it('accepts an error class that only carries the marker (as the CLI does, without importing core)', () => {
    const foreignMarker = Symbol.for('codex-orchestrator.error');
    class ForeignError extends Error {
      readonly [foreignMarker] = true;
      readonly code = 'bad-argument';
    }
    expect(OrchestratorError.isInstance(new ForeignError('x'))).toBe(true);
    expect(ConfigurationError.isInstance(new ForeignError('x'))).toBe(false);
    expect(OrchestratorError.isInstance({ [Symbol.for('codex-orchestrator.error')]: true })).toBe(true);
  });

  it("holds for the policy package's error, which carries the markers without depending on core", () => {
    const error = new PolicyConfigError('rules: expected an array', { field: 'rules', value: 1 });
    expect(OrchestratorError.isInstance(error)).toBe(true);
    expect(ConfigurationError.isInstance(error)).toBe(true);
    expect(WorktreeError.isInstance(error)).toBe(false);
  });

  it('is false for plain errors, look-alikes and non-objects', () => {
    for (const value of [
      new Error('main-dirty'),
      Object.assign(new Error('x'), { code: 'main-dirty', kind: 'user' }),
      { [Symbol.for('codex-orchestrator.error')]: 'true' },
      { [Symbol('codex-orchestrator.error')]: true },
      null,
      undefined,
      'codex-orchestrator.error',
    ])
      expect(OrchestratorError.isInstance(value)).toBe(false);
  });

  it('gives every exported error class its own isInstance, true for its instances only', () => {
    const classes = exportedErrorClasses();
    expect(classes.map(([name]) => name)).toEqual(
      expect.arrayContaining(['OrchestratorError', 'WorktreeError']),
    );
    for (const [name, errorClass] of classes) {
      expect(typeof errorClass.isInstance, name).toBe('function');
      const parent = Object.getPrototypeOf(errorClass) as ErrorClass;
      if (parent !== Error)
        expect(errorClass.isInstance, `${name} must override isInstance`).not.toBe(parent.isInstance);
      // Every exported error class is a codex-orchestrator error.
      expect(OrchestratorError.isInstance(Object.create(errorClass.prototype)), name).toBe(true);
      expect(errorClass.isInstance?.(Object.create(errorClass.prototype)), name).toBe(true);
      expect(errorClass.isInstance?.(new Error(name)), name).toBe(false);
    }
  });
});

describe('codes', () => {
  it('are kebab-case on the constructed errors', () => {
    expect(new OrchestratorError('x', { code: 'main-dirty' }).code).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });

  it('are a union of literals for every exported error class (a type test)', () => {
    type Entry = typeof root & typeof buildingBlocks & typeof service & typeof shared & typeof testing;
    type ErrorClassName = {
      [Name in keyof Entry]: Entry[Name] extends abstract new (...args: never[]) => Error ? Name : never;
    }[keyof Entry];
    /** The classes whose `code` is any string instead of a union of codes. */
    type WideCode = {
      [Name in ErrorClassName]: Entry[Name] extends abstract new (
        ...args: never[]
      ) => { code: infer Code }
        ? string extends Code
          ? Name
          : never
        : Name;
    }[ErrorClassName];
    // The two open bases are generic (subclasses pass their own union), so a constructor type
    // shows their constraint, `string`; their default, the codes they are thrown with, is checked
    // by name below.
    expectTypeOf<WideCode>().toEqualTypeOf<'ConfigurationError' | 'OrchestratorError'>();
    expectTypeOf<OrchestratorError['code']>().toEqualTypeOf<OrchestratorErrorCode>();
    expectTypeOf<ConfigurationError['code']>().toEqualTypeOf<ConfigurationErrorCode>();
    expectTypeOf<WorktreeError['code']>().toEqualTypeOf<WorktreeErrorCode>();
    expectTypeOf<StoreConflictError['code']>().toEqualTypeOf<'store-conflict'>();
    expectTypeOf<ErrorClassName>().toExtend<keyof Entry>();
    expectTypeOf<'WorktreeError' | 'OrchestratorError' | 'StoreError'>().toExtend<ErrorClassName>();
  });

  it('refuse a code outside the class union at compile time', () => {
    // @ts-expect-error 'not-a-code' is not an OrchestratorErrorCode
    expect(new OrchestratorError('x', { code: 'not-a-code' }).code).toBe('not-a-code');
    // @ts-expect-error a worktree code is not a configuration code
    expect(new ConfigurationError('x', { code: 'worktree-dirty' }).kind).toBe('user');
  });
});
