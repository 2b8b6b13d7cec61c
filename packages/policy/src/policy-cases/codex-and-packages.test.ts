import { describe } from 'vitest';
import { checkCases } from './case-table.js';
import { codexCases, packageCases } from './codex-and-packages.cases.js';

describe('codex', () => {
  checkCases('task-login', codexCases);
});

describe('package managers, runtimes and other programs', () => {
  checkCases('task-login', packageCases);
});
