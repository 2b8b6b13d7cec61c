import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPolicy } from '../create-policy.js';
import { compilePolicy } from '../engine/compile-policy.js';
import { defaultPolicyConfig } from './default-policy-config.js';
import { loadPolicyConfig } from './load-policy-config.js';
import { parsePolicyConfig } from './parse-policy-config.js';
import type { PolicyConfig, PolicyRule } from './policy-config.js';
import { PolicyConfigError } from './policy-config-error.js';
import { resolvePolicyConfig } from './resolve-policy-config.js';

/** Runs `action`, expecting a PolicyConfigError, and returns it. */
function configError(action: () => unknown): PolicyConfigError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyConfigError);
    return error as PolicyConfigError;
  }
  throw new Error('expected a PolicyConfigError');
}

const gitCleanInTasks: PolicyRule = {
  id: 'git-clean-in-task-worktrees',
  decision: 'allow',
  match: { program: 'git', prefix: ['clean'], noArg: ['-*x*', '-*X*'] },
  worktrees: ['task-*'],
  overrides: ['git-clean'],
  reason: 'temporary task worktrees may drop untracked files',
  examples: {
    match: [{ command: 'git clean -fd', worktree: 'task-x' }],
    notMatch: [{ command: 'git clean -fd', worktree: 'main' }, 'git clean -fdx'],
  },
};

const resetSoftInTasks: PolicyRule = {
  id: 'git-reset-soft-in-task-worktrees',
  decision: 'allow',
  match: { program: 'git', prefix: ['reset', '--soft'] },
  worktrees: ['task-*'],
  overrides: ['git-reset'],
  examples: { match: ['git reset --soft HEAD~1'], notMatch: ['git reset --hard HEAD~1', 'git reset HEAD~1'] },
};

describe('the default config', () => {
  it('is plain JSON data that passes its own schema', () => {
    const copy = JSON.parse(JSON.stringify(defaultPolicyConfig));
    expect(copy).toEqual(defaultPolicyConfig);
    expect(() => parsePolicyConfig(copy)).not.toThrow();
  });

  it('has examples for every rule, and every example agrees with its rule', () => {
    for (const rule of defaultPolicyConfig.rules) {
      expect(rule.examples?.match?.length ?? 0, rule.id).toBeGreaterThan(0);
    }
    expect(() =>
      compilePolicy(resolvePolicyConfig(defaultPolicyConfig), { verifyExamples: true }),
    ).not.toThrow();
  });

  it('is what createPolicy() uses without a config', () => {
    const implicit = createPolicy();
    const explicit = createPolicy({ ...defaultPolicyConfig });
    for (const command of ['git status', 'git push', 'npm install x', 'npm test']) {
      expect(implicit.evaluate(command, { worktree: 'main' })).toEqual(
        explicit.evaluate(command, { worktree: 'main' }),
      );
    }
  });
});

