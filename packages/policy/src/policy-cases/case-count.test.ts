import { expect, it } from 'vitest';
import { countCases } from './case-table.js';
import { chainingCases, compoundCases, substitutionCases } from './chaining-and-nesting.cases.js';
import { codexCases, packageCases } from './codex-and-packages.cases.js';
import { mainWorktreeCases, taskWorktreeCases } from './everyday.cases.js';
import { globalOptionCases, pushCases, subcommandCases, worktreeCases } from './git.cases.js';
import { limitCases } from './limits.cases.js';
import { mainProbeCases, taskProbeCases } from './mixed-probes.cases.js';
import { obfuscationCases } from './obfuscation.cases.js';
import { pathCases, secretCases, variableCases } from './paths-and-secrets.cases.js';
import { wrapperCases } from './wrappers.cases.js';

const tables = {
  everyday: [mainWorktreeCases, taskWorktreeCases],
  chaining: [chainingCases, substitutionCases, compoundCases],
  wrappers: [wrapperCases],
  obfuscation: [obfuscationCases],
  git: [pushCases, globalOptionCases, subcommandCases, worktreeCases],
  paths: [pathCases, secretCases, variableCases],
  programs: [codexCases, packageCases],
  limits: [limitCases],
  probes: [mainProbeCases, taskProbeCases],
};

it('keeps at least 250 table cases, both allow and deny, in every bypass class', () => {
  const all = Object.values(tables).flat();
  const total = countCases(...all);
  expect(total).toBeGreaterThanOrEqual(250);
  const rows = all.flat();
  expect(rows.filter(([decision]) => decision === 'allow').length).toBeGreaterThan(100);
  expect(rows.filter(([decision]) => decision === 'deny').length).toBeGreaterThan(100);
  for (const [name, list] of Object.entries(tables)) expect(countCases(...list), name).toBeGreaterThan(5);
  console.info(`policy table cases: ${total} (${rows.filter(([d]) => d === 'allow').length} allow)`);
});
