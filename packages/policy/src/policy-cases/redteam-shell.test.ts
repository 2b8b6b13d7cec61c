import { describe } from 'vitest';
import { checkCases } from './case-table.js';
import { redteamShellCases } from './redteam-shell.cases.js';

describe('shell expansions and builtins that run strings, read secrets or set dangerous variables', () => {
  checkCases('task-x', redteamShellCases);
  checkCases('main', redteamShellCases);
});
