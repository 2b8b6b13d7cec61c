import { createPolicy, type Policy, type PolicyConfig } from '@codex-orchestrator/policy';

/**
 * The team's policy: the built-in default (no push, no remote changes, no rebase, no hard reset,
 * no privilege escalation, no dependency changes, ...) plus one rule of our own: deployments run
 * from CI only, never from an agent's worktree.
 *
 * The rule carries its own examples; `createPolicy` checks them when the config loads, so a rule
 * that stops matching what it is meant to match fails at start-up, not in production.
 */
export const teamPolicyConfig: PolicyConfig = {
  version: 1,
  extends: 'default',
  rules: [
    {
      id: 'team.no-deploy',
      decision: 'deny',
      match: [
        { program: ['npm', 'pnpm', 'yarn'], prefix: ['run', 'deploy*'] },
        { program: 'yarn', prefix: ['deploy*'] },
      ],
      reason: 'Deployments run from CI only; an agent never deploys. Leave deploying to the pipeline.',
      examples: {
        match: [
          'npm run deploy',
          'npm run deploy:prod',
          'pnpm run deploy-staging',
          'yarn deploy',
          'yarn run deploy:prod',
        ],
        notMatch: ['npm run build', 'npm test', 'yarn build'],
      },
    },
  ],
};

/** The compiled team policy, as `runOrchestrator({ policy })` takes it. */
export function createTeamPolicy(): Policy {
  return createPolicy(teamPolicyConfig);
}