describe('config validation names the bad field and value', () => {
  it.each([
    [{ version: 2, rules: [] }, 'version', 2],
    [
      { version: 1, rules: [{ id: 'a', decision: 'maybe', match: { program: 'ls' } }] },
      'rules[0].decision',
      'maybe',
    ],
    [
      { version: 1, rules: [{ id: 'a', decision: 'allow', match: { program: 3 } }] },
      'rules[0].match.program',
      3,
    ],
    [
      { version: 1, rules: [{ id: 'a', decision: 'allow', match: { program: '' } }] },
      'rules[0].match.program',
      '',
    ],
    [
      { version: 1, rules: [{ id: 'has space', decision: 'allow', match: { program: 'ls' } }] },
      'rules[0].id',
      'has space',
    ],
    [
      { version: 1, rules: [{ id: 'a', decision: 'allow', match: { program: 'ls', extra: 1 } }] },
      'rules[0].match',
      undefined,
    ],
    [
      { version: 1, rules: [{ id: 'a', decision: 'allow', match: { program: 'ls' }, worktrees: [] }] },
      'rules[0].worktrees',
      [],
    ],
    [
      {
        version: 1,
        rules: [{ id: 'a', decision: 'allow', match: { program: 'ls' }, examples: { match: [7] } }],
      },
      'rules[0].examples.match[0]',
      7,
    ],
    [{ version: 1, limits: { maxInputBytes: 1_000_000 } }, 'limits.maxInputBytes', 1_000_000],
    [{ version: 1, extends: 'everything' }, 'extends', 'everything'],
    [{ version: 1, allowDependencyChanges: 'yes' }, 'allowDependencyChanges', 'yes'],
    ['not an object', '', 'not an object'],
  ])('%j -> %s', (config, field, value) => {
    const error = configError(() => createPolicy(config as unknown as PolicyConfig));
    expect(error.field).toBe(field);
    if (value !== undefined) expect(error.value).toEqual(value);
    expect(error.message).toContain(field || '(root)');
  });

  it('names the rule when the bad field is inside one', () => {
    const error = configError(() =>
      createPolicy({
        version: 1,
        rules: [{ id: 'my-rule', decision: 'nope', match: { program: 'ls' } }],
      } as unknown as PolicyConfig),
    );
    expect(error.ruleId).toBe('my-rule');
  });

  it('refuses a rule whose match example does not match, naming rule and example', () => {
    const error = configError(() =>
      createPolicy({
        version: 1,
        rules: [
          {
            id: 'tests',
            decision: 'allow',
            match: { program: 'npm', prefix: ['test'] },
            examples: { match: ['npm run test'] },
          },
        ],
      }),
    );
    expect(error.field).toBe('rules[0].examples.match[0]');
    expect(error.ruleId).toBe('tests');
    expect(error.message).toContain('rule tests does not match its example "npm run test"');
  });

  it('refuses a rule that matches a notMatch example', () => {
    const error = configError(() =>
      createPolicy({
        version: 1,
        rules: [
          {
            id: 'git-any',
            decision: 'deny',
            match: { program: 'git' },
            examples: { notMatch: ['git -C . status'] },
          },
        ],
      }),
    );
    expect(error.field).toBe('rules[0].examples.notMatch[0]');
    expect(error.message).toContain('matches its example');
  });

  it('checks examples through the same normalisation as real commands', () => {
    // git's global options are removed, wrappers unwrapped, quotes removed.
    expect(() =>
      createPolicy({
        version: 1,
        rules: [
          {
            id: 'git-log',
            decision: 'allow',
            match: { program: 'git', prefix: ['log'] },
            examples: {
              match: ['git -C . --no-pager log', 'timeout 5 git log', '\'git\' "log"'],
              notMatch: ['git status'],
            },
          },
        ],
      }),
    ).not.toThrow();
  });

  it('checks worktree conditions in examples that name a worktree', () => {
    const error = configError(() =>
      createPolicy({
        version: 1,
        rules: [
          {
            ...gitCleanInTasks,
            overrides: undefined,
            examples: { match: [{ command: 'git clean -fd', worktree: 'main' }] },
          },
        ],
      }),
    );
    expect(error.message).toContain('in worktree "main"');
  });

  it('refuses duplicate ids, unknown disabled ids and unknown overrides', () => {
    expect(
      configError(() =>
        createPolicy({
          version: 1,
          rules: [
            { id: 'a', decision: 'allow', match: { program: 'ls' } },
            { id: 'a', decision: 'allow', match: { program: 'cat' } },
          ],
        }),
      ).field,
    ).toBe('rules[1].id');
    expect(
      configError(() => createPolicy({ version: 1, extends: 'default', disable: ['no-such-rule'] })).field,
    ).toBe('disable[0]');
    expect(configError(() => createPolicy({ version: 1, disable: ['git-reset'] })).message).toContain(
      '"extends": "default"',
    );
    expect(
      configError(() =>
        createPolicy({
          version: 1,
          extends: 'default',
          rules: [{ ...resetSoftInTasks, overrides: ['builtin:git-push'] }],
        }),
      ).field,
    ).toBe('rules[0].overrides[0]');
    expect(
      configError(() =>
        createPolicy({
          version: 1,
          extends: 'default',
          rules: [{ ...resetSoftInTasks, decision: 'deny', examples: undefined }],
        }),
      ).field,
    ).toBe('rules[0].overrides');
  });

  it('refuses an overriding rule that is not limited to worktrees, or that reaches a protected one', () => {
    expect(
      configError(() =>
        createPolicy({
          version: 1,
          extends: 'default',
          rules: [{ ...gitCleanInTasks, worktrees: undefined, examples: undefined }],
        }),
      ).field,
    ).toBe('rules[0].worktrees');
    const error = configError(() =>
      createPolicy({
        version: 1,
        extends: 'default',
        rules: [{ ...gitCleanInTasks, worktrees: ['*'], examples: undefined }],
      }),
    );
    expect(error.field).toBe('rules[0].worktrees[0]');
    expect(error.message).toContain('protected worktree "main"');
  });
});

