import { z } from 'zod';
import type { PolicyConfig } from './policy-config.js';

const nonEmpty = z.string().min(1, 'must not be empty');

/** A rule example: a command string, or `{ command, worktree }`. */
export const ruleExampleSchema = z.union([
  nonEmpty,
  z.strictObject({ command: nonEmpty, worktree: nonEmpty.optional() }),
]);

/** What a rule matches. */
export const ruleMatchSchema = z.strictObject({
  program: z.union([nonEmpty, z.array(nonEmpty).min(1)]),
  prefix: z.array(z.union([z.string(), z.array(z.string()).min(1)])).optional(),
  anyArg: z.array(z.string()).min(1).optional(),
  noArg: z.array(z.string()).min(1).optional(),
});

/** One rule. */
export const policyRuleSchema = z.strictObject({
  id: z
    .string()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
      'must start with a letter or digit and use only letters, digits, ".", "_", "-"',
    ),
  decision: z.enum(['allow', 'deny']),
  match: z.union([ruleMatchSchema, z.array(ruleMatchSchema).min(1)]),
  worktrees: z.array(nonEmpty).min(1).optional(),
  overrides: z.array(nonEmpty).min(1).optional(),
  reason: nonEmpty.optional(),
  examples: z
    .strictObject({
      match: z.array(ruleExampleSchema).optional(),
      notMatch: z.array(ruleExampleSchema).optional(),
    })
    .optional(),
});

/** A whole policy config (version 1). */
export const policyConfigSchema = z.strictObject({
  version: z.literal(1),
  extends: z.enum(['default', 'none']).optional(),
  disable: z.array(nonEmpty).optional(),
  rules: z.array(policyRuleSchema).optional(),
  protectedWorktrees: z.array(nonEmpty).optional(),
  protectedBranches: z.array(nonEmpty).optional(),
  allowDependencyChanges: z.boolean().optional(),
  allowCodexFullAccess: z.boolean().optional(),
  allowedEnvironment: z
    .array(
      z
        .string()
        .regex(/^[A-Za-z_][A-Za-z0-9_]*\*?$/, 'must be a variable name, or a prefix ending in * (MY_APP_*)'),
    )
    .optional(),
  limits: z
    .strictObject({
      maxInputBytes: z.number().int().min(1).max(65536).optional(),
      maxDepth: z.number().int().min(1).max(64).optional(),
      maxCommands: z.number().int().min(1).max(100000).optional(),
    })
    .optional(),
}) satisfies z.ZodType<PolicyConfig>;
