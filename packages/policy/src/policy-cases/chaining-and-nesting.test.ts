import { describe } from 'vitest';
import { checkCases } from './case-table.js';
import { chainingCases, compoundCases, substitutionCases } from './chaining-and-nesting.cases.js';

describe('chaining runs every part through the policy', () => {
  checkCases('task-x', chainingCases);
});

describe('substitutions are checked wherever they appear', () => {
  checkCases('task-x', substitutionCases);
});

describe('compound commands, functions and aliases', () => {
  checkCases('task-x', compoundCases);
});