describe('extending and adjusting the defaults', () => {
  it('opts in to git clean and git reset --soft in task-* worktrees only', () => {
    const policy = createPolicy({
      version: 1,
      extends: 'default',
      rules: [gitCleanInTasks, resetSoftInTasks],
    });
    const decide = (command: string, worktree: string) => policy.evaluate(command, { worktree });
    expect(decide('git clean -fd', 'task-x')).toMatchObject({
      decision: 'allow',
      ruleId: 'git-clean-in-task-worktrees',
    });
    expect(decide('git clean -fd', 'main')).toMatchObject({
      decision: 'deny',
      ruleId: 'builtin:protected-worktree',
    });
    expect(decide('git clean -fdx', 'task-x')).toMatchObject({ decision: 'deny', ruleId: 'git-clean' });
    expect(decide('git reset --soft HEAD~1', 'task-x').decision).toBe('allow');
    expect(decide('git reset --soft HEAD~1', 'main').decision).toBe('deny');
    expect(decide('git reset --hard HEAD~1', 'task-x').decision).toBe('deny');
  });

  it('keeps deny winning over a broad allow rule that does not name it', () => {
    const policy = createPolicy({
      version: 1,
      extends: 'default',
      rules: [{ id: 'any-git', decision: 'allow', match: { program: 'git' } }],
    });
    expect(policy.evaluate('git reset --hard', { worktree: 'task-x' })).toMatchObject({
      decision: 'deny',
      ruleId: 'git-reset',
    });
    expect(policy.evaluate('git init', { worktree: 'task-x' })).toMatchObject({
      decision: 'allow',
      ruleId: 'any-git',
    });
  });

  it('never lets a rule allow what a built-in check refuses', () => {
    const policy = createPolicy({
      version: 1,
      rules: [
        { id: 'git-push-please', decision: 'allow', match: { program: 'git', prefix: ['push'] } },
        { id: 'cat-anything', decision: 'allow', match: { program: 'cat' } },
      ],
    });
    expect(policy.evaluate('git push', { worktree: 'task-x' }).ruleId).toBe('builtin:git-push');
    expect(policy.evaluate('cat /etc/passwd', { worktree: 'task-x' }).ruleId).toBe(
      'builtin:outside-worktree',
    );
    expect(policy.evaluate('cat README.md', { worktree: 'task-x' }).decision).toBe('allow');
  });

  it('extends by spreading the default rules, too', () => {
    const policy = createPolicy({
      ...defaultPolicyConfig,
      rules: [
        ...defaultPolicyConfig.rules,
        { id: 'rust-fmt', decision: 'allow', match: { program: 'rustfmt' } },
      ],
    });
    expect(policy.evaluate('rustfmt src/main.rs', { worktree: 'task-x' }).decision).toBe('allow');
    expect(policy.evaluate('git push', { worktree: 'task-x' }).decision).toBe('deny');
  });

  it('starts from nothing with extends none (the default)', () => {
    const policy = createPolicy({
      version: 1,
      rules: [{ id: 'listing', decision: 'allow', match: { program: 'ls' } }],
    });
    expect(policy.evaluate('ls -la', { worktree: 'main' }).decision).toBe('allow');
    expect(policy.evaluate('git status', { worktree: 'main' })).toMatchObject({ decision: 'deny' });
    expect(policy.evaluate('git status', { worktree: 'main' }).ruleId).toBeUndefined();
  });

  it('drops inherited rules named in disable', () => {
    const policy = createPolicy({
      version: 1,
      extends: 'default',
      disable: ['git-remote'],
      rules: [
        {
          id: 'git-remote-read',
          decision: 'allow',
          match: { program: 'git', prefix: ['remote'], noArg: ['add', 'set-url', 'remove', 'rm', 'rename'] },
        },
      ],
    });
    expect(policy.evaluate('git remote', { worktree: 'task-x' }).decision).toBe('allow');
    // Printing remote URLs stays refused by a built-in check.
    expect(policy.evaluate('git remote -v', { worktree: 'task-x' }).ruleId).toBe('builtin:environment-dump');
    expect(policy.evaluate('git remote add x y', { worktree: 'task-x' }).decision).toBe('deny');
  });

  it('allows dependency changes when allowDependencyChanges is set', () => {
    const strict = createPolicy();
    const relaxed = createPolicy({ version: 1, extends: 'default', allowDependencyChanges: true });
    for (const command of ['npm install lodash', 'yarn add react', 'pip install requests']) {
      expect(strict.evaluate(command, { worktree: 'task-x' }).decision, command).toBe('deny');
      expect(relaxed.evaluate(command, { worktree: 'task-x' })).toMatchObject({
        decision: 'allow',
        ruleId: 'dependency-changes-allowed',
      });
    }
    expect(relaxed.evaluate('npm install left-pad && git push', { worktree: 'task-x' }).decision).toBe(
      'deny',
    );
  });

  it('lets codex leave its sandbox only with allowCodexFullAccess', () => {
    const command = 'codex exec -s danger-full-access "x"';
    expect(createPolicy().evaluate(command, { worktree: 'task-x' }).decision).toBe('deny');
    const relaxed = createPolicy({ version: 1, extends: 'default', allowCodexFullAccess: true });
    expect(relaxed.evaluate(command, { worktree: 'task-x' }).decision).toBe('allow');
    expect(
      relaxed.evaluate('codex exec --dangerously-bypass-approvals-and-sandbox "x"', { worktree: 'task-x' })
        .decision,
    ).toBe('allow');
  });

  it('uses configured protected branches and worktrees', () => {
    const policy = createPolicy({
      version: 1,
      extends: 'default',
      protectedBranches: ['trunk'],
      protectedWorktrees: ['trunk'],
    });
    expect(policy.evaluate('git branch -D trunk', { worktree: 'task-x' }).ruleId).toBe(
      'builtin:protected-branch',
    );
    expect(policy.evaluate('git branch -d main', { worktree: 'task-x' }).decision).toBe('allow');
    expect(policy.evaluate('git worktree remove ../trunk', { worktree: 'main' }).ruleId).toBe(
      'builtin:protected-worktree',
    );
  });

  it('applies configured limits', () => {
    const policy = createPolicy({
      version: 1,
      extends: 'default',
      limits: { maxInputBytes: 20, maxCommands: 2 },
    });
    expect(policy.evaluate('echo 12345678901234567890', { worktree: 'main' }).ruleId).toBe(
      'builtin:input-limit',
    );
    expect(policy.evaluate('ls; ls; ls', { worktree: 'main' }).ruleId).toBe('builtin:input-limit');
  });
});

