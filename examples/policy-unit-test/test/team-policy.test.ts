import { createPolicy, type PolicyConfig, PolicyConfigError } from '@codex-orchestrator/policy';
import { describe, expect, it } from 'vitest';
import { createTeamPolicy, teamPolicyConfig } from '../src/team-policy.js';

// A policy is a pure function of (command, worktree): unit tests need no process, no repository.
const policy = createTeamPolicy();
const decide = (command: string, worktree = 'task-search') => policy.evaluate(command, { worktree });

describe('the team policy', () => {
  it.each(['npm run deploy', 'npm run deploy:prod -- --force', 'yarn deploy', 'pnpm run deploy-staging'])(
    'denies %s with the team rule and its reason',
    (command) => {
      const decision = decide(command);
      expect(decision.decision).toBe('deny');
      expect(decision.ruleId).toBe('team.no-deploy');
      expect(decision.reason).toContain('Deployments run from CI only');
    },
  );

  it('finds the deployment hidden inside a compound or nested command', () => {
    expect(decide('npm test && npm run deploy').decision).toBe('deny');
    expect(decide('bash -c "npm run deploy:prod"').decision).toBe('deny');
    const nested = decide('npm test; npm run deploy');
    expect(nested.commands.map((command) => command.decision)).toEqual(['allow', 'deny']);
  });

  it('keeps what the default policy allows', () => {
    expect(decide('npm test').decision).toBe('allow');
    expect(decide('npm run build').decision).toBe('allow');
    expect(decide('git status --short', 'main').decision).toBe('allow');
  });

  it('keeps what the default policy denies', () => {
    expect(decide('git push origin main').decision).toBe('deny');
    expect(decide('git rebase main').decision).toBe('deny');
    expect(decide('sudo npm run build').decision).toBe('deny');
  });

  it('refuses a rule whose examples do not hold, when the config loads', () => {
    const broken: PolicyConfig = {
      ...teamPolicyConfig,
      rules: [
        {
          id: 'team.typo',
          decision: 'deny',
          match: { program: 'npm', prefix: ['run', 'deplyo*'] },
          examples: { match: ['npm run deploy'] },
        },
      ],
    };
    expect(() => createPolicy(broken)).toThrow(PolicyConfigError);
    expect(() => createPolicy(broken)).toThrow(/team\.typo/);
  });
});
