import type { z } from 'zod';
import type { PolicyConfig } from './policy-config.js';
import { describeValue, PolicyConfigError } from './policy-config-error.js';
import { policyConfigSchema } from './policy-config-schema.js';

type Issue = z.core.$ZodIssue;

/**
 * Validates plain data as a policy config (shape only; rules and examples are checked when the
 * policy is created). Throws PolicyConfigError naming the first bad field and its value.
 */
export function parsePolicyConfig(data: unknown, file?: string): PolicyConfig {
  const result = policyConfigSchema.safeParse(data);
  if (result.success) return result.data as PolicyConfig;
  const [path, issue] = mostSpecific([], result.error.issues);
  const field = formatPath(path);
  const value = valueAt(data, path);
  const where = file ? `${file}: ` : '';
  throw new PolicyConfigError(
    `${where}invalid policy config at ${field || '(root)'}: ${describeIssue(issue)} (got ${describeValue(value)})`,
    {
      field,
      value,
      ruleId: ruleIdAt(data, path),
      ...(file ? { file } : {}),
    },
  );
}

function mostSpecific(prefix: PropertyKey[], issues: readonly Issue[]): [PropertyKey[], Issue] {
  const issue = issues[0]!;
  const path = [...prefix, ...issue.path];
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [path, issue];
  const branches = issue.errors
    .filter((branch) => branch.length > 0)
    .map((branch) => mostSpecific(path, branch));
  const typeOnly = branches.every(
    ([branchPath, branchIssue]) => branchIssue.code === 'invalid_type' && branchPath.length === path.length,
  );
  if (typeOnly) {
    const expected = branches.map(
      ([, branchIssue]) => (branchIssue as { expected?: string }).expected ?? 'value',
    );
    return [path, { ...issue, message: `expected ${[...new Set(expected)].join(' or ')}` }];
  }
  return branches.reduce((best, candidate) =>
    score(candidate, path) > score(best, path) ? candidate : best,
  );
}

function score([path, issue]: [PropertyKey[], Issue], base: readonly PropertyKey[]): number {
  return (
    (path.length - base.length) * 2 + (issue.code === 'invalid_type' && path.length === base.length ? 0 : 1)
  );
}

function describeIssue(issue: Issue): string {
  return issue.message.replace(/^Invalid input: /, '');
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `${out ? '.' : ''}${String(key)}`;
  return out;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let current = data;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function ruleIdAt(data: unknown, path: readonly PropertyKey[]): string | undefined {
  if (path[0] !== 'rules' || typeof path[1] !== 'number') return undefined;
  const rule = valueAt(data, path.slice(0, 2));
  const id = rule && typeof rule === 'object' ? (rule as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? id : undefined;
}
