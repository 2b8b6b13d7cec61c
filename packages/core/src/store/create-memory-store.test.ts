import { describe, it } from 'vitest';
import { storeContractCases } from '../testing/store-contract.js';
import { createMemoryStore } from './create-memory-store.js';

describe('createMemoryStore: the store contract', () => {
  for (const contractCase of storeContractCases.filter((entry) => !entry.durable)) {
    it(contractCase.name, () => contractCase.run({ open: async (limits) => createMemoryStore(limits) }));
  }
});
