/**
 * The ledger of main: its last good commit and the merge in progress, kept durably in the
 * repository's state folder and changed only under the writer lock. Every merge writes an intent
 * before it starts (branch, reviewed commit, main before), updates it once the merge commit exists
 * and when the smoke test has passed or failed, and closes it when done; a restart finds an
 * unfinished intent and recovers (`recoverMain`).
 */
import { join } from 'node:path';
import { readDurableJson, writeDurableJson } from './durable-json.js';

/** Where a merge got to. */
export type MergeIntentPhase = 'merging' | 'merged' | 'tested' | 'failed';

/** One merge, recorded before it starts. */
export interface MergeIntent {
  branch: string;
  /** The reviewed commit being merged. */
  branchCommit: string;
  /** Main's commit before the merge (the commit to go back to). */
  mainBefore: string;
  /** Set once the merge commit exists. */
  mergeCommit?: string;
  /** The smoke test the merge must pass (absent: none configured). */
  smokeTest?: string;
  phase: MergeIntentPhase;
  pid: number;
  taskId?: string;
  updatedAt: string;
}

/** One merge that passed. */
export interface LedgerMerge {
  branch: string;
  branchCommit: string;
  mergeCommit: string;
  taskId?: string;
  at: string;
}

/** The ledger file's content. */
export interface MainLedger {
  version: 1;
  /** Main's last good commit: where a run found it (clean), or a merge whose smoke test passed. */
  good?: string;
  /** The merge in progress, if any (a leftover of a crash when no live process holds the lock). */
  intent?: MergeIntent;
  /** Recent merges that passed, newest last (at most `maxMerges`). */
  merges: LedgerMerge[];
}

const maxMerges = 500;

/** Reads and writes the ledger of one repository's state folder. */
export interface MainLedgerStore {
  readonly path: string;
  read(): Promise<MainLedger>;
  write(ledger: MainLedger): Promise<void>;
}

/** The ledger store of `stateDir` (see `repositoryStateDir`). */
export function createMainLedgerStore(
  stateDir: string,
  options: { durable?: boolean } = {},
): MainLedgerStore {
  const path = join(stateDir, 'main-ledger.json');
  let memory: MainLedger = { version: 1, merges: [] };
  return {
    path,
    async read() {
      if (options.durable === false) return structuredClone(memory);
      const stored = await readDurableJson<MainLedger>(path);
      return stored ?? { version: 1, merges: [] };
    },
    async write(ledger) {
      const trimmed = { ...ledger, merges: ledger.merges.slice(-maxMerges) };
      if (options.durable === false) memory = structuredClone(trimmed);
      else await writeDurableJson(path, trimmed);
    },
  };
}
