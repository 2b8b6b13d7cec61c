import { describe } from 'vitest';
import { checkCases } from './case-table.js';
import { thirdRoundCases } from './redteam3.cases.js';

describe('a third red-team round: git --output, and option values read only when attached', () => {
  checkCases('task-x', thirdRoundCases);
});
