import { describe } from 'vitest';
import { checkCases } from './case-table.js';
import { redteamProgramCases } from './redteam-programs.cases.js';

describe('program checks refuse what the red team found, and keep the neighbours', () => {
  checkCases('task-x', redteamProgramCases);
});