describe('loadPolicyConfig', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'policy-config-'));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('loads a JSON file that createPolicy accepts', async () => {
    const file = join(directory, 'policy.json');
    await writeFile(file, JSON.stringify({ version: 1, extends: 'default', rules: [gitCleanInTasks] }));
    const policy = createPolicy(await loadPolicyConfig(file));
    expect(policy.evaluate('git clean -fd', { worktree: 'task-a' }).decision).toBe('allow');
  });

  it('reports invalid JSON, a missing file and a bad field with the file name', async () => {
    const broken = join(directory, 'broken.json');
    await writeFile(broken, '{ "version": 1, ');
    await expect(loadPolicyConfig(broken)).rejects.toThrow(
      /broken\.json: the policy config is not valid JSON/,
    );
    await expect(loadPolicyConfig(join(directory, 'missing.json'))).rejects.toBeInstanceOf(PolicyConfigError);
    const bad = join(directory, 'bad.json');
    await writeFile(bad, JSON.stringify({ version: 1, rules: [{ id: 'x', decision: 'allow', match: {} }] }));
    const error = (await loadPolicyConfig(bad).catch((caught: unknown) => caught)) as PolicyConfigError;
    expect(error).toBeInstanceOf(PolicyConfigError);
    expect(error.file).toBe(bad);
    expect(error.field).toBe('rules[0].match.program');
  });

  it('stops when the signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      loadPolicyConfig(join(directory, 'policy.json'), { signal: controller.signal }),
    ).rejects.toThrow();
  });
});
